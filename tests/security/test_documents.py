"""Agenda documents cannot run script from the app's origin (issue 13, item 6): an .svg or
.html with a script is a sandboxed download, only raster images are shown inline."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Attachment
from web.views.documents import safe_filename

pytestmark = pytest.mark.django_db

SCRIPTED = {
    "kartan.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
                  b"</script></svg>",
    "bilaga.html": b"<html><body><script>new WebSocket('ws://127.0.0.1/ws/meetings/1/')"
                   b"</script></body></html>",
    "bilaga.htm": b"<script>alert(1)</script>",
    "utan-typ": b"<script>alert(1)</script>",
}


def _served(client, committee, name: str, content: bytes):
    attachment = Attachment.objects.create(item=committee.items[1], title="Bilaga",
                                           file=SimpleUploadedFile(name, content))
    return client.get(reverse("meetings:document", args=[committee.meeting.pk, attachment.pk]))


def _sandboxed(response) -> None:
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize("name", sorted(SCRIPTED))
def test_a_document_with_script_is_a_sandboxed_download(client, committee, settings, tmp_path,
                                                         name):
    settings.MEDIA_ROOT = tmp_path
    response = _served(client, committee, name, SCRIPTED[name])
    _sandboxed(response)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert name.split(".")[0] in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == SCRIPTED[name]  # served, unchanged


def test_a_pdf_is_a_download_and_a_raster_image_is_shown(client, committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = _served(client, committee, "skrivelse.pdf", b"%PDF-1.4 bygglov")
    _sandboxed(pdf)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="skrivelse.pdf"'
    png = _served(client, committee, "karta.png", b"\x89PNG\r\n\x1a\n")
    _sandboxed(png)
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == 'inline; filename="karta.png"'


@pytest.mark.parametrize(("stored", "expected"), [
    ("attachments/2026/a\"b\r\n.html", "ab.html"),
    ("attachments/2026/..", "handling"),
    ("C:\\evil\\x y.pdf", "x_y.pdf"),
    ("attachments/2026/Tjänsteskrivelse.pdf", "Tjänsteskrivelse.pdf"),
])
def test_the_download_name_is_a_plain_file_name(stored, expected):
    assert safe_filename(stored) == expected
