"""Commands: the only way the meeting changes.

Each command is a plain function with keyword-only, typed arguments, written as a body on the
contract (``meetings.contract.meeting_command``): the contract locks the meeting in one
transaction, returns the earlier event if ``command_id`` was seen before and appends what the
body emits; the body checks the actor's role and the meeting's state, updates the read tables
and returns its event(s) as ``Emit(MeetingEventType.X, XPayload(...))``.
"""

from meetings.commands.adjusters import adjusters_choose
from meetings.commands.agenda import agenda_approve, item_activate, item_close
from meetings.commands.attendance import (
    attendance_check_in,
    attendance_check_out,
    attendance_confirm,
    roll_call_start,
)
from meetings.commands.meeting import meeting_adjourn, meeting_open, meeting_pause, meeting_resume
from meetings.commands.presiding import presiding_change
from meetings.commands.proposals import proposal_make, proposal_withdraw
from meetings.commands.recusal import recusal_declare, recusal_record, recusal_withdraw
from meetings.commands.speakers import (
    speaker_done,
    speaker_give_floor,
    speaker_request,
    speaker_time_add,
    speaker_withdraw,
)
from meetings.commands.substitutes import substitute_call_in, substitute_release

__all__ = [
    "adjusters_choose",
    "agenda_approve",
    "attendance_check_in",
    "attendance_check_out",
    "attendance_confirm",
    "item_activate",
    "item_close",
    "meeting_adjourn",
    "meeting_open",
    "meeting_pause",
    "meeting_resume",
    "presiding_change",
    "proposal_make",
    "proposal_withdraw",
    "recusal_declare",
    "recusal_record",
    "recusal_withdraw",
    "roll_call_start",
    "speaker_done",
    "speaker_give_floor",
    "speaker_time_add",
    "speaker_request",
    "speaker_withdraw",
    "substitute_call_in",
    "substitute_release",
]
