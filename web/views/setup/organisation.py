"""*Organisation*: the bodies a person may set up, and a new body (the administrator's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from meetings.models import Body
from meetings.setup import bodies_visible_to, body_create
from web.views.setup.common import is_admin, page, require_setup, run
from web.views.setup.forms import BodyForm


@never_cache
@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The administrator: every body, with its page and its meetings. A secretary: the
    bodies they are secretary of, with their meetings."""
    require_setup(request)
    bodies = [
        {"body": body, "seats": body.seats.count(), "substitutes": body.substitutes.count(),
         "planned": body.meetings.filter(status="planned").count()}
        for body in bodies_visible_to(request.user)
    ]
    return page(request, "setup/overview.html", {"bodies": bodies, "admin": is_admin(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def body_new(request: HttpRequest) -> HttpResponse:
    """A new body: name, kind, number of seats and its rules."""
    if not is_admin(request):
        raise PermissionDenied(_("Only the organisation administrator creates bodies."))
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = run(form, lambda: body_create(actor=request.user, **data))
        if body is not None:
            messages.success(request, _("The body %(name)s has been created.")
                             % {"name": body.name})
            return redirect("setup:body", body_id=body.pk)
    elif request.method == "GET":
        form = BodyForm(initial={"kind": Body.Kind.NAMND})
    return page(request, "setup/body_new.html", {"form": form})
