"""The pages' headers (issue 13, item 7): a strict Content-Security-Policy on every page and
nothing inline that it would block; HSTS and secure cookies in production settings only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.minutes import hold_meeting

ROOT = Path(__file__).resolve().parents[2]
#: <script> types that are data, not code (json_script): CSP does not run or block them.
DATA_TYPES = {"application/json", "application/ld+json"}


class InlineFinder(HTMLParser):
    """Everything a strict CSP (no 'unsafe-inline') would block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.found.append("<style> block")
        if tag == "script" and "src" not in named and named.get("type") not in DATA_TYPES:
            self.found.append("inline <script>")
        for name in ("href", "src", "action"):
            if (named.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_content(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_finds_what_the_policy_blocks():
    assert inline_content('<script>alert(1)</script><p onclick="x()" style="color:red">'
                          '<style>p{}</style><a href="javascript:x()">') == [
        "inline <script>", "<p onclick=...>", "<p style=...>", "<style> block",
        "<a href=javascript:...>"]
    assert inline_content('<script type="module" src="/static/x.js"></script>'
                          '<script id="d" type="application/json">{}</script>') == []


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix()
                                        for p in (ROOT / "templates").rglob("*.html")))
def test_no_template_has_inline_script_or_style(path):
    assert inline_content((ROOT / path).read_text()) == [], path


def _pages(held) -> list[tuple[object, str]]:
    c = held.c
    mid = c.meeting.pk
    return [
        (None, reverse("login")), (None, reverse("minutes:notice_board")),
        (None, reverse("minutes:archive")), (None, reverse("minutes:verify")),
        (None, reverse("meetings:public_live", args=[mid])),
        (c.members[1], reverse("meetings:home")),
        (c.members[1], reverse("meetings:room", args=[mid])),
        (c.secretary, reverse("meetings:console", args=[mid])),
        (c.secretary, reverse("meetings:minutes_review", args=[mid])),
        (c.chair, reverse("meetings:minutes_sign", args=[mid])),
        (c.members[1], reverse("identity:overview")), (c.members[1], reverse("identity:enrol")),
    ]


@pytest.mark.django_db
def test_every_page_has_the_strict_policy_and_nothing_inline():
    held = hold_meeting(_committee())
    for user, url in _pages(held):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        policy = dict(part.strip().split(" ", 1) for part in
                      response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", url
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
        assert "unsafe" not in response["Content-Security-Policy"]
        assert inline_content(response.content.decode()) == [], url


def _committee():
    from tests.support.committee import make_committee

    return make_committee()


def _settings_with(env: dict[str, str]) -> dict:
    code = ("import json; from klubba import settings as s; print(json.dumps("
            "{k: getattr(s, k, None) for k in ('SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
            "'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER')}))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KLUBBA_")}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_production_settings_send_hsts_and_secure_cookies(tmp_path):
    base = {"KLUBBA_VAR_DIR": str(tmp_path)}
    prod = _settings_with({**base, "KLUBBA_SECRET_KEY": "x" * 50,
                           "KLUBBA_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    debug = _settings_with({**base, "KLUBBA_DEBUG": "1"})
    assert not debug["SECURE_HSTS_SECONDS"] and not debug["SESSION_COOKIE_SECURE"]
    assert debug["SECURE_PROXY_SSL_HEADER"] is None
