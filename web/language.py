"""Which language a page speaks: Swedish unless the person chose English.

Django's ``LocaleMiddleware`` would follow the browser's Accept-Language, so an English-language
browser got English pages although Klubba is Swedish by default. Here the choice is the
person's: the session (set by the language switch and, at login, from the stored preference),
then the language cookie (an anonymous visitor's choice), then ``LANGUAGE_CODE``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

#: The session key that holds the chosen language.
SESSION_KEY = "klubba_language"


def supported(code: str | None) -> str | None:
    """``code`` if it is one of the site's languages, else None."""
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else None


def chosen_language(request: HttpRequest) -> str:
    """The person's choice (session, then cookie), else the site's default (Swedish)."""
    session = getattr(request, "session", None)
    from_session = supported(session.get(SESSION_KEY)) if session is not None else None
    return (from_session or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without Accept-Language: the language is the person's choice."""

    def process_request(self, request: HttpRequest) -> None:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest,
                         response: HttpResponseBase) -> HttpResponseBase:
        # The response does not vary with Accept-Language (LocaleMiddleware would say it does).
        response.setdefault("Content-Language", translation.get_language())
        return response


def remember_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: a fresh session speaks the language the person chose before."""
    from web.models import UserPreference

    if request is None or not hasattr(request, "session"):
        return
    preference = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if preference and supported(preference):
        request.session[SESSION_KEY] = preference
        translation.activate(preference)
