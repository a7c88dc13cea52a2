"""Links after the meeting: the secretary's home links "After the meeting" once the minutes
are signed; everyone's home links the posted minutes; the signing page links back to the
minutes page and, once posted, to the anslag."""

from __future__ import annotations

from django.test import Client

from minutes.commands import minutes_post
from minutes.models import Publication
from tests.support.after import hold_and_sign


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_and_signing_page_link_the_minutes_after_and_the_anslag(db, signing_dir):
    unsigned = hold_and_sign(name="Osignerade nämnden", sign=False).c
    after_unsigned = f'href="/moten/{unsigned.meeting.pk}/protokoll/utdrag/"'
    assert after_unsigned not in text(client_for(unsigned.secretary), "/")

    c = hold_and_sign().c
    mid = c.meeting.pk
    after = f'href="/moten/{mid}/protokoll/utdrag/"'
    secretary_home = text(client_for(c.secretary), "/")
    assert after in secretary_home and "Efter sammanträdet" in secretary_home
    assert after not in text(client_for(c.chair), "/")
    member = client_for(c.members[2])
    assert "/protokoll/" not in text(member, "/").replace(f"/moten/{mid}/protokoll/", "")
    chair = client_for(c.chair)
    sign = text(chair, f"/moten/{mid}/protokoll/justera/")
    assert f'href="/moten/{mid}/protokoll/"' in sign and "Protokollsidan" in sign
    assert "Det anslagna protokollet" not in sign

    minutes_post(meeting_id=mid, actor=c.secretary)
    publication = Publication.objects.get(document__meeting_id=mid)
    posted = f'href="/protokoll/{publication.pk}/"'
    for user in (c.members[2], c.secretary, c.substitutes[0]):
        assert posted in text(client_for(user), "/"), user
    assert posted in text(chair, f"/moten/{mid}/protokoll/justera/")
    assert posted not in text(client_for(unsigned.members[2]), "/")
