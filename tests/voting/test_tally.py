"""Property tests for the pure tally rules (the voting.tally package): no database needed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from voting.tally import (
    AVSTAR,
    ELIMINATION,
    JA,
    MAIN_VOTE,
    NEJ,
    ChairDecisionRequired,
    KontraPlan,
    Lot,
    OpenBallot,
    OpenResult,
    ProposalPair,
    Step,
    classify_election_ballot,
    pairwise_final,
    roll_call_order,
    tally_election,
    tally_open,
    tally_secret,
)

prop = settings(deadline=None, max_examples=200)

# ------------------------------------------------------------------ strategies

VOTER_IDS = [f"m{i}" for i in range(12)]


@st.composite
def open_votes(draw: st.DrawFn) -> tuple[list[OpenBallot], str | None]:
    """Ballots from distinct voters plus a chair who voted, did not vote, or is unknown."""
    ids = draw(st.lists(st.sampled_from(VOTER_IDS), unique=True, max_size=len(VOTER_IDS)))
    ballots = [
        OpenBallot(
            voter_id=i,
            choice=draw(st.sampled_from([JA, NEJ, AVSTAR])),
            weight=draw(st.integers(min_value=1, max_value=4)),
        )
        for i in ids
    ]
    chair = draw(st.one_of(st.none(), st.sampled_from(VOTER_IDS + ["outsider"])))
    return ballots, chair


@st.composite
def tied_votes(draw: st.DrawFn) -> tuple[list[OpenBallot], str | None]:
    """Open votes forced into a Ja/Nej tie, so the chair rule is exercised often."""
    ballots, chair = draw(open_votes())
    ja = sum(b.weight for b in ballots if b.choice == JA)
    nej = sum(b.weight for b in ballots if b.choice == NEJ)
    used = {b.voter_id for b in ballots}
    free = [f"x{i}" for i in range(100)]
    diff = ja - nej
    if diff:
        pad = OpenBallot(voter_id=free[0], choice=NEJ if diff > 0 else JA, weight=abs(diff))
        assert pad.voter_id not in used
        ballots = ballots + [pad]
    return ballots, chair


def weighted(ballots: Sequence[OpenBallot], choice: str) -> int:
    return sum(b.weight for b in ballots if b.choice == choice)


def chair_choice(ballots: Sequence[OpenBallot], chair: str | None) -> str | None:
    return next((b.choice for b in ballots if b.voter_id == chair), None)


def tally_or_cast(ballots: Sequence[OpenBallot], chair: str | None, cast: str) -> OpenResult:
    """Tally; when the chair must decide, record ``cast`` as their casting vote."""
    try:
        return tally_open(ballots=ballots, chair_voter_id=chair)
    except ChairDecisionRequired:
        return tally_open(ballots=ballots, chair_voter_id=chair, casting_vote=cast)


# ------------------------------------------------------------------ open vote


@prop
@given(open_votes(), st.sampled_from([JA, NEJ]))
def test_totals_equal_weighted_ballots(vote, cast) -> None:
    ballots, chair = vote
    r = tally_or_cast(ballots, chair, cast)
    assert r.ja == weighted(ballots, JA)
    assert r.nej == weighted(ballots, NEJ)
    assert r.avstar == weighted(ballots, AVSTAR)
    assert r.total == sum(b.weight for b in ballots) == r.ja + r.nej + r.avstar


@prop
@given(open_votes(), st.sampled_from([JA, NEJ]))
def test_winner_has_more_weight_or_chairs_side(vote, cast) -> None:
    ballots, chair = vote
    ja, nej = weighted(ballots, JA), weighted(ballots, NEJ)
    cc = chair_choice(ballots, chair)
    if ja == nej and cc not in (JA, NEJ):
        with pytest.raises(ChairDecisionRequired) as exc:
            tally_open(ballots=ballots, chair_voter_id=chair)
        assert (exc.value.ja, exc.value.nej) == (ja, nej)
        assert exc.value.avstar == weighted(ballots, AVSTAR)
        r = tally_open(ballots=ballots, chair_voter_id=chair, casting_vote=cast)
        assert r.outcome == cast and r.decided_by_casting_vote
        return
    r = tally_open(ballots=ballots, chair_voter_id=chair)
    if ja > nej:
        assert r.outcome == JA and not r.decided_by_casting_vote
    elif nej > ja:
        assert r.outcome == NEJ and not r.decided_by_casting_vote
    else:
        assert r.outcome == cc and r.decided_by_casting_vote


@prop
@given(tied_votes())
def test_tie_goes_to_chairs_side_or_demands_a_casting_vote(vote) -> None:
    ballots, chair = vote
    assert weighted(ballots, JA) == weighted(ballots, NEJ)
    cc = chair_choice(ballots, chair)
    if cc in (JA, NEJ):
        r = tally_open(ballots=ballots, chair_voter_id=chair)
        assert r.outcome == cc and r.decided_by_casting_vote
        # the casting vote is the chair's own vote: it cannot contradict it
        other = NEJ if cc == JA else JA
        with pytest.raises(ValueError):
            tally_open(ballots=ballots, chair_voter_id=chair, casting_vote=other)
    else:
        with pytest.raises(ChairDecisionRequired):
            tally_open(ballots=ballots, chair_voter_id=chair)


@prop
@given(open_votes(), st.lists(st.integers(min_value=1, max_value=5), max_size=6))
def test_abstentions_are_counted_but_never_decide(vote, extra_weights) -> None:
    ballots, chair = vote
    extra = [
        OpenBallot(voter_id=f"abst{i}", choice=AVSTAR, weight=w)
        for i, w in enumerate(extra_weights)
    ]
    before = tally_or_cast(ballots, chair, JA)
    after = tally_or_cast(ballots + extra, chair, JA)
    assert after.outcome == before.outcome
    assert after.decided_by_casting_vote == before.decided_by_casting_vote
    assert after.avstar == before.avstar + sum(extra_weights)
    assert after.total == before.total + sum(extra_weights)


@prop
@given(open_votes(), st.data())
def test_switching_a_vote_to_ja_never_makes_ja_lose(vote, data) -> None:
    ballots, chair = vote
    nej_idx = [i for i, b in enumerate(ballots) if b.choice == NEJ and b.voter_id != chair]
    assume(nej_idx)
    i = data.draw(st.sampled_from(nej_idx))
    before = tally_or_cast(ballots, chair, JA)
    switched = list(ballots)
    switched[i] = OpenBallot(voter_id=ballots[i].voter_id, choice=JA, weight=ballots[i].weight)
    after = tally_or_cast(switched, chair, JA)
    if before.outcome == JA:
        assert after.outcome == JA


def test_open_vote_examples() -> None:
    b = [OpenBallot("a", JA), OpenBallot("b", JA), OpenBallot("c", NEJ), OpenBallot("d", AVSTAR)]
    assert tally_open(ballots=b, chair_voter_id="d") == OpenResult(2, 1, 1, 4, JA, False)
    # 2-2 tie, the chair (voting last, "nej") decides
    tie = b[:3] + [OpenBallot("ch", NEJ)]
    r = tally_open(ballots=tie, chair_voter_id="ch")
    assert (r.ja, r.nej, r.outcome, r.decided_by_casting_vote) == (2, 2, NEJ, True)
    # same tie but the chair abstained: the chair must decide
    tie_abst = b[:3] + [OpenBallot("e", NEJ), OpenBallot("ch", AVSTAR)]
    with pytest.raises(ChairDecisionRequired):
        tally_open(ballots=tie_abst, chair_voter_id="ch")
    r = tally_open(ballots=tie_abst, chair_voter_id="ch", casting_vote=JA)
    assert (r.outcome, r.total, r.avstar) == (JA, 5, 1)
    # weights: one member holding 3 votes outweighs two
    w = [OpenBallot("a", NEJ, 3), OpenBallot("b", JA), OpenBallot("c", JA)]
    assert tally_open(ballots=w, chair_voter_id=None).outcome == NEJ
    # nobody voted ja or nej: still a tie the chair has to break
    with pytest.raises(ChairDecisionRequired):
        tally_open(ballots=[], chair_voter_id="ch")


def test_open_vote_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        tally_open(ballots=[OpenBallot("a", JA), OpenBallot("a", NEJ)], chair_voter_id=None)
    with pytest.raises(ValueError):
        OpenBallot("a", "kanske")  # type: ignore[arg-type]
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError):
            OpenBallot("a", JA, bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        tally_open(ballots=[], chair_voter_id=None, casting_vote=AVSTAR)  # type: ignore[arg-type]
    with pytest.raises(FrozenInstanceError):
        OpenBallot("a", JA).choice = NEJ  # type: ignore[misc]


@prop
@given(st.text(min_size=1, max_size=5), st.text(min_size=1, max_size=5))
def test_proposal_pair_maps_ja_to_main_and_nej_to_counter(a, b) -> None:
    assume(a != b)
    pair = ProposalPair(main=a, counter=b)
    assert pair.choice_for(a) == JA and pair.choice_for(b) == NEJ
    assert pair.proposal_for(JA) == a and pair.proposal_for(NEJ) == b
    for p in (a, b):
        assert pair.proposal_for(pair.choice_for(p)) == p


def test_proposal_pair_rejects_strangers() -> None:
    pair = ProposalPair(main="A", counter="B")
    with pytest.raises(ValueError):
        pair.choice_for("C")
    with pytest.raises(ValueError):
        pair.proposal_for(AVSTAR)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ProposalPair(main="A", counter="A")


def test_roll_call_puts_chair_last() -> None:
    assert roll_call_order(attendance=["c", "a", "b"], chair_id="c") == ("a", "b", "c")
    assert roll_call_order(attendance=["a", "b"], chair_id=None) == ("a", "b")
    assert roll_call_order(attendance=["a", "b"], chair_id="z") == ("a", "b")


# ------------------------------------------------------- kontrapropositionsvotering


@st.composite
def kontra_cases(draw: st.DrawFn, min_n: int = 2, max_n: int = 7):
    """Proposals in proposition order, the acclamation winner, and an arbitrary
    (possibly non-transitive) pairwise preference of the meeting."""
    n = draw(st.integers(min_value=min_n, max_value=max_n))
    names = draw(st.permutations([f"yrkande-{i}" for i in range(n)]))
    main = draw(st.sampled_from(names))
    table: dict[frozenset[str], str] = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            table[frozenset((a, b))] = draw(st.sampled_from([a, b]))

    def prefers(x: str, y: str) -> str:
        return table[frozenset((x, y))]

    return list(names), main, prefers


def run_plan(plan: KontraPlan, prefers) -> tuple[KontraPlan, list[Step]]:
    steps: list[Step] = []
    while (step := plan.next_step()) is not None:
        steps.append(step)
        plan = plan.record(step, prefers(step.first, step.second))
        assert len(steps) <= 10, "plan does not terminate"
    return plan, steps


@prop
@given(kontra_cases())
def test_kontraproposition_ends_with_brute_force_final_pair(case) -> None:
    proposals, main, prefers = case
    plan, steps = run_plan(KontraPlan.start(proposals=proposals, main=main), prefers)
    final = steps[-1]
    assert final.kind == MAIN_VOTE
    assert (final.first, final.second) == pairwise_final(
        proposals=proposals, main=main, prefers=prefers
    )
    assert plan.counter == final.second
    assert plan.winner == prefers(final.first, final.second)
    assert plan.done and plan.next_step() is None


@prop
@given(kontra_cases())
def test_kontraproposition_step_count_and_order(case) -> None:
    proposals, main, prefers = case
    n = len(proposals)
    plan, steps = run_plan(KontraPlan.start(proposals=proposals, main=main), prefers)
    others = [p for p in proposals if p != main]
    assert len(steps) == n - 1 == plan.steps_needed
    assert [s.kind for s in steps] == [ELIMINATION] * (n - 2) + [MAIN_VOTE]
    assert [s.number for s in steps] == list(range(1, n))
    elims = steps[:-1]
    if elims:
        # first vs second, then the survivor vs each next one in proposition order
        assert elims[0].first == others[0]
        assert [s.second for s in elims] == others[1:]
        for prev, nxt in zip(elims, elims[1:], strict=False):
            assert nxt.first == prefers(prev.first, prev.second)
        # the main proposal never takes part in the elimination
        assert all(main not in (s.first, s.second) for s in elims)
    # every non-main proposal except the counter-proposal loses exactly one vote
    losers = [
        s.second if plan.history[i].winner == s.first else s.first for i, s in enumerate(elims)
    ]
    assert sorted(losers) == sorted(p for p in others if p != plan.counter)


@prop
@given(st.integers(min_value=2, max_value=7), st.data())
def test_kontraproposition_transitive_preference_picks_best_counter(n, data) -> None:
    names = [f"p{i}" for i in range(n)]
    main = data.draw(st.sampled_from(names))
    ranking = data.draw(st.permutations(names))  # earlier = preferred

    def prefers(x: str, y: str) -> str:
        return x if ranking.index(x) < ranking.index(y) else y

    plan, _ = run_plan(KontraPlan.start(proposals=names, main=main), prefers)
    others = [p for p in names if p != main]
    best_other = min(others, key=ranking.index)
    assert plan.counter == best_other
    assert plan.winner == prefers(main, best_other)


@prop
@given(kontra_cases(min_n=3))
def test_kontraplan_is_immutable_and_refuses_out_of_order(case) -> None:
    proposals, main, prefers = case
    plan = KontraPlan.start(proposals=proposals, main=main)
    step = plan.next_step()
    assert step is not None and step.kind == ELIMINATION
    after = plan.record(step, step.first)
    assert plan.history == () and plan.next_step() == step
    assert len(after.history) == 1
    with pytest.raises(ValueError):
        after.record(step, step.first)  # replaying the same step
    with pytest.raises(ValueError):
        plan.record(step, main)  # main is not in the elimination pair
    with pytest.raises(ValueError):
        plan.record(Step(MAIN_VOTE, main, step.first, 1), main)  # skipping ahead
    with pytest.raises(FrozenInstanceError):
        plan.main = "x"  # type: ignore[misc]


def test_kontraproposition_small_cases() -> None:
    one = KontraPlan.start(proposals=["A"], main="A")
    assert one.next_step() is None and one.winner == "A" and one.counter is None
    assert one.steps_needed == 0
    two = KontraPlan.start(proposals=["A", "B"], main="B")
    step = two.next_step()
    assert step == Step(MAIN_VOTE, "B", "A", 1)
    assert step.pair.choice_for("B") == JA
    done = two.record(step, "A")
    assert done.winner == "A" and done.next_step() is None
    with pytest.raises(ValueError):
        done.record(step, "A")


def test_kontraproposition_example_order() -> None:
    # Four proposals, acclamation winner C: A vs B, winner vs D, then C vs survivor.
    plan = KontraPlan.start(proposals=["A", "B", "C", "D"], main="C")
    s1 = plan.next_step()
    assert s1 == Step(ELIMINATION, "A", "B", 1)
    plan = plan.record(s1, "B")
    s2 = plan.next_step()
    assert s2 == Step(ELIMINATION, "B", "D", 2)
    plan = plan.record(s2, "D")
    assert plan.counter == "D"
    s3 = plan.next_step()
    assert s3 == Step(MAIN_VOTE, "C", "D", 3)
    plan = plan.record(s3, "C")
    assert plan.winner == "C"


def test_kontraplan_rejects_bad_setup() -> None:
    with pytest.raises(ValueError):
        KontraPlan.start(proposals=[], main="A")
    with pytest.raises(ValueError):
        KontraPlan.start(proposals=["A", "B"], main="C")
    with pytest.raises(ValueError):
        KontraPlan.start(proposals=["A", "A", "B"], main="B")
    with pytest.raises(ValueError):
        pairwise_final(proposals=["A"], main="A", prefers=lambda a, b: a)
    with pytest.raises(ValueError):
        pairwise_final(proposals=["A", "B", "C"], main="A", prefers=lambda a, b: "Z")


# ------------------------------------------------------------------ elections


class RecordingDraw:
    """A deterministic lot that remembers what it was asked."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.calls: list[tuple[tuple[str, ...], int]] = []

    def __call__(self, population: Sequence[str], k: int) -> list[str]:
        self.calls.append((tuple(population), k))
        return random.Random(self.seed).sample(list(population), k)


