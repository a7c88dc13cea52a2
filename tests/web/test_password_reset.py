"""A forgotten password: Klubba's own pages in Swedish (not the Django admin's), a link from
the login page, and the reset mail through real SMTP."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.support.smtp import smtp_server


def test_the_login_page_links_to_the_password_reset(db, client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Glömt lösenordet?" in page


def test_a_forgotten_password_is_reset_through_a_mailed_link(db, client):
    user = get_user_model().objects.create_user("anna", "anna@example.se", "gammalt-losen-1",
                                                first_name="Anna", last_name="Berg")
    page = client.get(reverse("password_reset")).content.decode()
    assert "Django" not in page and 'lang="sv"' in page and "Glömt lösenord" in page
    assert 'class="skip"' in page  # Klubba's base.html
    with smtp_server() as server:
        response = client.post(reverse("password_reset"), {"email": "anna@example.se"},
                               follow=True)
    page = response.content.decode()
    assert "Titta i din e-post" in page and "Django" not in page
    [mail] = server.to("anna@example.se")
    assert mail.message["Subject"] == "Klubba: välj ett nytt lösenord"
    text = mail.text()
    assert "Hej Anna Berg" in text and "Ditt användarnamn är anna" in text
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", text)
    assert link is not None, text
    response = client.get(link.group(1), follow=True)
    page = response.content.decode()
    assert "Välj ett nytt lösenord" in page and "Django" not in page
    response = client.post(response.redirect_chain[-1][0],
                           {"new_password1": "nytt-losen-2026", "new_password2": "annat"})
    assert 'id="id_new_password2-error"' in response.content.decode()
    response = client.post(response.request["PATH_INFO"],
                           {"new_password1": "nytt-losen-2026",
                            "new_password2": "nytt-losen-2026"}, follow=True)
    assert "Det nya lösenordet är sparat" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("nytt-losen-2026")
    # The link works once.
    page = client.get(link.group(1), follow=True).content.decode()
    assert 'id="link-invalid"' in page


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db, client):
    with smtp_server() as server:
        response = client.post(reverse("password_reset"), {"email": "ingen@example.se"},
                               follow=True)
    assert "Titta i din e-post" in response.content.decode()
    assert server.messages == []
