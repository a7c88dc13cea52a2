"""Opening, closing and voiding a vote (omröstning)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.db import IntegrityError, transaction

from meetings.contract import CommandContext, Emit, emit_all, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.log import locked_meeting, replayed_event
from meetings.models import Body, MeetingEvent
from meetings.presiding import presiding_of, require_presiding
from meetings.refs import optional_proposal_ref
from meetings.roles import Actor, require_control, require_open, roles_in
from voting.commands.common import (
    active_item,
    chair_id_of,
    pending_acclamation,
    proposal_on,
    require_quorum,
    vote_of,
)
from voting.commands.kontra import advance, link_step
from voting.commands.proportional import (
    check_proportional_open,
    require_majority_election_allowed,
)
from voting.commands.results import count
from voting.errors import VotingError
from voting.events import (
    RegisteredList,
    VoteClosed,
    VoteOpened,
    VoteVoided,
    quorum_state,
)
from voting.events import VotingEventType as E
from voting.formal import require_formal_motions_decided
from voting.freeze import freeze_eligibility
from voting.models import (
    Acclamation,
    CountedReceipt,
    SecretBallot,
    Vote,
)
from voting.sealing import unseal
from voting.tally import CHOICES, Outcome

MAX_CANDIDATES = 200
MAX_CANDIDATE_LENGTH = 200


def _check_election(candidates: Sequence[str] | None, posts: int | None) -> tuple[list[str], int]:
    names = list(candidates or [])
    if not names or len(names) > MAX_CANDIDATES or any(
        not isinstance(n, str) or not n.strip() or len(n) > MAX_CANDIDATE_LENGTH for n in names
    ) or len(set(names)) != len(names):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="candidates",
                           reason="distinct non-empty names")
    if not isinstance(posts, int) or isinstance(posts, bool) or not 1 <= posts <= len(names):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="posts",
                           reason="between 1 and the number of candidates")
    return names, posts


def _secret_allowed(body: Body, kind: str, appointment: bool) -> bool:
    """Elections are always secret; a secret vote on a proposal only where the rules say:
    any decision (associations), or staff appointments where the body allows those."""
    if kind in (Vote.Kind.ELECTION, Vote.Kind.PROPORTIONAL):
        return True
    policy = body.secret_ballot_policy
    return policy == Body.SecretBallotPolicy.ANY_DECISION or (
        appointment and policy == Body.SecretBallotPolicy.ELECTIONS_AND_APPOINTMENTS
    )


@meeting_command
def vote_open(
    cmd: CommandContext, *, item_id: int, kind: str = Vote.Kind.OPEN,
    main_proposal_id: int | None = None, counter_proposal_id: int | None = None,
    candidates: Sequence[str] | None = None, posts: int | None = None,
    appointment: bool = False, seats: int | None = None, substitutes: bool = False,
    lists: Sequence[RegisteredList] | None = None,
) -> Emit:
    """Open a vote and freeze who may vote: the serving, present, non-recused seats now.

    ``appointment`` marks a secret vote on a staff appointment (tjänstetillsättning), allowed
    under ``secret_ballot_policy=elections_and_appointments``. A proportional election
    (``kind="proportional"``) takes ``seats``, ``substitutes`` (the ersättare's election) and
    optionally the registered ``lists``; see ``voting.commands.proportional``."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = active_item(meeting, item_id)
    if kind not in Vote.Kind.values:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="kind", allowed=Vote.Kind.values)
    if Vote.objects.filter(item=item, state=Vote.State.OPEN).exists():
        raise CommandError(VotingError.VOTE_OPEN_ALREADY, item_id=item.pk)
    if kind != Vote.Kind.OPEN and not _secret_allowed(meeting.body, kind, appointment):
        raise CommandError(VotingError.SECRET_NOT_ALLOWED,
                           policy=meeting.body.secret_ballot_policy)
    main = counter = None
    names: list[str] = []
    n_posts: int | None = None
    registered: list[RegisteredList] = []
    if kind != Vote.Kind.PROPORTIONAL and (seats is not None or substitutes or lists):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="seats",
                           reason="only proportional elections have seats and lists")
    if kind == Vote.Kind.PROPORTIONAL:
        if main_proposal_id is not None or counter_proposal_id is not None or candidates \
                or posts is not None:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="main_proposal_id",
                               reason="a proportional election has seats and lists")
        n_posts, registered = check_proportional_open(meeting, item, seats=seats,
                                                      substitutes=substitutes, lists=lists)
    elif kind == Vote.Kind.ELECTION:
        require_majority_election_allowed(item)
        if main_proposal_id is not None or counter_proposal_id is not None:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="main_proposal_id",
                               reason="an election has candidates, not proposals")
        names, n_posts = _check_election(candidates, posts)
    else:
        if main_proposal_id is None:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="main_proposal_id")
        if candidates or posts is not None:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="candidates",
                               reason="only elections have candidates")
        main = proposal_on(item, main_proposal_id)
        if counter_proposal_id is not None:
            counter = proposal_on(item, counter_proposal_id)
            if counter.pk == main.pk:
                raise CommandError(ErrorCode.INVALID_ARGUMENT, field="counter_proposal_id")
        require_formal_motions_decided(item, main)
        require_formal_motions_decided(item, counter)
    acclamation = pending_acclamation(item)
    if acclamation is not None and (
        main is None or (acclamation.proposal_id, acclamation.counter_proposal_id)
        != (main.pk, counter.pk if counter else None)
    ):
        raise CommandError(VotingError.ACCLAMATION_PENDING, acclamation_id=acclamation.pk,
                           reason="vote on the proposals that were put")
    kontra, step = link_step(item, main, counter) if main is not None else (None, None)
    if acclamation is not None and acclamation.kontra_id is not None:
        kontra, step = acclamation.kontra, acclamation.kontra_step
    quorum = require_quorum(meeting)
    policy = meeting.body.abstain_policy
    vote = Vote(
        meeting=meeting, item=item, number=Vote.objects.filter(item=item).count() + 1,
        kind=kind, main_proposal=main, counter_proposal=counter, candidates=names,
        posts=n_posts, acclamation=acclamation, kontra=kontra, kontra_step=step,
        chair_id=chair_id_of(meeting), eligible_count=0,
        substitutes=kind == Vote.Kind.PROPORTIONAL and substitutes, lists=registered,
    )
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        raise CommandError(VotingError.VOTE_OPEN_ALREADY, item_id=item.pk) from None
    voters = freeze_eligibility(vote_id=vote.pk, meeting_id=meeting.pk,
                                active_item_id=meeting.active_item_id, abstain_policy=policy)
    if kind != Vote.Kind.OPEN and any(weight != 1 for _, _, weight, _, _ in voters):
        # A weight stored with a secret ballot would point at the seat that cast it. Raising
        # rolls the whole command back, the vote and its frozen rows with it.
        raise CommandError(VotingError.SECRET_NOT_ALLOWED, reason="weighted_seats")
    vote.eligible_count = len(voters)
    Vote.objects.filter(pk=vote.pk).update(eligible_count=vote.eligible_count)
    if acclamation is not None:
        acclamation.state = Acclamation.State.TO_VOTE
        acclamation.save(update_fields=["state"])
    payload = VoteOpened(
        item_id=item.pk, vote_id=vote.pk, number=vote.number, kind=kind,
        main_proposal=optional_proposal_ref(main),
        counter_proposal=optional_proposal_ref(counter),
        candidates=names, posts=n_posts,
        choices=list(CHOICES) if kind in (Vote.Kind.OPEN, Vote.Kind.SECRET) else None,
        abstain_policy=policy,
        eligible=voters,
        eligible_count=len(voters), cast=0,
        acclamation_id=acclamation.pk if acclamation else None,
        kontra_id=kontra.pk if kontra else None, kontra_step=step,
        quorum=quorum_state(quorum),
    )
    if kind == Vote.Kind.PROPORTIONAL:
        payload["substitutes"] = vote.substitutes
        payload["lists"] = registered
    return Emit(E.VOTE_OPENED, payload)


