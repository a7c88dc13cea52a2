"""Acclamation: "Kan nämnden bifalla ...?" — decided by the gavel unless a vote is asked for."""

from __future__ import annotations

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import Meeting
from meetings.presiding import require_presiding
from meetings.refs import PersonRef, optional_proposal_ref, person_ref, proposal_ref
from meetings.roles import Actor, display_name, require_open
from voting.commands.common import (
    active_item,
    pending_acclamation,
    proposal_on,
    require_member_on_item,
    require_quorum,
)
from voting.commands.kontra import advance, link_step
from voting.errors import VotingError
from voting.events import AcclamationDecided, AcclamationPut, VoteRequested, quorum_state
from voting.events import VotingEventType as E
from voting.formal import require_formal_motions_decided
from voting.models import Acclamation, Vote, VoteRequest


def require_chair_or_control(meeting: Meeting, actor: Actor) -> PersonRef | None:
    """The presiding person puts the questions and lets the gavel fall; the secretary may do
    it as their clerk (returns the presiding person as ``on_behalf_of``). A chair or vice
    chair who does not preside may not (meetings.presiding)."""
    return require_presiding(meeting, actor)


@meeting_command
def acclamation_put(cmd: CommandContext, *, item_id: int, proposal_id: int,
                    counter_proposal_id: int | None = None) -> Emit:
    """Put a proposal (or a proposal against a counter-proposal in a kontra step)."""
    meeting = cmd.meeting
    require_open(meeting)
    # Quorum first: without it nothing may be put, whoever asks (the refusal names it).
    require_quorum(meeting)
    on_behalf_of = require_chair_or_control(meeting, cmd.actor)
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
    require_formal_motions_decided(item, proposal)
    require_formal_motions_decided(item, counter)
    kontra, step = link_step(item, proposal, counter)
    number = Acclamation.objects.filter(item=item).count() + 1
    acclamation = Acclamation.objects.create(
        item=item, number=number, proposal=proposal, counter_proposal=counter,
        kontra=kontra, kontra_step=step,
    )
    payload = AcclamationPut(
        item_id=item.pk, acclamation_id=acclamation.pk, number=number,
        proposal=proposal_ref(proposal), counter_proposal=optional_proposal_ref(counter),
        kontra_id=kontra.pk if kontra else None, kontra_step=step,
    )
    if on_behalf_of is not None:
        payload["on_behalf_of"] = on_behalf_of
    return Emit(E.ACCLAMATION_PUT, payload)


@meeting_command
def vote_request(cmd: CommandContext, *, item_id: int) -> Emit:
    """A serving, present, non-recused member asks for a vote (begär votering)."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting)
    item = active_item(meeting, item_id)
    require_member_on_item(meeting, actor)
    acclamation = pending_acclamation(item)
    if acclamation is None:
        raise CommandError(VotingError.NO_ACCLAMATION_PENDING, item_id=item.pk)
    VoteRequest.objects.get_or_create(acclamation=acclamation, user=cmd.user)
    return Emit(E.VOTE_REQUESTED, VoteRequested(
        item_id=item.pk, acclamation_id=acclamation.pk, user_id=cmd.user_id,
        name=display_name(actor),
    ))


@meeting_command
def acclamation_decide(cmd: CommandContext, *, item_id: int, outcome: str) -> Emit:
    """The gavel falls: bifall (the proposal wins) or avslag. Refused if a vote was asked."""
    meeting = cmd.meeting
    require_open(meeting)
    quorum = require_quorum(meeting)  # before who presides: the refusal names the real blocker
    on_behalf_of = require_chair_or_control(meeting, cmd.actor)
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
            requested_by=[person_ref(r.user) for r in requested],
        )
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
    payload = AcclamationDecided(
        item_id=item.pk, acclamation_id=acclamation.pk, number=acclamation.number,
        proposal=proposal_ref(acclamation.proposal),
        counter_proposal=optional_proposal_ref(acclamation.counter_proposal),
        outcome=outcome, winner_proposal_id=acclamation.winner_id,
        kontra=kontra, quorum=quorum_state(quorum),
    )
    if on_behalf_of is not None:
        payload["on_behalf_of"] = on_behalf_of
    return Emit(E.ACCLAMATION_DECIDED, payload)
