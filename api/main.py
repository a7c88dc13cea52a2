"""The API object: django-ninja, mounted at ``/api/v1/`` (``api.urls``), with the OpenAPI
schema at ``/api/v1/openapi.json`` and its documentation page at ``/api/v1/docs``.

Why django-ninja: the request and response shapes are pydantic classes in the endpoints'
signatures, so the validation and the OpenAPI schema come from the same code and cannot
disagree; the endpoints are plain Django views (same middleware, settings, ORM and
transactions as the pages), thin wrappers over the domain functions. Django REST framework
would bring serializers, viewsets and its own request object for what is here a few dozen
function calls.

Every refusal is one JSON shape with the websocket protocol's codes (``api.responses``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api import after_meeting, agenda, bodies, log, minutes
from api.auth import BearerToken, InvalidToken
from api.errors import ApiError, schema_refusal
from api.responses import command_error_response, error_response, language_of
from meetings.errors import CommandError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Klubba API",
    version="1",
    description=(
        "Set up bodies, members, meetings and agendas; read a meeting's log; lock and post "
        "the minutes; decision recipients, extracts, their dispatch and the archive package. "
        "Authenticate with `Authorization: Bearer <API token>`. Every refusal is "
        "`{\"error\": {\"code\", \"message\", \"details\"}}` with the codes of "
        "docs/protocol.md. Guide: docs/api.md."
    ),
    auth=BearerToken(),
    urls_namespace="api",
)
api.add_router("", bodies.router)
api.add_router("", agenda.router)
api.add_router("", log.router)
api.add_router("", minutes.router)
api.add_router("", after_meeting.router)


@api.exception_handler(CommandError)
def _command_error(request: HttpRequest, exc: CommandError) -> HttpResponse:
    return command_error_response(request, exc)


def _body_is_object(request: HttpRequest, errors: list[dict[str, Any]]) -> bool:
    """False when the refusal concerns a JSON body that is not an object (an array, a
    number, an empty body): said once, instead of as each of its fields missing."""
    if not any(str((e.get("loc") or ("",))[0]) == "body" for e in errors):
        return True
    if request.content_type == "multipart/form-data":
        return True
    try:
        raw = request.body
    except RawPostDataException:
        return True
    if not raw.strip():
        return False
    try:
        return isinstance(json.loads(raw), dict)
    except ValueError:
        return True


@api.exception_handler(ValidationError)
def _schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = list(exc.errors)
    with translation.override(language_of(request)):
        message, details = schema_refusal(errors,
                                          body_is_object=_body_is_object(request, errors))
    return error_response(request, ApiError.VALIDATION_FAILED, message=message,
                          details=details)


@api.exception_handler(InvalidToken)
def _invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
    return error_response(request, "invalid_token")


@api.exception_handler(AuthenticationError)
def _no_token(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, "authentication_required")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals: 400 is a body it could not parse as JSON."""
    code = {400: ApiError.MALFORMED_JSON, 404: ApiError.NOT_FOUND,
            405: ApiError.METHOD_NOT_ALLOWED}.get(exc.status_code)
    if code is None:
        return error_response(request, "invalid_argument", status=exc.status_code)
    return error_response(request, code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, ApiError.NOT_FOUND)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, ApiError.REQUEST_TOO_LARGE)


@api.exception_handler(Exception)
def _internal(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug, not the client's input: logged with its traceback, answered without it."""
    logger.exception("api error on %s %s", request.method, request.path)
    return error_response(request, "internal_error", status=500)
