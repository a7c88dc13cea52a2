"""Casting a ballot: the member's own, or an oral answer recorded by the secretary.

The path takes the meeting lock like every command, because each cast appends one
``ballot.cast`` event (the live "N of M have voted") and the log's seq must stay contiguous.
That lock is also what orders a cast against a close: a cast that commits first is counted,
a cast that comes after finds the vote closed and is answered ``vote_closed``. Under that lock
a batch of casts (``ballots_cast``, how the server takes a vote storm) reads the earlier
ballots once; the unique constraints (vote, voter) stay the last word: a batch that ever hit
one fails whole and the server retries its ballots one by one, where a hit is
``already_voted``.

Secret votes: the event carries counts only, no actor and no command id; the voter's receipt
code is returned to the caller only (``CastResult.receipt``), never logged; the ballot row
holds the choice and receipt sealed (``voting.sealing``) until the vote closes.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from meetings.bulk import insert_rows
from meetings.errors import CommandError, ErrorCode
from meetings.log import NewEvent, append_events, locked_meeting, replayed_event
from meetings.models import Body, Meeting, MeetingEvent, Participant, Recusal
from meetings.roles import Actor, query_id, require_control, require_open, signed_in
from meetings.roster import ServingSeat, serving_seats
from voting.commands.common import user_of, vote_of
from voting.commands.proportional import proportional_choice
from voting.errors import VotingError
from voting.events import BallotCast, VotingEventType
from voting.models import Eligibility, OpenBallot, SecretBallot, Vote, VoterMark
from voting.sealing import seal

#: Receipt codes: 10 characters of Crockford-style base32 (50 bits), easy to read aloud.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 10


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


@dataclass(frozen=True)
class CastResult:
    """What a cast returns: the (count-only) event, and for a secret ballot the receipt."""

    event: MeetingEvent
    receipt: str | None = None

    def as_result(self) -> dict[str, Any]:
        return {"seq": self.event.seq, "vote_id": self.event.payload.get("vote_id"),
                "receipt": self.receipt}


def _not_now(meeting: Meeting, vote: Vote, user_id: int,
             seat: ServingSeat | None) -> CommandError | None:
    """Why someone may not vote at this moment, with the most specific code, or None.

    Checked at every cast, not only when the vote opened (domain.md: only members present
    and serving at the moment of the decision take part): a remote member whose link expired
    is no longer present, and nobody recused on the item casts on it, whenever the jäv came.
    """
    if seat is not None and seat.may_decide:
        return None
    if not Participant.objects.filter(meeting=meeting, user_id=user_id).exists():
        return CommandError(ErrorCode.NOT_A_PARTICIPANT)
    if Recusal.objects.filter(item_id=vote.item_id, user_id=user_id).exists():
        return CommandError(ErrorCode.RECUSED, item_id=vote.item_id)
    if seat is None or seat.user_id is None:
        return CommandError(ErrorCode.NOT_SERVING)
    return CommandError(ErrorCode.NOT_PRESENT, seat=seat.seat_number)


def _check_choice(meeting: Meeting, vote: Vote, may_abstain: bool, choice: Any) -> Any:
    if vote.kind == Vote.Kind.PROPORTIONAL:
        return proportional_choice(choice)
    if vote.kind == Vote.Kind.ELECTION:
        if not isinstance(choice, list) or len(choice) > (vote.posts or 0) or len(
            set(map(str, choice))
        ) != len(choice) or not all(isinstance(c, str) and c in vote.candidates
                                    for c in choice):
            raise CommandError(VotingError.INVALID_CHOICE, candidates=vote.candidates,
                               posts=vote.posts)
        return sorted(choice)  # canonical: the order of ticking is not stored
    if choice is None and vote.kind == Vote.Kind.SECRET:
        return None  # a blank ballot
    if choice not in ("ja", "nej", "avstar"):
        raise CommandError(VotingError.INVALID_CHOICE, allowed=["ja", "nej", "avstar"])
    if choice == "avstar":
        policy = meeting.body.abstain_policy
        if policy == Body.AbstainPolicy.FORBIDDEN:
            raise CommandError(VotingError.ABSTAIN_NOT_ALLOWED)
        if not may_abstain:
            raise CommandError(VotingError.ABSTENTION_NOT_ANNOUNCED)
    return choice


@dataclass(frozen=True)
class CastRequest:
    """One ballot to cast: whose, in which vote, what choice (the wire command's arguments)."""

    voter: Actor
    vote_id: Any
    choice: Any
    command_id: str | None = None


def _votes(meeting: Meeting, requests: list[CastRequest]) -> dict[Any, Vote | CommandError]:
    """Each requested vote (locked), or why it cannot take ballots now."""
    found: dict[Any, Vote | CommandError] = {}
    for vote_id in dict.fromkeys(r.vote_id for r in requests):
        try:
            vote = vote_of(meeting, vote_id)
            if vote.state != Vote.State.OPEN:
                raise CommandError(VotingError.VOTE_CLOSED, vote_id=vote.pk, state=vote.state)
            if meeting.active_item_id != vote.item_id:
                # The item was closed under an open vote: nothing may be added; void the vote.
                raise CommandError(ErrorCode.ITEM_NOT_ACTIVE, item_id=vote.item_id)
        except CommandError as exc:
            found[vote_id] = exc
        else:
            found[vote_id] = vote
    return found


@dataclass
class _Accepted:
    index: int  # position of the request (and its outcome)
    vote: Vote
    voter_id: int
    choice: Any
    receipt: str | None


def _cast_all(
    *, meeting: Meeting, requests: list[CastRequest], recorded_by: User | None,
) -> list[CastResult | CommandError]:
    """Cast ballots in a locked meeting, in order; one outcome per request.

    The checks are the same for one ballot or a thousand; a batch reads the votes, the
    eligibility and the earlier ballots once and writes with one insert per table, so a
    vote storm costs a few queries per batch instead of ten per ballot."""
    try:
        require_open(meeting)
    except CommandError as exc:
        return [exc for _ in requests]
    votes = _votes(meeting, requests)
    open_votes = [v for v in votes.values() if isinstance(v, Vote)]
    # Whole votes, as plain rows: cheaper than a thousand-id IN list and model instances.
    may_abstain = dict(((vote_id, user_id), abstain) for vote_id, user_id, abstain in
                       Eligibility.objects.filter(vote__in=open_votes).values_list(
                           "vote_id", "user_id", "may_abstain"))
    voted = set(OpenBallot.objects.filter(vote__in=open_votes).values_list("vote_id",
                                                                           "voter_id"))
    voted |= set(VoterMark.objects.filter(vote__in=open_votes).values_list("vote_id",
                                                                           "voter_id"))
    # Who serves, is present and is not recused now: one read for the whole batch.
    seats_now = {s.user_id: s for s in serving_seats(meeting) if s.user_id is not None}
    outcomes: list[CastResult | CommandError | None] = []
    accepted: list[_Accepted] = []
    for index, request in enumerate(requests):
        try:
            vote = votes[request.vote_id]
            if isinstance(vote, CommandError):
                raise vote
            voter_id = query_id(request.voter)
            if refusal := _not_now(meeting, vote, voter_id, seats_now.get(voter_id)):
                raise refusal
            abstain = may_abstain.get((vote.pk, voter_id))
            if abstain is None:
                # Serving and present now, but not when the vote opened.
                raise CommandError(VotingError.NOT_ELIGIBLE, vote_id=vote.pk)
            if recorded_by is not None and vote.is_secret:
                # An oral answer cannot be secret: the secretary would know the choice.
                raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="secret ballots are cast "
                                   "by the voter")
            choice = _check_choice(meeting, vote, abstain, request.choice)
            if (vote.pk, voter_id) in voted:
                raise CommandError(VotingError.ALREADY_VOTED, vote_id=vote.pk)
        except CommandError as exc:
            outcomes.append(exc)
            continue
        voted.add((vote.pk, voter_id))
        accepted.append(_Accepted(index=index, vote=vote, voter_id=voter_id, choice=choice,
                                  receipt=new_receipt() if vote.is_secret else None))
        outcomes.append(None)
    _store(accepted, recorded_by=recorded_by)
    new_events = []
    for ballot in accepted:
        ballot.vote.cast_count += 1
        new_events.append(NewEvent(
            type=str(VotingEventType.BALLOT_CAST),
            payload=BallotCast(item_id=ballot.vote.item_id, vote_id=ballot.vote.pk,
                               kind=ballot.vote.kind, cast=ballot.vote.cast_count,
                               eligible_count=ballot.vote.eligible_count),
            # Who cast is not logged (a secret vote's log has only counts; an open vote's names
            # are revealed at close), so neither the actor nor the client's command id is kept.
        ))
    for vote in {b.vote.pk: b.vote for b in accepted}.values():
        Vote.objects.filter(pk=vote.pk).update(cast_count=vote.cast_count)
    events = append_events(meeting=meeting, events=new_events, with_ids=False)
    for ballot, event in zip(accepted, events, strict=True):
        outcomes[ballot.index] = CastResult(event=event, receipt=ballot.receipt)
    return outcomes  # type: ignore[return-value]


