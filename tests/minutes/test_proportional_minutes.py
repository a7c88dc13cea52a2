"""How a proportional election's result reads in the minutes: the lot, two groups with the
same label, and the substitutes' own election with each list's order."""

from __future__ import annotations

from minutes.fold.proportional import proportional_table


def test_a_lot_and_two_groups_with_one_label():
    result = {
        "substitutes": False,
        "groups": [
            {"key": "S: A, B", "label": "S", "votes": 2, "seats": 1, "elected": ["A"]},
            {"key": "S: C", "label": "S", "votes": 1, "seats": 0, "elected": []},
            {"key": "M: D", "label": "M", "votes": 1, "seats": 1, "elected": ["D"]},
        ],
        "seats": [
            {"seat": 1, "group": "S: A, B", "label": "S", "name": "A", "comparison": "2"},
            {"seat": 2, "group": "M: D", "label": "M", "name": "D", "comparison": "1",
             "by_lot": True},
        ],
        "lots": [{"seat": 2, "comparison": "1", "tied": ["S: A, B", "S: C", "M: D"],
                  "drawn": ["M: D"]}],
        "elected": ["A", "D"], "substitutes_elected": [], "blank": 0, "invalid": 1,
    }
    table = proportional_table(3, result)
    assert table.secret and table.rows == ()
    assert table.counts == (("S: A, B", 2), ("S: C", 1), ("M", 1), ("Blanka", 0),
                            ("Ogiltiga", 1))
    assert "mandat 2: D (M) (1)" in table.result
    assert ("Lika jämförelsetal (1) mellan S: A, B; S: C; M; lotten tilldelade mandat 2 "
            "till M.") in table.result
    assert "Valda: A, D." in table.result


def test_the_substitutes_election_lists_each_groups_order():
    result = {
        "substitutes": True,
        "groups": [{"key": "S: E, F", "label": "S", "votes": 3, "seats": 2,
                    "elected": ["E", "F"]},
                   {"key": "M: G", "label": "M", "votes": 1, "seats": 0, "elected": []}],
        "seats": [], "lots": [], "elected": [], "substitutes_elected": ["E", "F"],
        "blank": 0, "invalid": 0,
    }
    table = proportional_table(2, result)
    assert "av ersättare" in table.title
    assert "Valda:" not in table.result
    assert "i den ordning de står på sin valsedel: S: E, F." in table.result
