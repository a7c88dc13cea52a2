"""Test clients in a chosen language: Klubba speaks Swedish whatever the browser asks for, so
English is chosen the way a person does (the language cookie the switch sets)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
