"""After the meeting through the API: decision recipients per §, the certified extracts and
their PDFs, the dispatch through a real SMTP server, and the archive package; with the typed
refusals (unknown ids, wrong role, certifying by token)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from meetings.models import Meeting, MeetingEvent
from minutes import ca_store
from minutes.commands import extract_certify
from minutes.models import DecisionRecipient, ExtractDispatch, ProtocolExtract
from minutes.signing import all_valid, verify_pdf
from tests.support.after import RECIPIENTS, hold_and_sign, password
from tests.support.api import ApiClient, error_of
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.django_db


def certified(c, item) -> ProtocolExtract:
    """An extract certified as the secretary does on the page (in person, with a password)."""
    event = extract_certify(meeting_id=c.meeting.pk, actor=c.secretary, item_ids=[item.pk],
                            password=password(c.secretary))
    return ProtocolExtract.objects.get(pk=event.payload["extract_id"])


def test_recipients_are_read_and_replaced_by_the_secretary(signing_dir):
    c = hold_and_sign(sign=False).c
    mid, item = c.meeting.pk, c.items[1]
    sec = ApiClient(c.secretary)
    path = f"/meetings/{mid}/minutes/paragraphs/{item.pk}/recipients"
    got = sec.get(path)
    assert got.status_code == 200, got.content
    assert got.json() == {"item_id": item.pk, "recipients": RECIPIENTS, "event": None}
    new = [{"name": "Sökande Berg", "email": "berg@example.se"},
           {"name": None, "organisation": "Miljöförvaltningen", "email": None}]
    put = sec.put(path, {"recipients": new}, headers={"Idempotency-Key": "rcpt-1"})
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["recipients"] == [
        {"name": "Sökande Berg", "organisation": "", "email": "berg@example.se"},
        {"name": "", "organisation": "Miljöförvaltningen", "email": ""}]
    assert body["event"]["type"] == "minutes.recipients_set"
    logged = MeetingEvent.objects.get(meeting_id=mid, seq=body["event"]["seq"])
    assert logged.command_id == "api-rcpt-1"
    assert [r.email for r in DecisionRecipient.objects.filter(item=item)] == [
        "berg@example.se", ""]
    # The same key again is the replay: no second log entry.
    again = sec.put(path, {"recipients": new}, headers={"Idempotency-Key": "rcpt-1"})
    assert again.json()["event"] == body["event"]
    assert MeetingEvent.objects.filter(meeting_id=mid,
                                       type="minutes.recipients_set").count() == 2


def test_recipient_refusals_are_typed_and_write_nothing(signing_dir):
    c = hold_and_sign(sign=False).c
    mid, item = c.meeting.pk, c.items[2]
    path = f"/meetings/{mid}/minutes/paragraphs/{item.pk}/recipients"
    sec, chair = ApiClient(c.secretary), ApiClient(c.chair)
    before = MeetingEvent.objects.filter(meeting_id=mid).count()
    assert error_of(chair.get(path)) == (403, "permission_denied")
    assert error_of(chair.put(path, {"recipients": [{"name": "A"}]})) == (
        403, "permission_denied")
    assert error_of(ApiClient(c.outsider).get(path)) == (403, "not_a_participant")
    assert error_of(ApiClient().get(path)) == (401, "authentication_required")
    assert error_of(sec.get(f"/meetings/999999/minutes/paragraphs/{item.pk}/recipients")) == (
        404, "meeting_not_found")
    assert error_of(sec.get(f"/meetings/{mid}/minutes/paragraphs/999999/recipients")) == (
        404, "item_not_found")
    assert error_of(sec.put(f"/meetings/{mid}/minutes/paragraphs/999999/recipients",
                            {"recipients": []})) == (404, "item_not_found")
    assert error_of(sec.put(path, raw="{not json")) == (400, "malformed_json")
    assert error_of(sec.get(f"/meetings/{mid}/minutes/paragraphs/x/recipients")) == (
        422, "validation_failed")
    assert error_of(sec.get(f"/meetings/{mid}/minutes/extracts/x.pdf")) == (
        422, "validation_failed")
    assert error_of(sec.delete(path)) == (405, "method_not_allowed")
    assert error_of(sec.put(path, {"recipients": "A"})) == (422, "validation_failed")
    assert error_of(sec.put(path, {"recipients": [{"name": "A\x00"}]})) == (
        422, "validation_failed")
    for bad, code in (([{"name": "A", "email": "not-an-address"}], "recipient_email_invalid"),
                      ([{"email": "a@example.se"}], "recipient_name_missing")):
        refused = sec.put(path, {"recipients": bad})
        assert error_of(refused) == (422, code), bad
        assert refused.json()["error"]["details"]["line"] == 1
    for bad in ([{"name": "A" * 201}], [{"name": "A"}] * 51):
        refused = sec.put(path, {"recipients": bad})
        assert error_of(refused) == (422, "invalid_argument"), bad
        assert refused.json()["error"]["details"]["field"].startswith("recipients")
    assert not DecisionRecipient.objects.filter(item=item).exists()
    assert MeetingEvent.objects.filter(meeting_id=mid).count() == before


def test_extracts_are_listed_downloaded_and_certified_only_in_person(signing_dir):
    c = hold_and_sign(sign=False).c
    mid = c.meeting.pk
    sec = ApiClient(c.secretary)
    assert sec.get(f"/meetings/{mid}/minutes/extracts").json() == []
    # Certifying is a signature: refused to a token before and after the minutes are signed.
    refused = sec.post(f"/meetings/{mid}/minutes/extracts", {"item_ids": [c.items[1].pk]})
    assert error_of(refused) == (403, "signing_not_by_token")
    assert refused.json()["error"]["details"]["sign_url"] == (
        f"/moten/{mid}/protokoll/utdrag/")
    assert not ProtocolExtract.objects.exists()

    c = hold_and_sign(name="Andra nämnden").c
    mid = c.meeting.pk
    sec = ApiClient(c.secretary)
    assert error_of(sec.post(f"/meetings/{mid}/minutes/extracts")) == (
        403, "signing_not_by_token")
    extract = certified(c, c.items[1])
    listed = sec.get(f"/meetings/{mid}/minutes/extracts")
    assert listed.status_code == 200, listed.content
    [row] = listed.json()
    assert row["id"] == extract.pk and row["item_ids"] == [c.items[1].pk]
    assert row["paragraphs"] == extract.paragraphs and row["public"] is False
    assert row["certified_by"] == (c.secretary.get_full_name() or c.secretary.username)
    assert row["file_name"] == extract.filename and row["dispatches"] == []
    assert row["minutes_sha256"] == extract.document.full_sha256
    pdf = sec.get(row["pdf_url"].removeprefix("/api/v1"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert extract.filename in pdf["Content-Disposition"]
    assert hashlib.sha256(pdf.content).hexdigest() == row["sha256"] == extract.sha256
    # The secretary's signature is intact and chains to the organisation's CA.
    assert all_valid(verify_pdf(pdf.content, trust_root_pem=ca_store.trust_roots_pem()),
                     expected=1)

    chair = ApiClient(c.chair)
    assert error_of(chair.get(f"/meetings/{mid}/minutes/extracts")) == (
        403, "permission_denied")
    assert error_of(chair.get(f"/meetings/{mid}/minutes/extracts/{extract.pk}.pdf")) == (
        403, "permission_denied")
    assert error_of(sec.get(f"/meetings/{mid}/minutes/extracts/999999.pdf")) == (
        404, "extract_not_found")
    assert error_of(sec.get("/meetings/999999/minutes/extracts")) == (404, "meeting_not_found")


def test_an_extract_of_another_meeting_is_not_found(signing_dir):
    first = hold_and_sign().c
    extract = certified(first, first.items[1])
    other = hold_and_sign(name="Andra nämnden", sign=False).c
    sec = ApiClient(other.secretary)
    assert error_of(sec.get(f"/meetings/{other.meeting.pk}/minutes/extracts/{extract.pk}.pdf")) \
        == (404, "extract_not_found")
    assert error_of(sec.post(
        f"/meetings/{other.meeting.pk}/minutes/extracts/{extract.pk}/dispatch")) == (
        404, "extract_not_found")


def test_dispatch_sends_through_smtp_and_answers_each_recipients_result(signing_dir):
    c = hold_and_sign().c
    mid = c.meeting.pk
    extract = certified(c, c.items[1])
    sec = ApiClient(c.secretary)
    path = f"/meetings/{mid}/minutes/extracts/{extract.pk}/dispatch"
    assert error_of(ApiClient(c.chair).post(path)) == (403, "permission_denied")
    with smtp_server() as inbox:
        sent = sec.post(path, headers={"Idempotency-Key": "dispatch-1"})
    assert sent.status_code == 200, sent.content
    assert sorted(to for m in inbox.messages for to in m.rcpt_tos) == [
        "lst@example.se", "sokande@example.se"]
    for received in inbox.messages:
        assert received.attachment(extract.filename) == bytes(extract.pdf)
    body = sent.json()
    assert body["event"]["type"] == "minutes.extract_dispatched"
    results = {r["email"] or r["organisation"]: r["result"]
               for r in body["dispatch"]["recipients"]}
    assert results == {"sokande@example.se": "sent", "lst@example.se": "sent",
                       "Testby kommun": "no_email"}
    assert body["dispatch"]["id"] == ExtractDispatch.objects.get().pk
    # A retry with the same key sends nothing again and answers the same dispatch.
    with smtp_server() as again:
        retried = sec.post(path, headers={"Idempotency-Key": "dispatch-1"})
    assert again.messages == [] and retried.json() == body
    [row] = sec.get(f"/meetings/{mid}/minutes/extracts").json()
    assert row["dispatches"] == [body["dispatch"]]
    # A confidential § is never e-mailed; an extract whose § lists no address is refused.
    secret = certified(c, c.items[3])
    sec.put(f"/meetings/{mid}/minutes/paragraphs/{c.items[3].pk}/recipients",
            {"recipients": [{"name": "Part", "email": "part@example.se"}]})
    assert error_of(sec.post(f"/meetings/{mid}/minutes/extracts/{secret.pk}/dispatch")) == (
        409, "confidential_by_email")
    bare = certified(c, c.items[2])
    assert error_of(sec.post(f"/meetings/{mid}/minutes/extracts/{bare.pk}/dispatch")) == (
        409, "no_recipients")
    assert ExtractDispatch.objects.count() == 1


def test_the_archive_of_a_meeting_not_yet_held_has_its_log(signing_dir, committee):
    response = ApiClient(committee.secretary).get(f"/meetings/{committee.meeting.pk}/archive.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert "log.jsonl" in zf.namelist() and "protokoll.pdf" not in zf.namelist()


def test_the_archive_package_is_the_secretarys(signing_dir):
    c = hold_and_sign().c
    mid = c.meeting.pk
    extract = certified(c, c.items[1])
    seq = Meeting.objects.get(pk=mid).last_seq
    response = ApiClient(c.secretary).get(f"/meetings/{mid}/archive.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"arkivpaket-sammantrade-{mid}-" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read(f"utdrag/{extract.filename}") == bytes(extract.pdf)
    assert {"log.jsonl", "protokoll.pdf", "SHA256SUMS", "README.txt"} <= names
    assert manifest["meeting"]["id"] == mid
    assert Meeting.objects.get(pk=mid).last_seq == seq  # reading logs nothing
    assert error_of(ApiClient(c.chair).get(f"/meetings/{mid}/archive.zip")) == (
        403, "permission_denied")
    assert error_of(ApiClient(c.outsider).get(f"/meetings/{mid}/archive.zip")) == (
        403, "not_a_participant")
    assert error_of(ApiClient(c.secretary).get("/meetings/999999/archive.zip")) == (
        404, "meeting_not_found")