@st.composite
def elections(draw: st.DrawFn):
    n = draw(st.integers(min_value=1, max_value=7))
    candidates = [f"kandidat-{i}" for i in range(n)]
    posts = draw(st.integers(min_value=1, max_value=5))
    names = st.sampled_from(candidates + ["okänd"])
    ballot = st.one_of(
        # mostly well-formed ballots, so ties at the cut-off are common
        st.lists(st.sampled_from(candidates), unique=True, max_size=posts),
        st.lists(names, max_size=posts + 2),
    )
    ballots = draw(st.lists(ballot, max_size=30))
    return candidates, posts, ballots


def expected_kind(ballot: Sequence[str], candidates: Sequence[str], posts: int) -> str:
    if not ballot:
        return "blank"
    if len(ballot) > posts or len(set(ballot)) < len(ballot):
        return "invalid"
    if any(name not in candidates for name in ballot):
        return "invalid"
    return "valid"


@prop
@given(elections(), st.integers(min_value=0, max_value=2**32))
def test_election_counts(case, seed) -> None:
    candidates, posts, ballots = case
    r = tally_election(
        candidates=candidates, posts=posts, ballots=ballots, draw=RecordingDraw(seed)
    )
    kinds = [expected_kind(b, candidates, posts) for b in ballots]
    assert [
        classify_election_ballot(b, candidates=candidates, posts=posts) for b in ballots
    ] == kinds
    assert r.blank == kinds.count("blank")
    assert r.invalid == kinds.count("invalid")
    assert r.valid == kinds.count("valid")
    assert r.blank + r.invalid + r.valid == len(ballots)
    valid = [b for b, k in zip(ballots, kinds, strict=True) if k == "valid"]
    assert sum(v for _, v in r.votes) == sum(len(b) for b in valid)
    assert [c for c, _ in r.votes] == candidates
    for c in candidates:
        assert r.votes_for(c) == sum(c in b for b in valid)


