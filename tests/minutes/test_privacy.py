"""Defect 5 (issue 12): the reason for a jäv is personal data. It never reaches the public
version (PDF, frozen snapshot, public page); the internal version keeps it only where the
body says so. The public rules live in one place, ``minutes.redaction``."""

from __future__ import annotations

import dataclasses

import pytest

from minutes.commands import minutes_lock, minutes_post, minutes_sign
from minutes.inputs import minutes_of
from minutes.model import NamedText
from minutes.models import MinutesDocument, Publication
from minutes.public import published_minutes
from minutes.redaction import public_minutes, public_violations
from minutes.serialise import minutes_text, minutes_to_dict

REASON = "Granne till sökanden"


def keep_reasons(live) -> None:
    body = live.c.meeting.body
    body.minutes_keep_recusal_reasons = True
    body.save(update_fields=["minutes_keep_recusal_reasons"])


def test_by_default_neither_version_prints_the_reason(live):
    m = minutes_of(live.c.meeting)
    (jav,) = m.paragraphs[1].recusals
    assert jav.text == "" and jav.name
    assert REASON not in minutes_text(m)
    assert REASON not in minutes_text(public_minutes(m))


def test_a_body_may_keep_the_reason_in_the_internal_version_only(live):
    keep_reasons(live)
    m = minutes_of(live.c.meeting)
    assert m.paragraphs[1].recusals[0].text == REASON
    public = public_minutes(m)
    assert public.paragraphs[1].recusals == (NamedText(m.paragraphs[1].recusals[0].name),)
    assert REASON not in minutes_text(public)
    assert public_violations(public) == []
    assert public_minutes(public) == public  # idempotent


def test_violations_name_what_breaks_the_public_rules(live):
    keep_reasons(live)
    m = minutes_of(live.c.meeting)
    leaky = dataclasses.replace(m, public=True)
    problems = public_violations(leaky)
    assert any("jäv" in p for p in problems)
    assert any("confidential" in p for p in problems)


@pytest.fixture
def posted_live(live, signing_dir):
    keep_reasons(live)
    c = live.c
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    for user in [c.chair, *live.adjusters]:
        minutes_sign(meeting_id=c.meeting.pk, actor=user, password="pw-" + user.username)
    minutes_post(meeting_id=c.meeting.pk, actor=c.secretary)
    return Publication.objects.get()


def test_public_page_and_frozen_public_version_leave_the_reason_out(posted_live, client):
    doc = MinutesDocument.objects.get(item__isnull=True)
    assert REASON not in str(doc.public_minutes) and REASON not in doc.public_text
    page = client.get(f"/protokoll/{posted_live.pk}/").content.decode()
    assert "anmäler jäv" in page and REASON not in page


def test_a_snapshot_frozen_with_a_reason_is_redacted_when_shown(posted_live, client):
    # A public snapshot frozen before the rule (it kept the reason) is shown without it.
    doc = MinutesDocument.objects.get(item__isnull=True)
    leaky = dataclasses.replace(public_minutes(minutes_of(doc.meeting)), paragraphs=tuple(
        dataclasses.replace(p, recusals=(NamedText("X", REASON),)) for p in
        public_minutes(minutes_of(doc.meeting)).paragraphs))
    MinutesDocument.objects.filter(pk=doc.pk).update(public_minutes=minutes_to_dict(leaky))
    posted_live.refresh_from_db()
    assert REASON not in minutes_text(published_minutes(posted_live))
    page = client.get(f"/protokoll/{posted_live.pk}/").content.decode()
    assert REASON not in page
