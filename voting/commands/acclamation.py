"""Acclamation: "Kan nämnden bifalla ...?" — decided by the gavel unless a vote is asked for."""

from __future__ import annotations

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import Meeting, MeetingEvent
from meetings.roles import Actor, display_name, may_control, require_open
from voting.commands.common import (
    active_item,
    is_presiding,
    pending_acclamation,
    proposal_on,
    proposal_ref,
    require_member_on_item,
    require_quorum,
)
from voting.commands.kontra import advance, link_step
from voting.errors import VotingError
from voting.models import Acclamation, Vote, VoteRequest


def require_chair_or_control(meeting: Meeting, actor: Actor) -> None:
    """The chair puts the questions; the secretary may drive the controls for them."""
    if not (may_control(meeting, actor) or is_presiding(meeting, actor)):
        raise CommandError(ErrorCode.PERMISSION_DENIED)


@transaction.atomic
def acclamation_put(
    *, meeting_id: int, actor: Actor, item_id: int, proposal_id: int,
    counter_proposal_id: int | None = None, command_id: str | None = None,
) -> MeetingEvent:
    """Put a proposal (or a proposal against a counter-proposal in a kontra step)."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_chair_or_control(meeting, actor)
    require_open(meeting)
    item = active_item(meeting, item_id)
    if pending_acclamation(item):
        raise CommandError(VotingError.ACCLAMATION_PENDING, item_id=item.pk)
    if Vote.objects.filter(item=item, state=Vote.State.OPEN).exists():
        raise CommandError(VotingError.VOTE_OPEN_ALREADY, item_id=item.pk)
    proposal = proposal_on(item, proposal_id)
    counter = None
    if counter_proposal_id is not None:
        counter = proposal_on(item, counter_proposal_id)
        if counter.pk == proposal.pk:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="counter_proposal_id")
    kontra, step = link_step(item, proposal, counter)
    number = Acclamation.objects.filter(item=item).count() + 1
    acclamation = Acclamation.objects.create(
        item=item, number=number, proposal=proposal, counter_proposal=counter,
        kontra=kontra, kontra_step=step,
    )
    return append_event(
        meeting=meeting, type="acclamation.put",
        payload={
            "item_id": item.pk, "acclamation_id": acclamation.pk, "number": number,
            "proposal": proposal_ref(proposal), "counter_proposal": proposal_ref(counter),
            "kontra_id": kontra.pk if kontra else None, "kontra_step": step,
        },
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def vote_request(
    *, meeting_id: int, actor: Actor, item_id: int, command_id: str | None = None
) -> MeetingEvent:
    """A serving, present, non-recused member asks for a vote (begär votering)."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_open(meeting)
    item = active_item(meeting, item_id)
    require_member_on_item(meeting, actor)
    acclamation = pending_acclamation(item)
    if acclamation is None:
        raise CommandError(VotingError.NO_ACCLAMATION_PENDING, item_id=item.pk)
    VoteRequest.objects.get_or_create(acclamation=acclamation, user=actor)
    return append_event(
        meeting=meeting, type="vote.requested",
        payload={"item_id": item.pk, "acclamation_id": acclamation.pk,
                 "user_id": actor.pk, "name": display_name(actor)},
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def acclamation_decide(
    *, meeting_id: int, actor: Actor, item_id: int, outcome: str,
    command_id: str | None = None,
) -> MeetingEvent:
    """The gavel falls: bifall (the proposal wins) or avslag. Refused if a vote was asked."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_chair_or_control(meeting, actor)
    require_open(meeting)
    item = active_item(meeting, item_id)
    acclamation = pending_acclamation(item)
    if acclamation is None:
        raise CommandError(VotingError.NO_ACCLAMATION_PENDING, item_id=item.pk)
    if outcome not in Acclamation.Outcome.values:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="outcome",
                           allowed=Acclamation.Outcome.values)
    requested = list(
        VoteRequest.objects.filter(acclamation=acclamation).select_related("user")
    )
    if requested:
        raise CommandError(
            VotingError.VOTE_REQUESTED, acclamation_id=acclamation.pk,
            requested_by=[{"user_id": r.user_id, "name": display_name(r.user)}
                          for r in requested],
        )
    quorum = require_quorum(meeting)
    acclamation.state = Acclamation.State.DECIDED
    acclamation.outcome = outcome
    acclamation.save(update_fields=["state", "outcome"])
    kontra = None
    if acclamation.kontra_id is not None:
        assert acclamation.kontra is not None and acclamation.kontra_step is not None
        kontra = advance(
            acclamation.kontra, step_number=acclamation.kontra_step,
            winner_id=acclamation.winner_id or 0, acclamation_id=acclamation.pk,
        )
    return append_event(
        meeting=meeting, type="acclamation.decided",
        payload={
            "item_id": item.pk, "acclamation_id": acclamation.pk, "number": acclamation.number,
            "proposal": proposal_ref(acclamation.proposal),
            "counter_proposal": proposal_ref(acclamation.counter_proposal),
            "outcome": outcome, "winner_proposal_id": acclamation.winner_id,
            "kontra": kontra, "quorum": quorum.as_dict(),
        },
        actor_id=actor.pk, command_id=command_id,
    )