@prop
@given(elections(), st.integers(min_value=0, max_value=2**32))
def test_election_elects_the_most_voted_and_lots_only_the_tied(case, seed) -> None:
    candidates, posts, ballots = case
    lot_draw = RecordingDraw(seed)
    r = tally_election(candidates=candidates, posts=posts, ballots=ballots, draw=lot_draw)
    votes = dict(r.votes)
    with_votes = [c for c in candidates if votes[c] > 0]
    assert len(r.elected) == min(posts, len(with_votes))
    assert len(set(r.elected)) == len(r.elected)
    assert set(r.elected) <= set(with_votes)
    losers = [c for c in with_votes if c not in r.elected]
    for e in r.elected:
        for loser in losers:
            assert votes[e] >= votes[loser]
            if votes[e] == votes[loser]:
                # equal votes on both sides of the cut-off: only a lot may separate them
                assert r.lot is not None and {e, loser} <= set(r.lot.tied)
    # elected in descending vote order
    assert [votes[e] for e in r.elected] == sorted((votes[e] for e in r.elected), reverse=True)
    if r.lot is None:
        assert lot_draw.calls == []
    else:
        assert len(lot_draw.calls) == 1
        population, k = lot_draw.calls[0]
        cutoff = votes[r.lot.tied[0]]
        assert set(population) == set(r.lot.tied) == {c for c in with_votes if votes[c] == cutoff}
        above = [c for c in with_votes if votes[c] > cutoff]
        assert k == r.lot.seats == posts - len(above)
        assert 0 < k < len(population)
        assert set(r.lot.drawn) <= set(r.lot.tied) and len(r.lot.drawn) == k
        assert set(r.elected) == set(above) | set(r.lot.drawn)
    # deterministic given the draw function
    again = tally_election(
        candidates=candidates, posts=posts, ballots=ballots, draw=RecordingDraw(seed)
    )
    assert again == r


