"""What a member or substitute is told about the meeting before it opens, in the room and on
the förhinder page and home page: the förhinder and who serves instead, or that a substitute
is called to serve (the roll call confirms it). One sentence each, written here once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetings.models import Meeting
from notices.selectors import MyAbsence, called_to_serve, my_absence


def absence_text(absence: MyAbsence) -> str:
    if absence.state == "accepted":
        return _("You have reported förhinder – %(name)s serves in your place.") % {
            "name": absence.substitute}
    if absence.state == "asked":
        return _("You have reported förhinder – %(name)s is asked to serve in your place.") % {
            "name": absence.substitute}
    return _("You have reported förhinder – there is no substitute left to ask.")


def called_text(member: str, seat: int) -> str:
    return _("You are called to serve for %(name)s (seat %(seat)s); it is confirmed at the "
             "roll call.") % {"name": member, "seat": seat}


def before_status(meeting: Meeting, user_id: int) -> dict[str, Any] | None:
    """``{"kind": "absence" | "called", "text": ...}`` while the meeting is planned, else None
    (once it opens, the roll call decides who serves and the room says so)."""
    if meeting.status != Meeting.Status.PLANNED:
        return None
    absence = my_absence(meeting, user_id)
    if absence is not None:
        return {"kind": "absence", "text": absence_text(absence)}
    request = called_to_serve(meeting, user_id)
    if request is not None:
        member = request.absence.member
        return {"kind": "called", "text": called_text(
            member.get_full_name() or member.username, request.absence.seat.number)}
    return None
