"""Error codes the HTTP API adds to the domain apps' codes (``meetings.errors``).

Refusals of the domain's commands keep their own codes (``permission_denied``,
``wrong_password``, ...); these are the API's own: a body that is not JSON, a request the
schema refuses, a path that does not exist, and the acts a token may not do.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ApiError(StrEnum):
    MALFORMED_JSON = "malformed_json"
    VALIDATION_FAILED = "validation_failed"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TOO_LARGE = "request_too_large"
    SIGNING_NOT_BY_TOKEN = "signing_not_by_token"


MESSAGES: dict[StrEnum, Any] = {
    ApiError.MALFORMED_JSON: _("The request body is not valid JSON."),
    ApiError.VALIDATION_FAILED: _("The request does not match the API's schema."),
    ApiError.NOT_FOUND: _("There is no such resource."),
    ApiError.METHOD_NOT_ALLOWED: _("This method is not allowed here."),
    ApiError.REQUEST_TOO_LARGE: _("The request body is too large."),
    ApiError.SIGNING_NOT_BY_TOKEN: _(
        "A signature (the minutes' justering, an extract's certification) is made by the "
        "signer in person on the page named in sign_url, not with an API token."
    ),
}


#: Short messages for pydantic's error types, in the client's language (pydantic's own are
#: English whatever the request asked for). ``%(...)s`` is filled from the error's ``ctx``.
SCHEMA_MESSAGES: dict[str, Any] = {
    "missing": _("required"),
    "extra_forbidden": _("not a known field"),
    "string_type": _("must be a text string"),
    "string_too_short": _("must have at least %(min_length)s characters"),
    "string_too_long": _("must have at most %(max_length)s characters"),
    "string_pattern_mismatch": _("does not have the expected form"),
    "int_type": _("must be a whole number"),
    "int_parsing": _("must be a whole number"),
    "int_from_float": _("must be a whole number"),
    "float_type": _("must be a number"),
    "float_parsing": _("must be a number"),
    "bool_type": _("must be true or false"),
    "bool_parsing": _("must be true or false"),
    "greater_than": _("must be greater than %(gt)s"),
    "greater_than_equal": _("must be at least %(ge)s"),
    "less_than": _("must be less than %(lt)s"),
    "less_than_equal": _("must be at most %(le)s"),
    "list_type": _("must be a list"),
    "too_short": _("must have at least %(min_length)s entries"),
    "too_long": _("must have at most %(max_length)s entries"),
    "dict_type": _("must be a JSON object"),
    "model_type": _("must be a JSON object"),
    "model_attributes_type": _("must be a JSON object"),
    "enum": _("must be one of: %(expected)s"),
    "literal_error": _("must be one of: %(expected)s"),
    "date_type": _("must be a date (YYYY-MM-DD)"),
    "date_parsing": _("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"),
    "datetime_type": _("must be a date and time (ISO 8601, e.g. 2027-03-01T18:00+01:00)"),
    "datetime_parsing": _("must be a date and time (ISO 8601, e.g. 2027-03-01T18:00+01:00)"),
    "datetime_from_date_parsing": _(
        "must be a date and time (ISO 8601, e.g. 2027-03-01T18:00+01:00)"),
    "json_invalid": _("is not valid JSON"),
    "value_error": _("is not an allowed value"),
}
NOT_VALID = _("is not valid")
BODY_NOT_OBJECT = _("The request body must be a JSON object.")

#: Where ninja says the input was; the body's second part is the endpoint's parameter name
#: (``data``), an implementation detail a client never sent.
_WRAPPED = frozenset({"body", "form"})


def schema_message(error: dict[str, Any]) -> str:
    """The short message for one pydantic error, in the active language."""
    message = SCHEMA_MESSAGES.get(str(error.get("type", "")), NOT_VALID)
    ctx = error.get("ctx") or {}
    try:
        return str(message) % {k: str(v) for k, v in ctx.items()} if ctx else str(message)
    except (KeyError, TypeError, ValueError):
        return str(NOT_VALID)


def schema_location(loc: Any) -> list[str]:
    """``["body", "data", "items", 1, "title"]`` -> ``["body", "items", "1", "title"]``."""
    parts = [str(p) for p in (loc or ())]
    if len(parts) >= 2 and parts[0] in _WRAPPED:
        del parts[1]
    return parts


def field_name(parts: list[str]) -> str:
    """``["body", "items", "1", "title"]`` -> ``items[1].title`` (``body`` for the whole)."""
    out = ""
    for part in parts[1:]:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or (parts[0] if parts else "")


def schema_refusal(errors: list[dict[str, Any]], *, body_is_object: bool = True
                   ) -> tuple[str, dict[str, Any]]:
    """The message and details of a ``validation_failed``: each error with its location
    (without the wrapper), the field as a client names it, a short message and pydantic's
    type. A body that is not a JSON object (an array, a number, nothing) is said as such."""
    rows = []
    for error in errors:
        loc = schema_location(error.get("loc"))
        if loc and loc[0] in _WRAPPED and not body_is_object:
            continue  # said once below, not as each field missing
        rows.append({"loc": loc, "field": field_name(loc), "msg": schema_message(error),
                     "type": str(error.get("type", ""))})
    if not body_is_object:
        rows.insert(0, {"loc": ["body"], "field": "body", "msg": str(BODY_NOT_OBJECT),
                        "type": "object_type"})
        return str(BODY_NOT_OBJECT), {"errors": rows}
    summary = "; ".join(f"{r['field']}: {r['msg']}" for r in rows[:3])
    more = len(rows) - 3
    if more > 0:
        summary += f"; (+{more})"
    base = str(MESSAGES[ApiError.VALIDATION_FAILED])
    return (f"{base} {summary}" if summary else base), {"errors": rows}