@prop
@given(elections())
def test_election_default_draw_uses_system_random(case) -> None:
    candidates, posts, ballots = case
    r = tally_election(candidates=candidates, posts=posts, ballots=ballots)
    votes = dict(r.votes)
    assert len(r.elected) == min(posts, sum(v > 0 for v in votes.values()))


def test_election_example_with_lot() -> None:
    ballots = [["A", "B"], ["A", "C"], ["A"], ["B"], ["C"], [], ["A", "A"], ["Z"], ["A", "B", "C"]]
    r = tally_election(
        candidates=["A", "B", "C"], posts=2, ballots=ballots, draw=lambda pop, k: [pop[-1]]
    )
    assert dict(r.votes) == {"A": 3, "B": 2, "C": 2}
    assert (r.blank, r.invalid, r.valid) == (1, 3, 5)
    assert r.lot == Lot(tied=("B", "C"), seats=1, drawn=("C",))
    assert r.elected == ("A", "C")
    # one post, three-way tie at the top: the lot picks one of all three
    r = tally_election(
        candidates=["A", "B", "C"],
        posts=1,
        ballots=[["A"], ["B"], ["C"]],
        draw=lambda pop, k: [pop[1]],
    )
    assert r.lot == Lot(tied=("A", "B", "C"), seats=1, drawn=("B",))
    assert r.elected == ("B",)