def _store(accepted: list[_Accepted], *, recorded_by: User | None) -> None:
    """Insert the accepted ballots. The unique constraints (vote, voter) stay the last word;
    under the meeting lock they never fire, and if they ever do the whole batch fails."""
    open_rows, marks, secret_rows = [], [], []
    for ballot in accepted:
        if ballot.vote.is_secret:
            assert ballot.receipt is not None  # every secret ballot got one when accepted
            marks.append(VoterMark(vote=ballot.vote, voter_id=ballot.voter_id))
            secret_rows.append(SecretBallot(
                vote=ballot.vote, sealed=seal(ballot.vote.pk, ballot.choice, ballot.receipt)))
        else:
            open_rows.append(OpenBallot(vote=ballot.vote, voter_id=ballot.voter_id,
                                        choice=ballot.choice, recorded_by=recorded_by))
    # Marks and ballots go in as separate statements in unrelated orders: nothing about a
    # batch's insertion order links a voter to a choice.
    secrets.SystemRandom().shuffle(secret_rows)
    insert_rows(OpenBallot, open_rows)
    insert_rows(VoterMark, marks)
    insert_rows(SecretBallot, secret_rows)


def _refuse_replay(meeting: Meeting, command_id: str | None, actor: Actor) -> None:
    """A ``ballot.cast`` event never keeps its command id, so an earlier event with this id
    was some other command: answering with it would silently drop the ballot."""
    if replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk) is not None:
        raise CommandError(ErrorCode.COMMAND_ID_CONFLICT, command_id=command_id)


