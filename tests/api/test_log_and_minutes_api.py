"""Reading a meeting's log through the API (with the websocket's visibility rules) and the
minutes workflow with its error codes."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from meetings.log import GENESIS_HASH, canonical_event, chain_hash
from meetings.models import Meeting
from minutes.commands import minutes_sign
from minutes.models import MinutesSignature, Publication
from tests.support.api import ApiClient, error_of
from tests.support.minutes import hold_meeting

pytestmark = pytest.mark.django_db


def _pages(api: ApiClient, mid: int, limit: int) -> list[dict]:
    events, since = [], 0
    while since is not None:
        page = api.get(f"/meetings/{mid}/log?since={since}&limit={limit}")
        assert page.status_code == 200, page.content
        events += page.json()["events"]
        since = page.json()["next_since"]
    return events


def test_a_participant_reads_the_whole_log_and_can_recompute_its_chain(committee):
    held = hold_meeting(committee)
    mid = committee.meeting.pk
    events = _pages(ApiClient(held.adjusters[0]), mid, limit=7)
    assert [e["seq"] for e in events] == list(range(1, Meeting.objects.get(pk=mid).last_seq + 1))
    prev = GENESIS_HASH
    for e in events:
        assert e["prev_hash"] == prev
        canonical = canonical_event(meeting_id=mid, seq=e["seq"], type=e["type"],
                                    payload=e["payload"], actor_id=e["actor_id"],
                                    at=datetime.fromisoformat(e["at"]),
                                    command_id=e["command_id"])
        assert chain_hash(prev, canonical) == e["hash"]
        prev = e["hash"]
    lines = ApiClient(committee.secretary).get(f"/meetings/{mid}/log.jsonl")
    assert lines["Content-Type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in b"".join(lines.streaming_content).splitlines()]
    assert rows == events


def test_the_public_reads_a_public_meeting_as_the_public_socket_does(committee):
    hold_meeting(committee)
    mid = committee.meeting.pk
    closed = committee.items[3].pk
    events = _pages(ApiClient(committee.outsider), mid, limit=500)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))  # no gap
    assert all(e["actor_id"] is None and e["command_id"] is None for e in events)
    redacted = [e for e in events if e["type"] == "redacted"]
    assert redacted and all(e["payload"] == {} for e in redacted)
    text = json.dumps([e["payload"] for e in events])
    assert '"remote"' not in text and "XYZZY" not in text
    assert not any(e["payload"].get("item_id") == closed for e in events)
    page = ApiClient(committee.outsider).get(f"/meetings/{mid}/log").json()
    assert page["audience"] == "public"
    Meeting.objects.filter(pk=mid).update(is_public=False)
    assert error_of(ApiClient(committee.outsider).get(f"/meetings/{mid}/log")) \
        == (403, "not_a_participant")


def test_the_minutes_workflow_with_its_error_codes(committee, signing_dir):
    mid = committee.meeting.pk
    sec, member = ApiClient(committee.secretary), ApiClient(committee.members[2])
    assert error_of(sec.post(f"/meetings/{mid}/minutes/lock")) \
        == (409, "meeting_not_adjourned")
    held = hold_meeting(committee)
    assert error_of(member.post(f"/meetings/{mid}/minutes/lock")) == (403, "permission_denied")
    assert error_of(sec.post(f"/meetings/{mid}/minutes/post")) == (409, "minutes_not_locked")
    locked = sec.post(f"/meetings/{mid}/minutes/lock", headers={"Idempotency-Key": "lock-1"})
    assert locked.status_code == 200, locked.content
    status = locked.json()
    assert status["locked"] and not status["complete"] and len(status["signers"]) == 3
    assert status["version"] == 1
    # Nobody has signed: the secretary may lock a revised version (the justering loop).
    revised = sec.post(f"/meetings/{mid}/minutes/lock")
    assert revised.status_code == 200, revised.content
    assert revised.json()["version"] == 2
    assert error_of(sec.post(f"/meetings/{mid}/minutes/post")) == (409, "not_all_signed")
    refused = ApiClient(committee.chair).post(f"/meetings/{mid}/minutes/sign")
    assert error_of(refused) == (403, "signing_not_by_token")
    assert refused.json()["error"]["details"]["sign_url"] == f"/moten/{mid}/protokoll/justera/"
    assert not MinutesSignature.objects.exists()
    for signer in (committee.chair, *held.adjusters):
        minutes_sign(meeting_id=mid, actor=signer, password="pw-" + signer.username)
    assert sec.get(f"/meetings/{mid}/minutes").json()["complete"] is True
    assert error_of(sec.post(f"/meetings/{mid}/minutes/lock")) == (409, "signing_started")
    posted = sec.post(f"/meetings/{mid}/minutes/post", {"kept_at": "Kommunkansliet"})
    assert posted.status_code == 200, posted.content
    publication = posted.json()["publication"]
    assert publication["kept_at"] == "Kommunkansliet"
    assert publication["appeal_last_day"] > publication["posted_on"]
    assert Publication.objects.count() == 1
    assert error_of(sec.post(f"/meetings/{mid}/minutes/post", {})) == (409, "already_posted")
    pdf = member.get(f"/meetings/{mid}/minutes/public.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert error_of(member.get(f"/meetings/{mid}/minutes/other.pdf")) == (404, "not_found")
    assert error_of(ApiClient(committee.outsider).get(f"/meetings/{mid}/minutes")) \
        == (403, "not_a_participant")