def test_election_tie_above_cutoff_needs_no_lot() -> None:
    def no_lot(pop: Sequence[str], k: int) -> list[str]:
        raise AssertionError("no lot expected")

    r = tally_election(
        candidates=["A", "B", "C"], posts=2, ballots=[["A", "B"], ["A", "B"], ["C"]], draw=no_lot
    )
    assert r.elected == ("A", "B") and r.lot is None
    # fewer candidates with votes than posts: the seat stays open
    r = tally_election(candidates=["A", "B", "C"], posts=3, ballots=[["A"], []], draw=no_lot)
    assert r.elected == ("A",)


def test_election_rejects_bad_draw_and_setup() -> None:
    ballots = [["A"], ["B"]]
    for bad in (lambda p, k: [], lambda p, k: ["Z"], lambda p, k: ["A", "B"]):
        with pytest.raises(ValueError):
            tally_election(candidates=["A", "B"], posts=1, ballots=ballots, draw=bad)
    with pytest.raises(ValueError):
        tally_election(candidates=["A", "A"], posts=1, ballots=[])
    with pytest.raises(ValueError):
        tally_election(candidates=["A"], posts=0, ballots=[])
    with pytest.raises(TypeError):
        tally_election(candidates=["A"], posts=1, ballots=["A"])


