"""Proposition order (propositionsordning) and announced abstentions."""

from __future__ import annotations

from collections.abc import Sequence

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from meetings.models import Body, Proposal
from meetings.refs import proposal_ref
from meetings.roles import display_name, require_control, require_open
from voting.commands.common import active_item, pending_acclamation, require_member_on_item
from voting.errors import VotingError
from voting.events import AbstentionAnnounced, PropositionOrderApproved, PropositionOrderSet
from voting.events import VotingEventType as E
from voting.models import AbstentionAnnouncement, PropositionOrder, Vote


def _rank(proposal: Proposal) -> int:
    """Formal motions are decided first, additions last (domain.md)."""
    if proposal.is_formal:
        return 0
    if proposal.kind == Proposal.Kind.ADDITION:
        return 2
    return 1


def _live_proposals(item_id: int) -> dict[int, Proposal]:
    return {p.pk: p for p in Proposal.objects.filter(item_id=item_id, withdrawn=False)
            .select_related("author", "entered_by")}


@meeting_command
def proposition_order_set(cmd: CommandContext, *, item_id: int,
                          proposal_ids: Sequence[int]) -> Emit:
    """The chair's proposed order; every live proposal exactly once, formal first, additions
    last. Setting it again replaces it and needs a new approval."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = active_item(meeting, item_id)
    live = _live_proposals(item.pk)
    ids = list(proposal_ids)
    if len(set(ids)) != len(ids) or set(ids) != set(live):
        raise CommandError(
            VotingError.ORDER_INVALID, reason="must_list_every_live_proposal_once",
            expected=sorted(live), got=ids,
        )
    ordered = [live[i] for i in ids]
    ranks = [_rank(p) for p in ordered]
    if ranks != sorted(ranks):
        raise CommandError(
            VotingError.ORDER_INVALID, reason="formal_first_additions_last", got=ids,
        )
    PropositionOrder.objects.update_or_create(
        item=item, defaults={"proposal_ids": ids, "approved": False}
    )
    return Emit(E.PROPOSITION_ORDER_SET, PropositionOrderSet(
        item_id=item.pk, proposals=[proposal_ref(p) for p in ordered]))


@meeting_command
def proposition_order_approve(cmd: CommandContext, *, item_id: int) -> Emit:
    """The meeting approved the order (recorded by the secretary or chair)."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = active_item(meeting, item_id)
    order = PropositionOrder.objects.filter(item=item).first()
    if order is None:
        raise CommandError(VotingError.ORDER_NOT_SET, item_id=item.pk)
    if order.approved:
        raise CommandError(VotingError.ORDER_ALREADY_APPROVED, item_id=item.pk)
    live = _live_proposals(item.pk)
    if set(order.proposal_ids) != set(live):
        # A proposal was made or withdrawn since the order was set: state it again.
        raise CommandError(VotingError.ORDER_INVALID, reason="proposals_changed_since_set")
    order.approved = True
    order.save(update_fields=["approved"])
    return Emit(E.PROPOSITION_ORDER_APPROVED, PropositionOrderApproved(
        item_id=item.pk, proposals=[proposal_ref(live[i]) for i in order.proposal_ids]))


@meeting_command
def abstention_announce(cmd: CommandContext, *, item_id: int) -> Emit:
    """A member announces they will abstain, before the proposals are put (domain.md)."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting)
    item = active_item(meeting, item_id)
    require_member_on_item(meeting, actor)
    if meeting.body.abstain_policy == Body.AbstainPolicy.FORBIDDEN:
        raise CommandError(VotingError.ABSTAIN_NOT_ALLOWED)
    if pending_acclamation(item) or Vote.objects.filter(
        item=item, state=Vote.State.OPEN
    ).exists():
        raise CommandError(VotingError.ABSTENTION_TOO_LATE, item_id=item.pk)
    AbstentionAnnouncement.objects.get_or_create(item=item, user=cmd.user)
    return Emit(E.ABSTENTION_ANNOUNCED, AbstentionAnnounced(
        item_id=item.pk, user_id=cmd.user_id, name=display_name(actor)))
