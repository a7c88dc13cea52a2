"""A body's offices: chair, vice chairs and secretaries (the secretary plans the meetings)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.models import BodyRole
from meetings.setup import office_assign, office_remove, person_find_or_create
from web.views.setup.body import body_page, body_people
from web.views.setup.common import admin_body, run
from web.views.setup.forms import ActionForm, OfficeForm


@never_cache
@login_required
@require_POST
def office_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    form = OfficeForm(request.POST, prefix="office", people=body_people(body))
    if form.is_valid():
        data = form.cleaned_data

        def assign() -> BodyRole:
            user_id = data["person"]
            if user_id is None:
                user_id = person_find_or_create(
                    actor=request.user, first_name=data["first_name"],
                    last_name=data["last_name"], email=data["email"])[0].pk
            return office_assign(actor=request.user, body_id=body.pk, user_id=user_id,
                                 role=data["role"])

        office = run(form, assign)
        if office is not None:
            messages.success(request, _("%(office)s added: %(name)s.") % {
                "office": capfirst(office.get_role_display()),
                "name": office.user.get_full_name() or office.user})
            return redirect("setup:body", body_id=body.pk)
    return body_page(request, body, office_form=form)


@never_cache
@login_required
@require_POST
def office_delete(request: HttpRequest, body_id: int, office_id: int) -> HttpResponse:
    body = admin_body(request, body_id)
    if not BodyRole.objects.filter(pk=office_id, body=body).exists():
        raise Http404
    form = ActionForm(request.POST)
    run(form, lambda: office_remove(actor=request.user, office_id=office_id) or True)
    if form.errors:
        return body_page(request, body, action_form=form)
    messages.success(request, _("The office has been removed."))
    return redirect("setup:body", body_id=body.pk)
