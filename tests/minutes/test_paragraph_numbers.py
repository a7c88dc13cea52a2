"""The minutes take each § from the log: item.closed carries the number the body's
allocator gave, so the minutes do not depend on read tables for it."""

import dataclasses

from meetings.commands import item_activate, item_close, meeting_open
from minutes.build import build_minutes
from minutes.inputs import log_events, meeting_info


def test_paragraph_numbers_come_from_the_closed_items_in_the_log(committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for item in (c.items[1], c.items[0]):  # handled out of agenda order
        item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk)
        item_close(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk)
    info = meeting_info(c.meeting)
    # Forget what the read table knows: only the log may supply the numbers.
    blank = dataclasses.replace(
        info, items=tuple(dataclasses.replace(i, paragraph=None) for i in info.items)
    )
    minutes = build_minutes(blank, log_events(c.meeting), paragraph_base=40)
    numbers = {p.title: p.number for p in minutes.paragraphs}
    assert numbers == {c.items[1].title: 1, c.items[0].title: 2}
