"""Every refusal of the API as one JSON shape, with the same codes as the websocket protocol:

    {"error": {"code": "agenda_fixed", "message": "...", "details": {...}}}

The HTTP status follows the code (``status_for``): 401 who are you, 403 not yours to do,
404 no such thing, 413 too large, 422 input the schema or the domain refuses, 409 the state
does not allow it now, 400 a body that is not JSON. Messages are Swedish unless the client
asks for English (``?lang=en`` or ``Accept-Language``, as on the websocket).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from api.errors import ApiError
from meetings.errors import CommandError, ErrorCode, error_message
from minutes.errors import MinutesError

logger = logging.getLogger(__name__)

#: Codes whose refusal means "not yours to do" (403).
FORBIDDEN = frozenset({
    ErrorCode.PERMISSION_DENIED, ErrorCode.NOT_A_PARTICIPANT, ErrorCode.NOT_SERVING,
    ErrorCode.RECUSED, ErrorCode.NOT_PRESIDING, "not_a_signer", "wrong_password",
    "second_factor_required", "session_expired", ApiError.SIGNING_NOT_BY_TOKEN,
})
#: Input the domain or the schema refuses as such, whatever the state (422).
UNPROCESSABLE = frozenset({
    ErrorCode.INVALID_ARGUMENT, ApiError.VALIDATION_FAILED, ErrorCode.CLOSED_ITEMS_LAST,
    ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, MinutesError.RECIPIENT_EMAIL_INVALID,
    MinutesError.RECIPIENT_NAME_MISSING, MinutesError.NO_PARAGRAPHS_CHOSEN,
})
STATUS = {
    ApiError.MALFORMED_JSON: 400,
    "authentication_required": 401,
    "invalid_token": 401,
    ApiError.METHOD_NOT_ALLOWED: 405,
    ErrorCode.ATTACHMENT_TOO_LARGE: 413,
    ApiError.REQUEST_TOO_LARGE: 413,
    "internal_error": 500,
}


#: The websocket protocol's own codes the API answers with too (``realtime.protocol``); the
#: API's ``authentication_required`` says how an API client logs in (a Bearer token).
PROTOCOL_MESSAGES: dict[str, Any] = {
    "authentication_required": _(
        "Please log in first: send your API token in the header "
        "Authorization: Bearer <token>."
    ),
    "invalid_token": _("The API token is not valid."),
    "internal_error": _("Something went wrong on the server. Nothing was changed."),
}


def status_for(code: str) -> int:
    if code in STATUS:
        return STATUS[code]
    if code == ApiError.NOT_FOUND or code.endswith("_not_found"):
        return 404
    if code in FORBIDDEN:
        return 403
    if code in UNPROCESSABLE:
        return 422
    return 409


def language_of(request: HttpRequest) -> str:
    """``?lang=`` or ``Accept-Language`` if supported, else Swedish (as the websocket)."""
    candidates = request.GET.getlist("lang")
    accept = request.headers.get("Accept-Language", "")
    candidates += [code for code, _q in parse_accept_lang_header(accept)] if accept else []
    for code in candidates:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def error_response(request: HttpRequest, code: str, *, message: Any = None,
                   details: dict[str, Any] | None = None,
                   status: int | None = None) -> HttpResponse:
    with translation.override(language_of(request)):
        if message is None:
            message = PROTOCOL_MESSAGES.get(str(code)) or error_message(code)
        text = str(message)
    body = {"error": {"code": str(code), "message": text, "details": details or {}}}
    return JsonResponse(body, status=status or status_for(str(code)))


def command_error_response(request: HttpRequest, exc: CommandError) -> HttpResponse:
    logger.info("api refused %s %s: %s", request.method, request.path, exc.code)
    return error_response(request, exc.code, message=exc.message, details=_plain(exc.details))


def _plain(value: Any) -> Any:
    """Details as JSON can carry them (ids, names, lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
