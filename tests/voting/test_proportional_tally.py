"""The pure tally of a proportional election (lag 2022:629): d'Hondt, lot on ties, names in
list order."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from voting.tally.proportional import (
    ListBallot,
    group_key,
    required_requests,
    tally_proportional,
)

A = ListBallot("S", ("Anna", "Axel", "Alva", "Arne"))
B = ListBallot("M", ("Bo", "Berit", "Bengt"))
C = ListBallot("V", ("Cecilia", "Carl"))


def test_three_groups_five_seats_and_a_tie_against_a_hand_worked_table():
    """12 valid ballots (A 6, B 4, C 2) and one blank, 5 seats.

    Comparison numbers (votes ÷ 1, 2, 3, …) and the seat each gives:

        seat | A (6)    | B (4)    | C (2)    | seat goes to
        -----+----------+----------+----------+--------------------------------------
          1  | 6/1 = 6  | 4/1 = 4  | 2/1 = 2  | A  (Anna)
          2  | 6/2 = 3  | 4        | 2        | B  (Bo)
          3  | 3        | 4/2 = 2  | 2        | A  (Axel)
          4  | 6/3 = 2  | 2        | 2        | tie 2 = 2 = 2, three groups for the
          5  |          |          |          | two seats left: the lot draws two
                                                 (here C, then B): C (Cecilia), B (Berit)

    Result: A 2 seats (Anna, Axel), B 2 (Bo, Berit), C 1 (Cecilia); one lot, logged.
    """
    ballots = [A] * 6 + [B] * 4 + [C] * 2 + [None]
    draws = []

    def draw(tied, k):
        draws.append((tuple(tied), k))
        return [group_key(C), group_key(B)]

    r = tally_proportional(ballots, 5, draw=draw)
    assert draws == [((group_key(A), group_key(B), group_key(C)), 2)]
    assert [(a.seat, a.name, a.comparison, a.by_lot) for a in r.awards] == [
        (1, "Anna", 6, False), (2, "Bo", 4, False), (3, "Axel", 3, False),
        (4, "Cecilia", 2, True), (5, "Berit", 2, True),
    ]
    assert [(g.label, g.votes, g.seats, g.elected) for g in r.groups] == [
        ("S", 6, 2, ("Anna", "Axel")), ("M", 4, 2, ("Bo", "Berit")), ("V", 2, 1, ("Cecilia",)),
    ]
    (lot,) = r.lots
    assert (lot.seat, lot.comparison, lot.drawn) == (4, Fraction(2), (group_key(C), group_key(B)))
    assert (r.blank, r.invalid) == (1, 0)


def test_only_identical_ballots_form_a_group_and_bad_ballots_are_invalid():
    other_s = ListBallot("S", ("Axel", "Anna"))
    r = tally_proportional([A, A, other_s, ListBallot("", ("X",)), ListBallot("M", ())], 2)
    assert [(g.key, g.votes) for g in r.groups] == [(group_key(A), 2), (group_key(other_s), 1)]
    assert r.invalid == 2
    # A name already elected from another list is passed over on this one.
    assert r.elected == ("Anna", "Axel")


def test_a_group_out_of_names_takes_no_more_seats():
    r = tally_proportional([ListBallot("V", ("Cecilia",))] * 9 + [B], 3)
    assert r.elected == ("Cecilia", "Bo", "Berit")


def test_the_threshold_is_present_divided_by_seats_plus_one_rounded_up():
    assert required_requests(13, 5) == 3  # 13 / 6 = 2.17 -> 3
    assert required_requests(12, 5) == 2
    assert required_requests(1, 1) == 1


names = st.sampled_from(["A", "B", "C", "D", "E", "F", "G", "H"])
ballot = st.builds(ListBallot, st.sampled_from(["S", "M", "V"]),
                   st.lists(names, min_size=1, max_size=4, unique=True).map(tuple))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), ballot), max_size=30), st.integers(1, 7))
def test_dhondt_properties(ballots, seats):
    r = tally_proportional(ballots, seats, draw=lambda tied, k: list(tied)[:k])
    total_names = len({n for g in r.groups for n in g.names})
    assert len(r.awards) <= seats
    assert len(r.elected) == len(set(r.elected))  # nobody elected twice
    assert sum(g.seats for g in r.groups) == len(r.awards)
    assert r.blank + r.invalid + sum(g.votes for g in r.groups) == len(ballots)
    if len(r.awards) < seats:  # seats stay vacant only when every list has run out
        assert len(r.awards) == total_names or all(
            set(g.names) <= set(r.elected) for g in r.groups)
    for g in r.groups:
        assert set(g.elected) <= set(g.names)
        assert list(g.elected) == [n for n in g.names if n in g.elected]  # list order
    # d'Hondt: no group that could still take a seat had a higher comparison number than
    # the lowest number that won one.
    if r.awards:
        lowest = min(a.comparison for a in r.awards)
        for g in r.groups:
            could = any(n not in r.elected for n in g.names)
            if could:
                assert Fraction(g.votes, g.seats + 1) <= lowest
