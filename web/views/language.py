"""The header's language switch: Django's ``set_language`` plus remembering the choice in the
session and, for a signed-in person, in their ``UserPreference``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from web.language import SESSION_KEY, supported
from web.models import UserPreference


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = supported(request.POST.get("language"))
    if language is not None:
        request.session[SESSION_KEY] = language
        if request.user.is_authenticated:
            UserPreference.objects.update_or_create(user=request.user,
                                                    defaults={"language": language})
    return response