def reshuffle_secret_rows(vote: Vote) -> None:
    """Rewrite a closed (or voided) secret vote's ballots unsealed, in a fresh random order.

    While the vote was open each sealed ballot was written in its cast's transaction, beside
    the voter's mark (same ``xmin``, neighbouring ``ctid``). Here, in the closing transaction,
    the ballots are unsealed and written anew in one random order with fresh ids (so every
    ballot row's ``xmin`` is this transaction's, none is a mark's), and the receipt codes go
    to ``CountedReceipt`` in another, independent random order, apart from the choices. The
    marks stay as they were: they say only who voted. The old ballot versions remain as dead
    tuples until VACUUM, sealed (docs/security.md).
    """
    rng = secrets.SystemRandom()
    ballots = [unseal(vote.pk, sealed) if sealed else (choice, None) for choice, sealed in
               SecretBallot.objects.filter(vote=vote).values_list("choice", "sealed")]
    choices = [choice for choice, _ in ballots]
    receipts = [receipt for _, receipt in ballots if receipt]
    rng.shuffle(choices)
    rng.shuffle(receipts)
    SecretBallot.objects.filter(vote=vote).delete()
    SecretBallot.objects.bulk_create(SecretBallot(vote=vote, choice=c) for c in choices)
    CountedReceipt.objects.bulk_create(CountedReceipt(vote=vote, receipt=r) for r in receipts)


def winner_of(vote: Vote) -> int | None:
    """The proposal a closed ja/nej vote adopted (None: a lone proposal was rejected)."""
    if vote.state != Vote.State.CLOSED or not vote.result or "outcome" not in vote.result:
        return None
    if vote.result["outcome"] == "ja":
        return vote.main_proposal_id
    return vote.counter_proposal_id


