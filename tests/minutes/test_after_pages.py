"""The secretary's page after the meeting: recipients, extract, dispatch, archive, and who
may not use it."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from meetings.models import MeetingEvent
from minutes.models import DecisionRecipient, ExtractDispatch, ProtocolExtract
from tests.support.after import hold_and_sign, password
from tests.support.identity import code_for, enrolled, fresh_code, require_second_factor
from tests.support.language import english_client
from tests.support.smtp import smtp_server


def test_only_the_secretary_may_use_the_page(db, signing_dir, client):
    s = hold_and_sign()
    c = s.c
    url = reverse("meetings:minutes_after", args=[c.meeting.pk])
    archive = reverse("meetings:archive_package", args=[c.meeting.pk])
    assert client.get(url).status_code == 302  # to the login page
    for user in (c.chair, c.members[1], c.outsider):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user
        assert client.get(archive).status_code in (403, 404), user
        response = client.post(url, {"action": "recipients", "item_id": c.items[2].pk,
                                     "recipients": "X; Y; x@example.se"})
        assert response.status_code in (403, 404)
    assert not DecisionRecipient.objects.filter(item=c.items[2]).exists()


def test_the_secretary_sets_recipients_certifies_dispatches_and_archives(db, signing_dir,
                                                                          client):
    s = hold_and_sign()
    c = s.c
    client.force_login(c.secretary)
    url = reverse("meetings:minutes_after", args=[c.meeting.pk])
    page = client.get(url).content.decode()
    assert "Länsstyrelsen i Testby län" in page and "Certify and sign the extract" in page
    response = client.post(url, {"action": "recipients", "item_id": c.items[2].pk,
                                 "recipients": "Planarkitekt; Testby kommun; plan@example.se\n"
                                               "bad line; ; not-an-email"})
    assert response.status_code == 400 and "recipients[1].email" not in response.content.decode()
    response = client.post(url, {"action": "recipients", "item_id": c.items[2].pk,
                                 "recipients": "Planarkitekt; Testby kommun; plan@example.se"})
    assert response.status_code == 302
    assert DecisionRecipient.objects.get(item=c.items[2]).email == "plan@example.se"
    response = client.post(url, {"action": "extract", "item_id": [c.items[1].pk],
                                 "password": "wrong"})
    assert response.status_code == 400 and "password is not correct" in response.content.decode()
    response = client.post(url, {"action": "extract", "item_id": [c.items[1].pk, c.items[2].pk],
                                 "public": "1", "password": password(c.secretary)})
    assert response.status_code == 302
    extract = ProtocolExtract.objects.get()
    assert extract.public and len(extract.paragraphs) == 2
    pdf = client.get(reverse("meetings:extract_pdf", args=[c.meeting.pk, extract.pk]))
    assert pdf.content == bytes(extract.pdf)
    with smtp_server() as server:
        response = client.post(url, {"action": "dispatch", "extract_id": extract.pk})
    assert response.status_code == 302
    assert sorted(t for m in server.messages for t in m.rcpt_tos) == [
        "lst@example.se", "plan@example.se", "sokande@example.se"]
    assert ExtractDispatch.objects.get().extract == extract
    page = client.get(url).content.decode()
    assert "plan@example.se" in page and "sent" in page
    response = client.get(reverse("meetings:archive_package", args=[c.meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert f"utdrag/{extract.filename}" in zf.namelist()
        assert "log.jsonl" in zf.namelist()


def test_the_page_says_why_no_extract_before_signing(db, signing_dir, client):
    s = hold_and_sign(sign=False)
    c = s.c
    client.force_login(c.secretary)
    page = client.get(reverse("meetings:minutes_after", args=[c.meeting.pk])).content.decode()
    assert 'id="not-signed"' in page
    response = client.post(reverse("meetings:minutes_after", args=[c.meeting.pk]),
                           {"action": "extract", "item_id": [c.items[1].pk],
                            "password": password(c.secretary)})
    assert response.status_code == 400 and "not signed by everyone" in response.content.decode()


def test_a_refused_form_says_what_is_wrong_next_to_the_field_and_keeps_the_input(
        db, signing_dir, client):
    s = hold_and_sign()
    c = s.c
    client.force_login(c.secretary)
    client.cookies["django_language"] = "sv"
    url = reverse("meetings:minutes_after", args=[c.meeting.pk])
    typed = "Kommunstyrelsen; ; inte-en-adress"
    response = client.post(url, {"action": "recipients", "item_id": c.items[2].pk,
                                 "recipients": typed})
    page = response.content.decode()
    field = f"rcpt-{c.items[2].pk}"
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert "Rad 1: ”inte-en-adress” är ingen e-postadress." in page
    assert f'aria-describedby="{field}-error"' in page and typed in page
    assert "Begäran är inte giltig" not in page
    # The line number is the line as typed, blank lines counted.
    response = client.post(url, {"action": "recipients", "item_id": c.items[2].pk,
                                 "recipients": "A; ; a@example.se\n\n; ; b@example.se"})
    assert "Rad 3: ange ett namn eller en organisation." in response.content.decode()
    assert not DecisionRecipient.objects.filter(item=c.items[2]).exists()
    response = client.post(url, {"action": "extract", "public": "1",
                                 "password": password(c.secretary)})
    page = response.content.decode()
    assert response.status_code == 400 and "Välj minst en paragraf." in page
    assert 'aria-describedby="extract-paragraphs-error"' in page
    assert 'name="public" value="1" checked' in page
    response = client.post(url, {"action": "extract", "item_id": [c.items[1].pk],
                                 "password": "wrong"})
    page = response.content.decode()
    assert 'aria-describedby="extract-password-error"' in page
    assert f'value="{c.items[1].pk}" checked' in page and "wrong" not in page.split("<main")[1]
    assert not ProtocolExtract.objects.exists()


def test_certifying_an_extract_asks_the_bodys_second_factor_as_signing_does(
        db, signing_dir, settings):
    s = hold_and_sign()
    c = s.c
    require_second_factor(c.body)
    device = enrolled(c.secretary)
    settings.KLUBBA = {**settings.KLUBBA, "STEP_UP_MAX_AGE": 0}  # the login's code is too old
    client = english_client()
    client.post(reverse("login"), {"username": c.secretary.username,
                                   "password": password(c.secretary)})
    assert client.post(reverse("identity:verify"), {"token": code_for(device)}).status_code == 302
    url = reverse("meetings:minutes_after", args=[c.meeting.pk])
    assert 'id="extract-otp"' in client.get(url).content.decode()
    form = {"action": "extract", "item_id": [c.items[1].pk], "password": password(c.secretary)}
    missing = client.post(url, form)
    assert missing.status_code == 400 and 'id="extract-step-up-error"' in missing.content.decode()
    assert not ProtocolExtract.objects.exists()
    device.refresh_from_db()
    done = client.post(url, {**form, "otp_token": fresh_code(device)})
    assert done.status_code == 302
    assert ProtocolExtract.objects.count() == 1
    (certified,) = MeetingEvent.objects.filter(meeting=c.meeting, type="minutes.extract_certified")
    assert certified.payload["identity_method"] == "password+totp"
