"""The links a person needs between pages before the meeting: the secretary's home, the
agenda editor, Kallelse och förhinder and Utskick; the 403 page's way to a public meeting's
public view; the kungörelse's public view and public documents. Each link is asserted for
the person who needs it and its absence for the person who must not see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from meetings.models import Attachment
from notices.commands import notice_send
from tests.support.committee import make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(db):
    c = make_committee()
    c.meeting.starts_at = timezone.now() + timedelta(days=8)
    c.meeting.save()
    return c


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_secretarys_home_links_the_agenda_editor_notice_and_sent_mail(c):
    mid = c.meeting.pk
    editor = f'href="/organisation/sammantraden/{mid}/"'
    notice = f'href="/moten/{mid}/kallelse/"'
    sent = f'href="/moten/{mid}/utskick/"'
    home = page(client_for(c.secretary), "/")
    assert editor in home and notice in home and sent in home
    assert "Kallelse och förhinder" in home and "Utskick" in home
    chair = page(client_for(c.chair), "/")
    assert notice in chair and editor not in chair  # the chair does not plan the agenda
    member = page(client_for(c.members[1]), "/")
    assert editor not in member and notice not in member and sent not in member


def test_agenda_editor_notice_and_sent_mail_link_each_other(c):
    mid = c.meeting.pk
    editor = f'href="/organisation/sammantraden/{mid}/"'
    notice = f'href="/moten/{mid}/kallelse/"'
    secretary = client_for(c.secretary)
    assert notice in page(secretary, f"/organisation/sammantraden/{mid}/")
    notice_page = page(secretary, f"/moten/{mid}/kallelse/")
    assert editor in notice_page and f'href="/moten/{mid}/utskick/"' in notice_page
    sent_page = page(secretary, f"/moten/{mid}/utskick/")
    assert editor in sent_page and notice in sent_page
    # The chair may open the notice page but not the agenda editor: no link to it.
    chair = client_for(c.chair)
    assert editor not in page(chair, f"/moten/{mid}/kallelse/")
    assert editor not in page(chair, f"/moten/{mid}/utskick/")


def test_the_403_page_links_a_public_meetings_public_view(c):
    mid = c.meeting.pk
    outsider = client_for(c.outsider)
    refused = page(outsider, f"/moten/{mid}/", status=403)
    assert "Du deltar inte i detta sammanträde." in refused
    assert f'href="/offentligt/{mid}/"' in refused
    c.meeting.is_public = False
    c.meeting.save()
    refused = page(outsider, f"/moten/{mid}/", status=403)
    assert "Du deltar inte i detta sammanträde." in refused
    assert "/offentligt/" not in refused
    # The console's refusal is not about taking part: no public link either.
    c.meeting.is_public = True
    c.meeting.save()
    assert "/offentligt/" not in page(client_for(c.members[1]), f"/moten/{mid}/sekreterare/",
                                      status=403)


def test_the_kungorelse_links_the_public_view_and_the_public_documents(c, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    mid = c.meeting.pk
    public = Attachment.objects.create(item=c.items[1], title="Tjänsteskrivelse bygglov",
                                       file=ContentFile(b"%PDF-1.4 x", name="ts.pdf"))
    closed = Attachment.objects.create(item=c.items[3], title="Hemlig handling",
                                       file=ContentFile(b"%PDF-1.4 y", name="h.pdf"))
    notice_send(meeting_id=mid, actor=c.secretary, late_confirmed=True)
    board = page(Client(), "/anslag/")
    assert f'href="/offentligt/{mid}/"' in board
    assert f'href="/moten/{mid}/handlingar/{public.pk}/"' in board
    assert "Tjänsteskrivelse bygglov" in board
    assert f"/handlingar/{closed.pk}/" not in board and "Hemlig handling" not in board
    # The link works for anyone: the public document of a public meeting.
    assert Client().get(f"/moten/{mid}/handlingar/{public.pk}/").status_code == 200