# ------------------------------------------------------------- secret decision

secret_ballots = st.lists(st.sampled_from([JA, NEJ, AVSTAR, None, "", "kanske"]), max_size=25)


@prop
@given(secret_ballots, st.sampled_from([JA, NEJ]))
def test_secret_decision_counts_and_lot_on_tie(ballots, lot_pick) -> None:
    calls: list[tuple[tuple[str, ...], int]] = []

    def lot(pop: Sequence[str], k: int) -> list[str]:
        calls.append((tuple(pop), k))
        return [lot_pick]

    r = tally_secret(ballots=ballots, draw=lot)
    assert r.ja == ballots.count(JA) and r.nej == ballots.count(NEJ)
    assert r.avstar == ballots.count(AVSTAR)
    assert r.blank == ballots.count(None) + ballots.count("")
    assert r.invalid == ballots.count("kanske")
    assert r.total == len(ballots) == r.ja + r.nej + r.avstar + r.blank + r.invalid
    if r.ja == r.nej:
        assert calls == [((JA, NEJ), 1)]
        assert r.lot == Lot(tied=(JA, NEJ), seats=1, drawn=(lot_pick,))
        assert r.outcome == lot_pick
    else:
        assert calls == [] and r.lot is None
        assert r.outcome == (JA if r.ja > r.nej else NEJ)
