"""Uploaded documents are only reachable through the checked document view."""

import importlib

from django.test import override_settings


def test_media_files_are_not_served_directly_even_in_debug():
    import klubba.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(klubba.urls)
            patterns = [str(p.pattern) for p in klubba.urls.urlpatterns]
        assert not any(p.startswith("media") for p in patterns), patterns
    finally:
        importlib.reload(klubba.urls)
