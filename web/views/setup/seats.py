"""A body's seats (platser) and their members: add (finding or creating the person by
e-mail), change party, vote weight, number and term, remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from meetings.models import Seat
from meetings.setup import person_find_or_create, seat_add, seat_remove, seat_update
from web.views.setup.body import body_page
from web.views.setup.common import admin_body, page, run
from web.views.setup.forms import ActionForm, SeatChangeForm, SeatForm


@never_cache
@login_required
@require_POST
def seat_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    form = SeatForm(request.POST, prefix="seat")
    if form.is_valid():
        data = form.cleaned_data

        def add() -> Seat:
            person, _created = person_find_or_create(
                actor=request.user, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"])
            return seat_add(actor=request.user, body_id=body.pk, member_id=person.pk,
                            number=data["number"], party=data["party"],
                            weight=data["weight"], term_start=data["term_start"],
                            term_end=data["term_end"])

        seat = run(form, add)
        if seat is not None:
            messages.success(request, _("Seat %(number)s added: %(name)s.") % {
                "number": seat.number, "name": seat.member.get_full_name() or seat.member})
            return redirect("setup:body", body_id=body.pk)
    return body_page(request, body, seat_form=form)


def _seat(body_id: int, seat_id: int) -> Seat:
    seat = Seat.objects.select_related("member", "body").filter(
        pk=seat_id, body_id=body_id).first()
    if seat is None:
        raise Http404
    return seat


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def seat_edit(request: HttpRequest, body_id: int, seat_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    seat = _seat(body.pk, seat_id)
    if request.method == "POST":
        form = SeatChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data

            def change() -> Seat:
                member_id = None
                if data["email"]:  # a new member on the seat (fyllnadsval)
                    member_id = person_find_or_create(
                        actor=request.user, first_name=data["first_name"],
                        last_name=data["last_name"], email=data["email"])[0].pk
                return seat_update(
                    actor=request.user, seat_id=seat.pk, member_id=member_id,
                    number=data["number"], party=data["party"], weight=data["weight"],
                    term_start=data["term_start"], term_end=data["term_end"],
                    clear_term=True)  # the form's dates are the whole term: empty is empty

            done = run(form, change)
            if done is not None:
                messages.success(request, _("Seat %(number)s has been saved.")
                                 % {"number": done.number})
                return redirect("setup:body", body_id=body.pk)
    else:
        form = SeatChangeForm(initial=model_to_dict(
            seat, fields=["number", "party", "weight", "term_start", "term_end"]))
    return page(request, "setup/seat.html", {"body": body, "seat": seat, "form": form})


@never_cache
@login_required
@require_POST
def seat_delete(request: HttpRequest, body_id: int, seat_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    seat = _seat(body.pk, seat_id)
    form = ActionForm(request.POST)
    run(form, lambda: seat_remove(actor=request.user, seat_id=seat.pk) or True)
    if form.errors:
        return body_page(request, body, action_form=form)
    messages.success(request, _("Seat %(number)s has been removed.") % {"number": seat.number})
    return redirect("setup:body", body_id=body.pk)
