"""Casting a ballot: the member's own, or an oral answer recorded by the secretary.

The path takes the meeting lock like every command, because each cast appends one
``ballot.cast`` event (the live "N of M have voted") and the log's seq must stay contiguous.
That lock is also what orders a cast against a close: a cast that commits first is counted,
a cast that comes after finds the vote closed and is answered ``vote_closed``. The unique
constraints (vote, voter) are what stop a second ballot, not a Python check.

Secret votes: the event carries counts only, no actor and no command id; the voter's receipt
code is returned to the caller only (``CastResult.receipt``), never logged.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from meetings.errors import CommandError, ErrorCode
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import Body, Meeting, MeetingEvent, Participant, Recusal
from meetings.roles import Actor, require_control, require_open
from meetings.roster import serving_seat_of
from voting.commands.common import user_of, vote_of
from voting.models import Eligibility, OpenBallot, SecretBallot, Vote, VoterMark

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


def _not_eligible(meeting: Meeting, vote: Vote, user_id: int) -> CommandError:
    """Say why someone is not on the vote's frozen list, with the most specific code."""
    if not Participant.objects.filter(meeting=meeting, user_id=user_id).exists():
        return CommandError(ErrorCode.NOT_A_PARTICIPANT)
    if Recusal.objects.filter(item_id=vote.item_id, user_id=user_id).exists():
        return CommandError(ErrorCode.RECUSED, item_id=vote.item_id)
    seat = serving_seat_of(meeting, user_id)
    if seat is None:
        return CommandError(ErrorCode.NOT_SERVING)
    if not seat.present:
        return CommandError(ErrorCode.NOT_PRESENT, seat=seat.seat_number)
    # Serving and present now, but not when the vote opened (arrived or took the seat later).
    return CommandError(ErrorCode.NOT_ELIGIBLE, vote_id=vote.pk)


def _check_choice(meeting: Meeting, vote: Vote, eligibility: Eligibility, choice: Any) -> Any:
    if vote.kind == Vote.Kind.ELECTION:
        if not isinstance(choice, list) or len(choice) > (vote.posts or 0) or len(
            set(map(str, choice))
        ) != len(choice) or not all(isinstance(c, str) and c in vote.candidates
                                    for c in choice):
            raise CommandError(ErrorCode.INVALID_CHOICE, candidates=vote.candidates,
                               posts=vote.posts)
        return list(choice)
    if choice is None and vote.kind == Vote.Kind.SECRET:
        return None  # a blank ballot
    if choice not in ("ja", "nej", "avstar"):
        raise CommandError(ErrorCode.INVALID_CHOICE, allowed=["ja", "nej", "avstar"])
    if choice == "avstar":
        policy = meeting.body.abstain_policy
        if policy == Body.AbstainPolicy.FORBIDDEN:
            raise CommandError(ErrorCode.ABSTAIN_NOT_ALLOWED)
        if not eligibility.may_abstain:
            raise CommandError(ErrorCode.ABSTENTION_NOT_ANNOUNCED)
    return choice


def _cast(
    *, meeting: Meeting, vote_id: int, voter: AbstractBaseUser, choice: Any,
    recorded_by: AbstractBaseUser | None, actor: Actor, command_id: str | None,
) -> CastResult:
    require_open(meeting)
    vote = vote_of(meeting, vote_id)
    if vote.state != Vote.State.OPEN:
        raise CommandError(ErrorCode.VOTE_CLOSED, vote_id=vote.pk, state=vote.state)
    if meeting.active_item_id != vote.item_id:
        # The item was closed under an open vote: nothing may be added; void the vote.
        raise CommandError(ErrorCode.ITEM_NOT_ACTIVE, item_id=vote.item_id)
    eligibility = Eligibility.objects.filter(vote=vote, user_id=voter.pk).first()
    if eligibility is None:
        raise _not_eligible(meeting, vote, voter.pk)
    if recorded_by is not None and vote.is_secret:
        # An oral answer cannot be secret: the secretary would know the choice.
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="secret ballots are cast "
                           "by the voter")
    choice = _check_choice(meeting, vote, eligibility, choice)
    receipt = None
    try:
        with transaction.atomic():
            if vote.is_secret:
                VoterMark.objects.create(vote=vote, voter_id=voter.pk)
            else:
                OpenBallot.objects.create(vote=vote, voter_id=voter.pk, choice=choice,
                                          recorded_by=recorded_by)
    except IntegrityError:
        raise CommandError(ErrorCode.ALREADY_VOTED, vote_id=vote.pk) from None
    if vote.is_secret:
        for _attempt in range(5):
            receipt = new_receipt()
            try:
                with transaction.atomic():
                    SecretBallot.objects.create(vote=vote, choice=choice, receipt=receipt)
                break
            except IntegrityError:  # a receipt collision: draw again
                continue
        else:  # pragma: no cover - 50-bit codes do not collide five times
            raise RuntimeError("could not draw a unique receipt code")
    vote.cast_count += 1
    vote.save(update_fields=["cast_count"])
    event = append_event(
        meeting=meeting, type="ballot.cast",
        payload={"item_id": vote.item_id, "vote_id": vote.pk, "kind": vote.kind,
                 "cast": vote.cast_count, "eligible_count": vote.eligible_count},
        # Who cast is not logged (a secret vote's log has only counts; an open vote's names
        # are revealed at close), so neither the actor nor the client's command id is kept.
        actor_id=None, command_id=None,
    )
    return CastResult(event=event, receipt=receipt)


def _refuse_replay(meeting: Meeting, command_id: str | None, actor: Actor) -> None:
    """A ``ballot.cast`` event never keeps its command id, so an earlier event with this id
    was some other command: answering with it would silently drop the ballot."""
    if replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk) is not None:
        raise CommandError(ErrorCode.COMMAND_ID_CONFLICT, command_id=command_id)


@transaction.atomic
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
    meeting = lock_meeting(meeting_id)
    _refuse_replay(meeting, command_id, actor)
    if not getattr(actor, "is_authenticated", False):
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    return _cast(meeting=meeting, vote_id=vote_id, voter=actor, choice=choice,
                 recorded_by=None, actor=actor, command_id=command_id)


@transaction.atomic
def ballot_record(
    *, meeting_id: int, actor: Actor, vote_id: int, user_id: int, choice: str,
    command_id: str | None = None,
) -> CastResult:
    """The secretary records a member's oral answer in an open vote (marked ``recorded_by``)."""
    meeting = lock_meeting(meeting_id)
    _refuse_replay(meeting, command_id, actor)
    require_control(meeting, actor)
    voter = user_of(user_id)
    return _cast(meeting=meeting, vote_id=vote_id, voter=voter, choice=choice,
                 recorded_by=actor, actor=actor, command_id=command_id)
