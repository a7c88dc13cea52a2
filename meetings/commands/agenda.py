"""Approving the agenda and moving through its items."""

from __future__ import annotations

from meetings.commands.lookup import item_of
from meetings.commands.proposals import add_prepared_proposal
from meetings.commands.speakers import clear_requests
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import AgendaApproved, ApprovedItem, CaseKeys, ItemActivated, ItemClosed
from meetings.events import MeetingEventType as E
from meetings.guards import check_item_close, item_decided
from meetings.models import AgendaItem
from meetings.paragraphs import paragraph_assign
from meetings.quorum import quorum_of, require_quorum
from meetings.refs import optional_proposal_ref
from meetings.roles import require_control, require_open
from meetings.roster import (
    end_one_item_services,
    return_seats_to_members,
    roster_proposals_data,
    serving_seats,
)

__all__ = ["agenda_approve", "item_activate", "item_close", "item_of"]


@meeting_command
def agenda_approve(cmd: CommandContext) -> Emit:
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    if meeting.agenda_approved:
        raise CommandError(ErrorCode.AGENDA_ALREADY_APPROVED)
    # Approving the agenda is the body's first decision: it needs a quorum, and the quorum
    # counts only attendance confirmed at the roll call (upprop).
    require_quorum(meeting)
    meeting.agenda_approved = True
    meeting.save(update_fields=["agenda_approved"])
    items: list[ApprovedItem] = []
    for item in meeting.items.order_by("position"):
        row = ApprovedItem(item_id=item.pk, position=item.position, title=item.title,
                           confidential=item.confidential)
        row.update(case_keys(item))
        items.append(row)
    return Emit(E.AGENDA_APPROVED, AgendaApproved(items=items))


def case_keys(item: AgendaItem) -> CaseKeys:
    """Dnr and föredragande as the minutes print them, only the ones that are set (logs
    without them read as before)."""
    keys = CaseKeys()
    if item.case_number.strip():
        keys["case_number"] = item.case_number.strip()
    if item.presenter.strip():
        keys["presenter"] = item.presenter.strip()
    return keys


@meeting_command
def item_activate(cmd: CommandContext, *, item_id: int) -> Emit:
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = item_of(meeting, item_id)
    if item.state == AgendaItem.State.ACTIVE:
        raise CommandError(ErrorCode.ITEM_ALREADY_ACTIVE)
    if not meeting.agenda_approved:
        # Roll call, quorum and the approved agenda come before any item is handled; the
        # opening items (upprop, justerare, dagordning) then record their § (architecture.md,
        # "Decisions").
        raise CommandError(ErrorCode.AGENDA_NOT_APPROVED, item_id=item.pk)
    if item.state == AgendaItem.State.CLOSED:
        raise CommandError(ErrorCode.ITEM_CLOSED)
    if meeting.active_item_id:
        raise CommandError(ErrorCode.ANOTHER_ITEM_ACTIVE)
    item.state = AgendaItem.State.ACTIVE
    item.save(update_fields=["state"])
    meeting.active_item = item
    meeting.save(update_fields=["active_item"])
    # Between items is when seats change hands: late members take their seats back now.
    roster_changes = return_seats_to_members(meeting, item)
    prepared = add_prepared_proposal(item)
    payload = ItemActivated(
        item_id=item.pk, position=item.position, title=item.title,
        confidential=item.confidential,
        roster_changes=roster_changes,
        roster=[row.as_dict() for row in serving_seats(meeting)],
        prepared_proposal=optional_proposal_ref(prepared),
        quorum=quorum_of(meeting).as_dict(),
        roster_proposals=roster_proposals_data(meeting),
    )
    # The item's Dnr and föredragande as they stand when it is handled (the minutes' source).
    payload.update(case_keys(item))
    return Emit(E.ITEM_ACTIVATED, payload)


MAX_NO_DECISION_REASON = 500


def _no_decision_reason(item: AgendaItem, *, without_decision: bool, reason: str) -> str:
    """Closing an item needs its decision recorded, or the explicit choice to close it
    without one and why ("Ärendet utgår", "bordlagt"): the minutes state either."""
    decided = item_decided(item)
    if not without_decision:
        if not decided:
            raise CommandError(ErrorCode.ITEM_DECISION_MISSING, item_id=item.pk)
        return ""
    if decided:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="without_decision",
                           reason="decision_recorded")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_NO_DECISION_REASON:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="reason")
    return reason


@meeting_command
def item_close(cmd: CommandContext, *, item_id: int, without_decision: bool = False,
               reason: str = "") -> Emit:
    """Close the active item: its decision must be recorded, or ``without_decision`` with a
    ``reason`` (stated in the minutes)."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    item = item_of(meeting, item_id)
    if item.state != AgendaItem.State.ACTIVE:
        raise CommandError(ErrorCode.ITEM_NOT_ACTIVE)
    check_item_close(item)
    no_decision = _no_decision_reason(item, without_decision=without_decision, reason=reason)
    # Every handled item gets its §, decided or not (upprop, information items).
    year, paragraph = paragraph_assign(meeting=meeting, item=item)
    item.state = AgendaItem.State.CLOSED
    item.save(update_fields=["state"])
    cleared = clear_requests(item)
    meeting.active_item = None
    meeting.save(update_fields=["active_item"])
    # Substitutes who served only because of jäv on this item step down.
    roster_changes = end_one_item_services(meeting, item)
    payload = ItemClosed(
        item_id=item.pk, position=item.position, title=item.title,
        confidential=item.confidential, paragraph=paragraph, year=year,
        roster_changes=roster_changes,
        speech_ended=cleared["speech_ended"],
        requests_withdrawn=cleared["requests_withdrawn"],
        roster_proposals=roster_proposals_data(meeting),
    )
    if no_decision:
        payload["no_decision_reason"] = no_decision
    return Emit(E.ITEM_CLOSED, payload)
