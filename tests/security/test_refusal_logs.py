"""Expected refusals are one log line without a traceback (issue 13, item 7); real errors
keep theirs."""

from __future__ import annotations

import logging
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.module_loading import import_string

from meetings.models import Attachment


def _formatter() -> logging.Formatter:
    """The formatter the settings give the console handler."""
    spec = dict(settings.LOGGING["formatters"]["plain"])
    return import_string(spec.pop("()"))(fmt=spec["format"])


@pytest.mark.django_db
def test_a_routine_403_is_one_line(client, committee, settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path
    committee.meeting.is_public = False
    committee.meeting.save(update_fields=["is_public"])
    doc = Attachment.objects.create(item=committee.items[1], title="Bilaga",
                                    file=SimpleUploadedFile("a.pdf", b"%PDF"))
    client.force_login(committee.outsider)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("meetings:document", args=[committee.meeting.pk, doc.pk]))
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None  # Django attaches the exception...
    line = _formatter().format(record)
    assert "\n" not in line and "Traceback" not in line  # ...and it is not printed
    assert "Forbidden" in line and "PermissionDenied" in line


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: %s", ("/x/",), sys.exc_info())
    record.status_code = 500
    assert "Traceback" in _formatter().format(record)
