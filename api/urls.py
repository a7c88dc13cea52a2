"""``/api/v1/``: the API's paths, plus typed answers where ninja or Django's resolver would
answer with an empty or an HTML body: an unknown path (404 ``not_found``) and a method the
path does not take (405 ``method_not_allowed``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt

from api.errors import ApiError
from api.main import api
from api.responses import error_response


def _typed_405(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response.get("Allow", "")
            response = error_response(request, ApiError.METHOD_NOT_ALLOWED,
                                      details={"allowed": allowed.split(", ")})
            response["Allow"] = allowed
        return response
    return wrapped


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response(request, ApiError.NOT_FOUND, details={"path": request.path})


patterns, app_name, namespace = api.urls
for pattern in patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = _typed_405(pattern.callback)

urlpatterns = [*patterns, re_path(r"^(?P<rest>.*)$", unknown_path)]
