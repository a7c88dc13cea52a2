"""The justering loop: remarks and approvals on a § of the locked minutes, a revision by the
secretary, a new version, signatures on the final version only, and the history."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from meetings.errors import CommandError
from meetings.models import AgendaItem, MeetingEvent
from minutes.commands import (
    minutes_approve,
    minutes_justering_set,
    minutes_lock,
    minutes_paragraph_text_set,
    minutes_post,
    minutes_remark,
    minutes_sign,
)
from minutes.history import justering_history
from minutes.models import MinutesDocument

pytestmark = pytest.mark.django_db


def refused(code: str, func, **kwargs) -> None:
    before = MeetingEvent.objects.count()
    with pytest.raises(CommandError) as info:
        func(**kwargs)
    assert info.value.code == code, info.value
    assert MeetingEvent.objects.count() == before


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def sign(meeting, user, **kw):
    return minutes_sign(meeting_id=meeting.pk, actor=user, password=f"pw-{user.username}", **kw)


def item_with_paragraph(held) -> AgendaItem:
    return AgendaItem.objects.get(pk=held.c.items[1].pk)


def test_remark_revise_lock_version_two_sign_it(held, signing_dir):
    c, mid = held.c, held.c.meeting.pk
    chair, adjuster, other = c.chair, held.adjusters[0], held.adjusters[1]
    minutes_lock(meeting_id=mid, actor=c.secretary)
    item = item_with_paragraph(held)
    number = item.paragraph
    assert number

    minutes_remark(meeting_id=mid, actor=adjuster, item_id=item.pk, version=1,
                   text="Beslutsunderlaget saknar tjänsteskrivelsens datum.")
    minutes_approve(meeting_id=mid, actor=chair, item_id=item.pk)
    remark = MeetingEvent.objects.filter(type="minutes.remark_added").get()
    assert remark.payload["version"] == 1 and remark.payload["paragraph"] == number
    assert remark.payload["role"] == "adjuster"

    # The secretary revises the § after the lock (nobody has signed), then locks version 2.
    minutes_paragraph_text_set(meeting_id=mid, actor=c.secretary, item_id=item.pk,
                               text="Tjänsteskrivelse 2026-11-02.")
    minutes_lock(meeting_id=mid, actor=c.secretary)
    v1, v2 = MinutesDocument.objects.filter(meeting_id=mid, item__isnull=True).order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    assert v1.superseded_at is not None and v2.superseded_at is None
    assert "Tjänsteskrivelse 2026-11-02." in pdf_text(bytes(v2.full_pdf))
    assert "Tjänsteskrivelse 2026-11-02." not in pdf_text(bytes(v1.full_pdf))
    locked = MeetingEvent.objects.filter(type="minutes.locked").order_by("seq").last()
    assert locked.payload["version"] == 2 and locked.payload["supersedes"] == v1.pk

    # A signature for the replaced version is refused; the final version is signed.
    refused("version_superseded", sign, meeting=c.meeting, user=chair, version=1)
    sign(c.meeting, chair, version=2)
    sign(c.meeting, adjuster, version=2)
    sign(c.meeting, other)
    v2.refresh_from_db()
    assert v2.fully_signed and not v1.signatures.exists()
    minutes_post(meeting_id=mid, actor=c.secretary)
    assert v2.publication

    kinds = [(h.kind, h.version) for h in justering_history(c.meeting)]
    assert kinds == [("locked", 1), ("remark", 1), ("approved", 1), ("revised", 1),
                     ("locked", 2), ("signed", 2), ("signed", 2), ("signed", 2)]
    revised = [h for h in justering_history(c.meeting) if h.kind == "revised"][0]
    assert revised.paragraph == number


def test_once_signed_no_new_version_and_no_more_remarks_or_revisions(held, signing_dir):
    c, mid = held.c, held.c.meeting.pk
    minutes_lock(meeting_id=mid, actor=c.secretary)
    sign(c.meeting, c.chair)
    item = item_with_paragraph(held)
    refused("signing_started", minutes_lock, meeting_id=mid, actor=c.secretary)
    refused("signing_started", minutes_remark, meeting_id=mid, actor=held.adjusters[0],
            item_id=item.pk, text="För sent")
    refused("signing_started", minutes_paragraph_text_set, meeting_id=mid, actor=c.secretary,
            item_id=item.pk, text="Ändrat")
    refused("signing_started", minutes_justering_set, meeting_id=mid, actor=c.secretary,
            text="Ändrat")
    assert MinutesDocument.objects.filter(meeting_id=mid).count() == 1


def test_who_may_remark_and_on_what(held, signing_dir):
    c, mid = held.c, held.c.meeting.pk
    item = item_with_paragraph(held)
    refused("minutes_not_locked", minutes_remark, meeting_id=mid, actor=held.adjusters[0],
            item_id=item.pk, text="x")
    minutes_lock(meeting_id=mid, actor=c.secretary)
    # Not the secretary, not an ordinary member: only the presiding chair and the adjusters.
    for outsider in (c.secretary, held.absent):
        refused("not_a_reviewer", minutes_remark, meeting_id=mid, actor=outsider,
                item_id=item.pk, text="x")
        refused("not_a_reviewer", minutes_approve, meeting_id=mid, actor=outsider,
                item_id=item.pk)
    adjuster = held.adjusters[0]
    refused("invalid_argument", minutes_remark, meeting_id=mid, actor=adjuster,
            item_id=item.pk, text="   ")
    refused("item_not_found", minutes_remark, meeting_id=mid, actor=adjuster,
            item_id=999_999, text="x")
    refused("version_superseded", minutes_approve, meeting_id=mid, actor=adjuster,
            item_id=item.pk, version=7)
    # Only the secretary locks a new version.
    refused("permission_denied", minutes_lock, meeting_id=mid, actor=adjuster)


def test_an_item_outside_the_paragraphs_is_refused(held, signing_dir):
    c, mid = held.c, held.c.meeting.pk
    minutes_lock(meeting_id=mid, actor=c.secretary)
    item = item_with_paragraph(held)
    AgendaItem.objects.filter(pk=item.pk).update(paragraph=None)
    refused("paragraph_not_in_minutes", minutes_approve, meeting_id=mid,
            actor=held.adjusters[0], item_id=item.pk)
