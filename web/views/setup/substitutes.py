"""A body's substitutes (ersättare): add (finding or creating the person by e-mail), change
party and term, move up or down the call-in order (tjänstgöringsordning), remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from meetings.models import Substitute
from meetings.setup import (
    person_find_or_create,
    substitute_add,
    substitute_remove,
    substitute_update,
    substitutes_reorder,
)
from web.views.setup.body import body_page
from web.views.setup.common import admin_body, page, run
from web.views.setup.forms import ActionForm, SubstituteChangeForm, SubstituteForm


@never_cache
@login_required
@require_POST
def substitute_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    form = SubstituteForm(request.POST, prefix="sub")
    if form.is_valid():
        data = form.cleaned_data

        def add() -> Substitute:
            person, _created = person_find_or_create(
                actor=request.user, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"])
            return substitute_add(actor=request.user, body_id=body.pk, user_id=person.pk,
                                  party=data["party"], call_in_order=data["call_in_order"],
                                  term_start=data["term_start"], term_end=data["term_end"])

        sub = run(form, add)
        if sub is not None:
            messages.success(request, _("Substitute added: %(name)s.")
                             % {"name": sub.user.get_full_name() or sub.user})
            return redirect("setup:body", body_id=body.pk)
    return body_page(request, body, substitute_form=form)


def _substitute(body_id: int, substitute_id: int) -> Substitute:
    sub = Substitute.objects.select_related("user").filter(
        pk=substitute_id, body_id=body_id).first()
    if sub is None:
        raise Http404
    return sub


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def substitute_edit(request: HttpRequest, body_id: int, substitute_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    sub = _substitute(body.pk, substitute_id)
    if request.method == "POST":
        form = SubstituteChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = run(form, lambda: substitute_update(
                actor=request.user, substitute_id=sub.pk, party=data["party"],
                term_start=data["term_start"], term_end=data["term_end"], clear_term=True))
            if done is not None:
                messages.success(request, _("The substitute %(name)s has been saved.")
                                 % {"name": sub.user.get_full_name() or sub.user})
                return redirect("setup:body", body_id=body.pk)
    else:
        form = SubstituteChangeForm(initial=model_to_dict(
            sub, fields=["party", "term_start", "term_end"]))
    return page(request, "setup/substitute.html",
                {"body": body, "substitute": sub, "form": form})


@never_cache
@login_required
@require_POST
def substitute_move(request: HttpRequest, body_id: int, substitute_id: int) -> HttpResponse:
    """One place earlier (``direction=up``) or later in the call-in order."""
    body = admin_body(request, body_id)
    sub = _substitute(body.pk, substitute_id)
    ids = list(body.substitutes.order_by("call_in_order").values_list("pk", flat=True))
    here = ids.index(sub.pk)
    there = here - 1 if request.POST.get("direction") == "up" else here + 1
    if 0 <= there < len(ids):
        ids[here], ids[there] = ids[there], ids[here]
        form = ActionForm(request.POST)
        run(form, lambda: substitutes_reorder(actor=request.user, body_id=body.pk,
                                              substitute_ids=ids))
        if form.errors:
            return body_page(request, body, action_form=form)
    return redirect(reverse("setup:body", args=[body.pk]) + f"#sub-{sub.pk}")


@never_cache
@login_required
@require_POST
def substitute_delete(request: HttpRequest, body_id: int, substitute_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    sub = _substitute(body.pk, substitute_id)
    form = ActionForm(request.POST)
    run(form, lambda: substitute_remove(actor=request.user, substitute_id=sub.pk) or True)
    if form.errors:
        return body_page(request, body, action_form=form)
    messages.success(request, _("The substitute %(name)s has been removed.")
                     % {"name": sub.user.get_full_name() or sub.user})
    return redirect("setup:body", body_id=body.pk)
