"""The readable 403 page (``handler403`` in ``klubba.urls``). A person refused a meeting that
is public is pointed to the public view, where anyone may follow it
(``web.access.NotAParticipant``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    template = loader.get_template("403.html")
    return HttpResponseForbidden(template.render(request=request, context={
        "exception": str(exception),
        "public_url": getattr(exception, "public_url", ""),
    }))
