"""What every page's header needs to know about the person: whether to show *Organisation*."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from web.access import may_set_up


def setup_link(request: HttpRequest) -> dict[str, Any]:
    """``may_set_up``: asked (one query) only when a template reads it."""
    return {"may_set_up": SimpleLazyObject(lambda: may_set_up(request.user))}