def vote_close(
    *, meeting_id: int, actor: Actor, vote_id: int, casting_vote: Outcome | None = None,
    command_id: str | None = None,
) -> MeetingEvent:
    """Close and count. Idempotent: closing a closed vote returns its vote.closed event.

    On a tie in an open vote the chair's Ja/Nej decides; if the chair has not voted (or
    abstained) the close is refused with ``chair_decision_required`` until the chair votes or
    closes with ``casting_vote``.

    Not on ``meeting_command``, whose body cannot see the event it emits: the vote row links
    its own ``vote.closed`` event (that is how a repeated close, under any command id, is
    answered), so the link is written after the append, in the same transaction.
    """
    with locked_meeting(meeting_id) as meeting:
        if done := replayed_event(meeting=meeting, command_id=command_id,
                                  actor_id=getattr(actor, "pk", None)):
            return done
        cmd = CommandContext(meeting=meeting, actor=actor, command_id=command_id)
        if not (roles_in(meeting, actor).is_secretary or presiding_of(meeting).user_id
                == getattr(actor, "pk", None)):
            raise CommandError(ErrorCode.NOT_PRESIDING)
        vote = vote_of(meeting, vote_id)
        if vote.state == Vote.State.CLOSED:
            assert vote.close_event is not None
            return vote.close_event
        [event] = emit_all(cmd, _close(cmd, vote, casting_vote))
        vote.close_event = event
        vote.save(update_fields=["state", "result", "close_event"])
        return event


def _close(cmd: CommandContext, vote: Vote, casting_vote: Outcome | None) -> Emit:
    """The checks and changes of ``vote_close`` for a vote that is not closed yet."""
    meeting, actor = cmd.meeting, cmd.actor
    if vote.state == Vote.State.VOID:
        raise CommandError(VotingError.VOTE_CLOSED, vote_id=vote.pk, state=vote.state)
    require_open(meeting)
    quorum = require_quorum(meeting)  # before who presides: the refusal names the real blocker
    # Only the presiding person closes a vote and gives the casting vote; the secretary
    # may do both as their clerk (``on_behalf_of``).
    on_behalf_of = require_presiding(meeting, actor)
    if meeting.active_item_id != vote.item_id:
        raise CommandError(ErrorCode.ITEM_NOT_ACTIVE, item_id=vote.item_id)
    if casting_vote is not None:
        if vote.kind != Vote.Kind.OPEN or casting_vote not in ("ja", "nej"):
            raise CommandError(VotingError.INVALID_CHOICE, field="casting_vote")
        if on_behalf_of is not None:
            # The casting vote is the presiding person's own vote, never the clerk's.
            raise CommandError(ErrorCode.PERMISSION_DENIED,
                               reason="only the presiding person decides")
    result = count(vote, casting_vote)
    if vote.is_secret:
        reshuffle_secret_rows(vote)
    vote.state = Vote.State.CLOSED
    vote.result = result
    winner = winner_of(vote)
    kontra = None
    if vote.kontra_id is not None:
        assert vote.kontra is not None and vote.kontra_step is not None and winner is not None
        kontra = advance(vote.kontra, step_number=vote.kontra_step, winner_id=winner,
                         vote_id=vote.pk)
    payload = VoteClosed(
        item_id=vote.item_id, vote_id=vote.pk, number=vote.number, kind=vote.kind,
        main_proposal=optional_proposal_ref(vote.main_proposal),
        counter_proposal=optional_proposal_ref(vote.counter_proposal),
        candidates=vote.candidates, posts=vote.posts,
        result=result, winner_proposal_id=winner, kontra=kontra,
        quorum=quorum_state(quorum),
    )
    if on_behalf_of is not None and not vote.is_secret:
        # A secret vote's events name nobody (docs/security.md); who presided is in the log.
        payload["on_behalf_of"] = on_behalf_of
    return Emit(E.VOTE_CLOSED, payload)


@meeting_command
def vote_void(cmd: CommandContext, *, vote_id: int, reason: str) -> Emit:
    """Void an open vote (e.g. a technical failure); its ballots are never counted."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    vote = vote_of(meeting, vote_id)
    if vote.state != Vote.State.OPEN:
        raise CommandError(VotingError.VOTE_CLOSED, vote_id=vote.pk, state=vote.state)
    reason = (reason or "").strip()[:1000]
    if not reason:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="reason")
    vote.state = Vote.State.VOID
    vote.void_reason = reason
    if vote.is_secret:
        reshuffle_secret_rows(vote)
    vote.save(update_fields=["state", "void_reason"])
    return Emit(E.VOTE_VOIDED, VoteVoided(
        item_id=vote.item_id, vote_id=vote.pk, number=vote.number, kind=vote.kind,
        reason=reason, cast=vote.cast_count, eligible_count=vote.eligible_count,
    ))
