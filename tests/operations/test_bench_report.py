"""``make bench`` fails a run that lost anything, however fast it was: a missing event or
ballot is a failed check, printed and in the exit status, not a footnote in the JSON."""

from __future__ import annotations

from bench.report import against_targets, broken, growth_table

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


def test_each_target_is_judged_against_the_reference_of_its_own_topology():
    """Production behind nginx is read against the reference behind the same nginx."""
    results = {
        "floors": {"websockets": {"fanout_ms": {"max": 100.0}},
                   "local": {"connect_total_s": 5.0}, "local-front": {"connect_total_s": 8.0}},
        "klubba": {"embedded": {"connect_total_s": 9.0, "vote_open_reply_ms": 19.0,
                                "light_fanout_ms": {"max": 140.0}},
                   "production x2 nginx": {"connect_total_s": 15.0,
                                           "storm": {"ack_ms": {"p99": 300.0}},
                                           "ping_storm_ms": {"p99": 220.0}}}}
    lines = "\n".join(against_targets(results))
    assert "embedded 9 = 1.80x ref (<= 2x): met" in lines
    assert "production x2 nginx 15.0 = 1.88x local nginx ref (<= 2x): met" in lines
    assert "vote.open reply (ms) [<= 20]: embedded 19.0: met" in lines
    assert "embedded 140.0 = 1.40x ws floor (<= 1.3x): NOT MET" in lines
    assert "production x2 nginx 300.0 = the same burst of pings 220.0: NOT MET" in lines
