"""Absence in advance (förhinder): which substitute is asked next, and who has agreed to serve.

The order is the live meeting's own rule (``meetings.roster.call_in_order``, the body's
``substitute_policy``); only who is available differs before the meeting: a substitute who
is already asked or has accepted for another seat, or who declined at this meeting (they
said they cannot come), is passed over.
"""

from __future__ import annotations

from meetings.models import Meeting, Substitute
from meetings.roster import call_in_order
from notices.models import AbsenceReport, SubstituteRequest

BUSY = (SubstituteRequest.State.ASKED, SubstituteRequest.State.ACCEPTED,
        SubstituteRequest.State.DECLINED)


def next_substitute(meeting: Meeting, absence: AbsenceReport) -> Substitute | None:
    """The substitute to ask for ``absence``'s seat now, or None when nobody is left."""
    passed_over = set(SubstituteRequest.objects.filter(
        meeting=meeting, state__in=BUSY).values_list("substitute_id", flat=True))
    passed_over |= set(SubstituteRequest.objects.filter(absence=absence).values_list(
        "substitute_id", flat=True))
    seat_holders = set(meeting.body.seats.values_list("member_id", flat=True))
    candidates = [
        s for s in Substitute.objects.filter(body_id=meeting.body_id).select_related("user")
        if s.pk not in passed_over and s.user_id not in seat_holders
    ]
    ordered = call_in_order(candidates, party=absence.seat.party,
                            policy=meeting.body.substitute_policy)
    return ordered[0] if ordered else None


def arranged_substitutes(meeting: Meeting) -> dict[int, int]:
    """seat number -> the substitute who accepted to serve it (the roll call proposes them
    first for that seat; ``meetings.roster.roster_proposals``)."""
    rows = SubstituteRequest.objects.filter(
        meeting=meeting, state=SubstituteRequest.State.ACCEPTED
    ).values_list("absence__seat__number", "substitute__user_id")
    return dict(rows)
