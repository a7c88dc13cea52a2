"""The minutes take each § from the log: item.closed carries the number the body's
allocator gave, so the minutes do not depend on read tables for it."""

import dataclasses
import io

from pypdf import PdfReader

from meetings.commands import item_activate, item_close, meeting_open
from minutes.build import build_minutes
from minutes.inputs import log_events, meeting_info
from minutes.pdf import render_minutes_pdf
from tests.support.committee import UNDECIDED, roll_call_and_agenda


def test_paragraph_numbers_come_from_the_closed_items_in_the_log(committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    roll_call_and_agenda(c)
    for item in (c.items[1], c.items[0]):  # handled out of agenda order
        item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk)
        item_close(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk, **UNDECIDED)
    info = meeting_info(c.meeting)
    # Forget what the read table knows: only the log may supply the numbers.
    blank = dataclasses.replace(
        info, items=tuple(dataclasses.replace(i, paragraph=None) for i in info.items)
    )
    minutes = build_minutes(blank, log_events(c.meeting), paragraph_base=40)
    numbers = {p.title: p.number for p in minutes.paragraphs}
    assert numbers == {c.items[1].title: 1, c.items[0].title: 2}


def test_the_pdf_header_lists_the_numbers_not_the_handling_order(committee):
    """An item handled first may get the higher § (it was decided after another was closed):
    the header must read "§§ 1–2", never "§§ 2–1"."""
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    roll_call_and_agenda(c)
    for item in (c.items[0], c.items[1]):
        item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk)
        item_close(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk, **UNDECIDED)
    minutes = build_minutes(meeting_info(c.meeting), log_events(c.meeting))
    handled_late_first = dataclasses.replace(minutes, paragraphs=minutes.paragraphs[::-1])
    assert [p.number for p in handled_late_first.paragraphs] == [2, 1]
    pdf = render_minutes_pdf(handled_late_first)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Paragrafer §§ 1–2" in text.replace("\n", " "), text[:600]
