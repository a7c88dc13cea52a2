"""A body's page for the organisation administrator: its rules, seats, substitutes and
offices on one page, each list with its own form (posted to its own URL: ``seats``,
``substitutes``, ``offices``). A refused post shows this page again with that form's errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings.models import Body, BodyRole
from meetings.setup import body_update
from meetings.setup.bodies import BODY_FIELDS
from web.views.setup.common import admin_body, page, run
from web.views.setup.forms import (
    ActionForm,
    BodyForm,
    OfficeForm,
    SeatForm,
    SubstituteForm,
)


def body_people(body: Body) -> list[tuple[int, str]]:
    """The body's members and substitutes, for choosing who holds an office."""
    people = [(s.member_id, f"{s.member.get_full_name() or s.member} ({s.number})")
              for s in body.seats.select_related("member").order_by("number")]
    people += [(s.user_id, f"{s.user.get_full_name() or s.user} ({_('substitute')})")
               for s in body.substitutes.select_related("user").order_by("call_in_order")]
    return people


def body_page(request: HttpRequest, body: Body, **forms: Any) -> HttpResponse:
    """The page with fresh forms, except those given (bound, with their errors)."""
    context: dict[str, Any] = {
        "body": body,
        "rules_form": BodyForm(initial=model_to_dict(body, fields=BODY_FIELDS),
                               prefix="rules"),
        "seat_form": SeatForm(prefix="seat", initial={"weight": 1}),
        "substitute_form": SubstituteForm(prefix="sub"),
        "office_form": OfficeForm(prefix="office", people=body_people(body)),
        "action_form": ActionForm(),
        "seats": body.seats.select_related("member").order_by("number"),
        "substitutes": list(body.substitutes.select_related("user").order_by("call_in_order")),
        "offices": BodyRole.objects.filter(body=body).select_related("user").order_by(
            "role", "pk"),
        "free_seats": body.seats_count - body.seats.count(),
    }
    context.update(forms)
    return page(request, "setup/body.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def body(request: HttpRequest, body_id: int) -> HttpResponse:
    """GET: the page. POST: change the body's name, kind and rules."""
    the_body = admin_body(request, body_id)
    if request.method == "GET":
        return body_page(request, the_body)
    form = BodyForm(request.POST, prefix="rules")
    if form.is_valid():
        data = form.cleaned_data
        if run(form, lambda: body_update(actor=request.user, body_id=the_body.pk, **data)):
            messages.success(request, _("The body's rules have been saved."))
            return redirect("setup:body", body_id=the_body.pk)
    the_body.refresh_from_db()
    return body_page(request, the_body, rules_form=form)
