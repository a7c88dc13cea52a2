"""The page views without a browser: who may open what, and what the pages carry."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from meetings.commands import attendance_check_in, item_activate, meeting_open
from meetings.models import Participant
from tests.support.committee import roll_call_and_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered states are cached per meeting and log head; ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


def login(client, user) -> None:
    client.force_login(user)


def initial_state(response) -> dict:
    html = response.content.decode()
    start = html.index('id="klubba-state"')
    body = html[html.index(">", start) + 1:html.index("</script>", start)]
    return json.loads(body)


def test_anonymous_home_explains_and_links_to_login(client, committee):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("login") in html
    assert reverse("minutes:notice_board") in html


def test_my_meetings_lists_the_meeting_with_console_for_the_secretary(client, committee):
    login(client, committee.secretary)
    html = client.get("/").content.decode()
    assert reverse("meetings:room", args=[committee.meeting.pk]) in html
    assert reverse("meetings:console", args=[committee.meeting.pk]) in html
    login(client, committee.members[2])
    html = client.get("/").content.decode()
    assert reverse("meetings:room", args=[committee.meeting.pk]) in html
    assert reverse("meetings:console", args=[committee.meeting.pk]) not in html


def test_room_needs_login(client, committee):
    response = client.get(reverse("meetings:room", args=[committee.meeting.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_outsider_gets_a_readable_403_for_room_and_state(client, committee):
    login(client, committee.outsider)
    for name in ("meetings:room", "meetings:state", "meetings:console"):
        response = client.get(reverse(name, args=[committee.meeting.pk]))
        assert response.status_code == 403
    assert b"Traceback" not in response.content


def test_member_cannot_open_the_console_but_the_secretary_and_chair_can(client, committee):
    url = reverse("meetings:console", args=[committee.meeting.pk])
    login(client, committee.members[2])
    response = client.get(url)
    assert response.status_code == 403
    assert "sekreterare" in response.content.decode().lower()
    login(client, committee.secretary)
    assert client.get(url).status_code == 200
    login(client, committee.chair)
    assert client.get(url).status_code == 200


def test_room_state_has_my_status_and_the_active_item(client, committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=c.members[1].pk,
                        remote=False)
    roll_call_and_agenda(c)
    item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[0].pk)
    login(client, c.members[1])
    state = initial_state(client.get(reverse("meetings:room", args=[c.meeting.pk])))
    assert state["active_item_id"] == c.items[0].pk
    assert state["me"]["user_id"] == c.members[1].pk
    assert state["me"]["participant"]["present"] is True
    assert state["me"]["seat_number"] == 2
    fresh = client.get(reverse("meetings:state", args=[c.meeting.pk])).json()
    assert fresh["seq"] == state["seq"] and fresh["panel"]["vote"] is None
    assert Participant.objects.filter(meeting=c.meeting).count() > 0


def test_public_view_hides_the_confidential_item_and_private_meetings(client, committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    response = client.get(reverse("meetings:public_live", args=[c.meeting.pk]))
    assert response.status_code == 200
    state = initial_state(response)
    titles = [i["title"] for i in state["agenda"]]
    assert "Sekretessärende" not in titles and "Bygglov" in titles
    assert "me" not in state
    c.meeting.is_public = False
    c.meeting.save(update_fields=["is_public"])
    assert client.get(reverse("meetings:public_live", args=[c.meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:public_state", args=[c.meeting.pk])).status_code == 404


def test_pages_are_swedish_by_default_and_english_by_choice(client, committee):
    login(client, committee.members[1])
    url = reverse("meetings:room", args=[committee.meeting.pk])
    assert "Begär ordet" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Ask to speak" in client.get(url).content.decode()


def test_minutes_review_is_for_the_secretary_and_signing_page_for_signers(client, committee):
    c = committee
    login(client, c.members[2])
    assert client.get(reverse("meetings:minutes_review", args=[c.meeting.pk])).status_code == 403
    response = client.get(reverse("meetings:minutes_sign", args=[c.meeting.pk]))
    assert response.status_code == 200  # not locked yet: says so
    login(client, c.secretary)
    assert client.get(reverse("meetings:minutes_review", args=[c.meeting.pk])).status_code == 200
    response = client.post(reverse("meetings:minutes_review", args=[c.meeting.pk]),
                           {"action": "lock"})
    assert response.status_code == 400  # not adjourned: the readable refusal, no traceback
    assert "Traceback" not in response.content.decode()


def test_the_audience_state_is_shared_but_me_is_per_person(client, committee):
    """One cached state per log head; each person still gets their own status."""
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    url = reverse("meetings:state", args=[c.meeting.pk])
    login(client, c.members[1])
    first = client.get(url).json()
    login(client, c.members[2])
    second = client.get(url).json()
    assert first["me"]["user_id"] == c.members[1].pk
    assert second["me"]["user_id"] == c.members[2].pk
    assert {k: v for k, v in first.items() if k != "me"} == {
        k: v for k, v in second.items() if k != "me"}
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=c.members[2].pk,
                        remote=False)
    after = client.get(url).json()  # a new event: a new head, never the cached state
    assert after["seq"] == second["seq"] + 1
    assert after["me"]["participant"]["present"] is True


def test_item_documents_follow_the_meeting_and_the_items_confidentiality(
        client, committee, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    c = committee
    open_doc = Attachment.objects.create(
        item=c.items[1], title="Tjänsteskrivelse",
        file=SimpleUploadedFile("skrivelse.pdf", b"%PDF-1.4 bygglov"))
    secret_doc = Attachment.objects.create(
        item=c.items[3], title="Utredning",
        file=SimpleUploadedFile("utredning.pdf", b"%PDF-1.4 hemlig"))
    url = lambda doc: reverse("meetings:document", args=[c.meeting.pk, doc.pk])  # noqa: E731

    # The public: the open item's document of a public meeting, never the confidential one.
    assert b"".join(client.get(url(open_doc)).streaming_content) == b"%PDF-1.4 bygglov"
    assert client.get(url(secret_doc)).status_code == 404
    public = initial_state(client.get(reverse("meetings:public_live", args=[c.meeting.pk])))
    assert str(c.items[1].pk) in public["documents"]
    assert str(c.items[3].pk) not in public["documents"]
    # The meeting's people see both; someone outside the body sees neither of the closed ones.
    login(client, c.members[1])
    assert b"".join(client.get(url(secret_doc)).streaming_content) == b"%PDF-1.4 hemlig"
    room = initial_state(client.get(reverse("meetings:room", args=[c.meeting.pk])))
    assert room["documents"][str(c.items[3].pk)][0]["title"] == "Utredning"
    login(client, c.outsider)
    assert client.get(url(secret_doc)).status_code == 403
    c.meeting.is_public = False
    c.meeting.save(update_fields=["is_public"])
    client.logout()
    assert client.get(url(open_doc)).status_code == 404


def test_the_pages_know_every_apps_error_messages(client, committee):
    """The JS module shows a refusal's message by its code: voting's and the minutes' too."""
    login(client, committee.members[1])
    html = client.get(reverse("meetings:room", args=[committee.meeting.pk])).content.decode()
    start = html.index('id="klubba-text"')
    texts = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
    for code in ("not_a_participant", "order_not_set", "minutes_locked"):
        assert texts["errors"].get(code, code) != code, code


def test_the_panel_keeps_the_closed_vote_with_its_result_and_my_ballot(client, committee):
    from tests.support.voting import start_item
    from voting.commands import ballot_cast, vote_close, vote_open

    live = start_item(committee)
    prepared = live.prepared()
    vote_id = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk, kind="open",
                                  main_proposal_id=prepared.pk)).payload["vote_id"]
    voter = committee.members[1]
    ballot_cast(**live.kw(actor=voter, vote_id=vote_id, choice="ja"))
    vote_close(**live.kw(actor=live.sec, vote_id=vote_id))
    login(client, voter)
    panel = client.get(reverse("meetings:state", args=[live.meeting_id])).json()["panel"]
    vote = panel["vote"]
    assert vote["vote_id"] == vote_id and vote["state"] == "closed" and vote["result"]
    assert vote["main_proposal"]["number"] == prepared.number
    assert vote["main_proposal"]["item_id"] == live.item.pk
    assert vote["me"] == {"eligible": True, "voted": True, "choice": "ja"}  # open: "You voted Yes"
    public = client.get(reverse("meetings:public_state", args=[live.meeting_id])).json()
    assert public["panel"]["vote"]["vote_id"] == vote_id and "me" not in public["panel"]["vote"]
