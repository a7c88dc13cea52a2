"""Demo, after the meeting: the earlier meeting of ``web.demo`` carries case numbers (Dnr),
föredragande and recipients of its decisions, and once it is signed and posted the
secretary certifies an extract of the bygglov § and dispatches it to the applicant and the
county board.

Mail goes through the configured backend: with KLUBBA_DEBUG=1 and no mail server that is
Klubba's kept-mail backend (klubba/settings.py), so the demo needs no SMTP server; the
dispatch and each recipient's result are on the secretary's page
``/moten/<id>/protokoll/utdrag/``. Idempotent.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from meetings.errors import CommandError
from meetings.models import AgendaItem, Meeting
from minutes.commands import extract_certify, extract_dispatch, minutes_recipients_set
from minutes.models import ExtractDispatch, ProtocolExtract, Publication

#: Item position -> (Dnr number, föredragande) of the earlier demo meeting.
CASES = {
    3: ("SBN {year}/112", "Lena Berg, bygglovshandläggare"),
    4: ("SBN {year}/87", "Per Ek, planchef"),
    6: ("SBN {year}/140", "Sara Lind, byggnadsinspektör"),
}
#: Item position -> who the decision is sent to.
RECIPIENTS = {
    3: [{"name": "Bostads AB Lärkan", "organisation": "", "email": "sokande@example.se"},
        {"name": "", "organisation": "Länsstyrelsen i Ekby län",
         "email": "registrator@lansstyrelsen.example.se"},
        {"name": "Lena Berg", "organisation": "Stadsbyggnadskontoret", "email": ""}],
    4: [{"name": "", "organisation": "Kommunstyrelsen", "email": "ks@ekby.example.se"}],
}


def set_cases(meeting: Meeting) -> None:
    """Before the meeting is held: the items' Dnr and föredragande (logged at activation)."""
    year = meeting.starts_at.year
    for position, (dnr, presenter) in CASES.items():
        AgendaItem.objects.filter(meeting=meeting, position=position).update(
            case_number=dnr.format(year=year), presenter=presenter)


def set_recipients(meeting: Meeting, secretary) -> None:  # noqa: ANN001 - a user
    """Before the lock, so "Beslutet skickas till" is printed in the minutes."""
    for position, rows in RECIPIENTS.items():
        item = meeting.items.get(position=position)
        minutes_recipients_set(meeting_id=meeting.pk, actor=secretary, item_id=item.pk,
                               recipients=rows)


def load_after_demo(*, password: str, posted: Publication | None) -> ProtocolExtract | None:
    """The certified extract of the bygglov § of the posted demo meeting, dispatched."""
    if posted is None:
        return None
    meeting = posted.document.meeting
    done = ProtocolExtract.objects.filter(meeting=meeting).first()
    if done is not None:
        return done
    secretary = get_user_model().objects.get(username="sekreterare")
    bygglov = meeting.items.get(position=3)
    try:
        event = extract_certify(meeting_id=meeting.pk, actor=secretary, item_ids=[bygglov.pk],
                                password=password, command_id="demo-extract-1")
    except CommandError:
        return None  # e.g. the demo password was changed after the meeting was held
    extract = ProtocolExtract.objects.get(pk=event.payload["extract_id"])
    if not ExtractDispatch.objects.filter(extract=extract).exists():
        extract_dispatch(meeting_id=meeting.pk, actor=secretary, extract_id=extract.pk,
                         command_id="demo-dispatch-1")
    return extract