def _only(outcome: CastResult | CommandError) -> CastResult:
    if isinstance(outcome, CommandError):
        raise outcome
    return outcome


def ballot_cast(
    *, meeting_id: int, actor: Actor, vote_id: int, choice: Any,
    command_id: str | None = None,
) -> CastResult:
    """A member casts their own ballot from their client.

    ``choice``: "ja" / "nej" / "avstar" (a secret vote also takes null = blank); in an
    election a list of up to ``posts`` candidate names (empty = blank). A retried cast is
    answered ``already_voted`` (the first one counted); the cast is not looked up by
    ``command_id`` because who cast is deliberately not logged.
    """
    return _only(ballots_cast(meeting_id=meeting_id, requests=[
        CastRequest(voter=actor, vote_id=vote_id, choice=choice, command_id=command_id)])[0])


def ballots_cast(
    *, meeting_id: int, requests: Sequence[CastRequest],
) -> list[CastResult | CommandError]:
    """Members' own ballots, many at once, in one transaction under one meeting lock (the
    server gathers a vote storm into batches). Each request gets the outcome ``ballot_cast``
    would have given it alone, in the same order.

    Not on ``meeting_command``: a cast has its own replay rule (no command id is logged with
    it, so an id already in the log belongs to another command and is refused), and a batch
    answers every request, refusals included, instead of raising the first refusal."""
    requests = list(requests)
    try:
        with locked_meeting(meeting_id) as meeting:
            return _cast_batch(meeting, requests)
    except CommandError as exc:
        if exc.code != ErrorCode.MEETING_NOT_FOUND:
            raise
        return [exc for _ in requests]


def _cast_batch(
    meeting: Meeting, requests: list[CastRequest],
) -> list[CastResult | CommandError]:
    """``ballots_cast`` inside the locked meeting."""
    ids = {r.command_id for r in requests if r.command_id}
    taken = set(MeetingEvent.objects.filter(meeting=meeting, command_id__in=ids)
                .values_list("command_id", flat=True)) if ids else set()
    outcomes: list[CastResult | CommandError | None] = [None] * len(requests)
    valid: list[int] = []
    for index, request in enumerate(requests):
        if request.command_id in taken:
            outcomes[index] = CommandError(ErrorCode.COMMAND_ID_CONFLICT,
                                           command_id=request.command_id)
        elif not getattr(request.voter, "is_authenticated", False):
            outcomes[index] = CommandError(ErrorCode.NOT_A_PARTICIPANT)
        else:
            valid.append(index)
    try:
        with transaction.atomic():
            cast = _cast_all(meeting=meeting, requests=[requests[i] for i in valid],
                             recorded_by=None)
    except IntegrityError:
        if len(valid) != 1:
            raise  # the caller retries one by one
        cast = [CommandError(VotingError.ALREADY_VOTED, vote_id=requests[valid[0]].vote_id)]
    for index, outcome in zip(valid, cast, strict=True):
        outcomes[index] = outcome
    return outcomes  # type: ignore[return-value]


def ballot_record(
    *, meeting_id: int, actor: Actor, vote_id: int, user_id: int, choice: str,
    command_id: str | None = None,
) -> CastResult:
    """The secretary records a member's oral answer in an open vote (marked ``recorded_by``).

    On ``locked_meeting`` rather than ``meeting_command`` for the same replay rule as a
    member's own cast (see ``ballots_cast``)."""
    with locked_meeting(meeting_id) as meeting:
        _refuse_replay(meeting, command_id, actor)
        require_control(meeting, actor)
        voter = user_of(user_id)
        return _only(_cast_all(meeting=meeting, recorded_by=signed_in(actor), requests=[
            CastRequest(voter=voter, vote_id=vote_id, choice=choice,
                        command_id=command_id)])[0])
