"""``make bench`` fails a run that lost anything, however fast it was: a missing event or
ballot is a failed check, printed and in the exit status, not a footnote in the JSON."""

from __future__ import annotations

from bench.report import broken, growth_table

GOOD = {"connect_failed": 0, "fanout_ms": {"missing": 0, "max": 300.0},
        "storm": {"lost_or_duplicate": 0, "closed_fanout_ms": {"missing": 0}},
        "seq": {"all_match": True}, "closed_by_server": 0}


def test_a_clean_run_passes_and_a_run_that_lost_events_fails():
    assert broken({"klubba": {"embedded": GOOD, "minutes": {"total_s": 2.0}}}) == []
    lossy = {**GOOD, "seq": {"all_match": False},
             "storm": {"lost_or_duplicate": 0, "closed_fanout_ms": {"missing": 2000}}}
    growth = {"growth": {"4000": {"klubba": {"embedded": lossy, "production x2": GOOD}}}}
    assert broken(growth) == [
        "N=4000 klubba embedded: storm.closed_fanout_ms.missing = 2000, expected 0",
        "N=4000 klubba embedded: seq.all_match = NO, expected yes",
    ]
    assert "| every client's last seq = head | klubba embedded" in growth_table(growth)
