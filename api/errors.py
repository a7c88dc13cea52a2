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
