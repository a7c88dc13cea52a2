"""Setup of bodies, their seats, substitutes and offices, and people: the organisation
administrator's endpoints. Thin: each calls one ``meetings.setup`` function."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Status

from api.auth import caller
from api.common import body_detail, body_dict, substitute_dict
from api.schemas import (
    BodyDetailOut,
    BodyIn,
    BodyOut,
    BodyPatch,
    ErrorOut,
    OfficeIn,
    OfficeOut,
    OrderIn,
    PersonIn,
    PersonOut,
    SeatIn,
    SeatOut,
    SeatPatch,
    SubstituteIn,
    SubstituteOut,
    SubstitutePatch,
)
from meetings import setup
from meetings.setup.access import bodies_visible_to, body_of, require_meeting_planner

router = Router(tags=["setup: bodies and people"])
ERRORS: dict[int, Any] = {code: ErrorOut for code in (401, 403, 404, 409, 413, 422)}


def _person(user: User, created: bool) -> dict[str, Any]:
    return {"id": user.pk, "username": user.get_username(), "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email, "created": created}


@router.post("/persons", response={200: PersonOut, 201: PersonOut, **ERRORS})
def person_find_or_create(request: HttpRequest, data: PersonIn) -> Status[Any]:
    """The person with this e-mail address, or a new one (201) without a usable password
    (set in the Django admin, or single sign-on)."""
    user, created = setup.person_find_or_create(actor=caller(request), **data.dict())
    return Status((201 if created else 200), _person(user, created))


@router.get("/bodies", response={200: list[BodyOut], **ERRORS})
def bodies_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The bodies the caller sets up anything in (all for the administrator)."""
    return [body_dict(b) for b in bodies_visible_to(caller(request))]


@router.post("/bodies", response={201: BodyDetailOut, **ERRORS})
def body_create(request: HttpRequest, data: BodyIn) -> Status[Any]:
    body = setup.body_create(actor=caller(request), **data.dict())
    return Status(201, body_detail(body))


@router.get("/bodies/{body_id}", response={200: BodyDetailOut, **ERRORS})
def body_read(request: HttpRequest, body_id: int) -> dict[str, Any]:
    """A body with its seats, substitutes (in call-in order) and offices."""
    body = body_of(body_id)
    require_meeting_planner(body.pk, caller(request))
    return body_detail(body)


@router.patch("/bodies/{body_id}", response={200: BodyDetailOut, **ERRORS})
def body_update(request: HttpRequest, body_id: int, data: BodyPatch) -> dict[str, Any]:
    body = setup.body_update(actor=caller(request), body_id=body_id,
                             **data.dict(exclude_unset=True))
    return body_detail(body)


@router.post("/bodies/{body_id}/seats", response={201: SeatOut, **ERRORS})
def seat_add(request: HttpRequest, body_id: int, data: SeatIn) -> Status[Any]:
    seat = setup.seat_add(actor=caller(request), body_id=body_id, **data.dict())
    return Status(201, _seat(seat.pk, seat.body_id))


def _seat(seat_id: int, body_id: int) -> dict[str, Any]:
    return next(s for s in body_detail(body_of(body_id))["seats"] if s["id"] == seat_id)


@router.patch("/seats/{seat_id}", response={200: SeatOut, **ERRORS})
def seat_update(request: HttpRequest, seat_id: int, data: SeatPatch) -> dict[str, Any]:
    seat = setup.seat_update(actor=caller(request), seat_id=seat_id,
                             **data.dict(exclude_unset=True))
    return _seat(seat.pk, seat.body_id)


@router.delete("/seats/{seat_id}", response={204: None, **ERRORS})
def seat_remove(request: HttpRequest, seat_id: int) -> Status[Any]:
    setup.seat_remove(actor=caller(request), seat_id=seat_id)
    return Status(204, None)


@router.post("/bodies/{body_id}/substitutes", response={201: SubstituteOut, **ERRORS})
def substitute_add(request: HttpRequest, body_id: int,
                   data: SubstituteIn) -> Status[Any]:
    sub = setup.substitute_add(actor=caller(request), body_id=body_id, **data.dict())
    sub.refresh_from_db()
    return Status(201, substitute_dict(sub))


@router.patch("/substitutes/{substitute_id}", response={200: SubstituteOut, **ERRORS})
def substitute_update(request: HttpRequest, substitute_id: int,
                      data: SubstitutePatch) -> dict[str, Any]:
    sub = setup.substitute_update(actor=caller(request), substitute_id=substitute_id,
                                  **data.dict(exclude_unset=True))
    return substitute_dict(sub)


@router.delete("/substitutes/{substitute_id}", response={204: None, **ERRORS})
def substitute_remove(request: HttpRequest, substitute_id: int) -> Status[Any]:
    setup.substitute_remove(actor=caller(request), substitute_id=substitute_id)
    return Status(204, None)


@router.put("/bodies/{body_id}/substitutes/order", response={200: list[SubstituteOut],
                                                             **ERRORS})
def substitutes_reorder(request: HttpRequest, body_id: int, data: OrderIn) -> list[Any]:
    """The whole call-in order (tjänstgöringsordning): every substitute id once."""
    ordered = setup.substitutes_reorder(actor=caller(request), body_id=body_id,
                                        substitute_ids=data.ids)
    return [substitute_dict(s) for s in ordered]


@router.post("/bodies/{body_id}/offices", response={201: OfficeOut, **ERRORS})
def office_assign(request: HttpRequest, body_id: int,
                  data: OfficeIn) -> Status[Any]:
    office = setup.office_assign(actor=caller(request), body_id=body_id, **data.dict())
    user = office.user
    return Status(201, {"id": office.pk, "user_id": user.pk,
                        "name": user.get_full_name() or user.get_username(),
                        "role": office.role})


@router.delete("/offices/{office_id}", response={204: None, **ERRORS})
def office_remove(request: HttpRequest, office_id: int) -> Status[Any]:
    setup.office_remove(actor=caller(request), office_id=office_id)
    return Status(204, None)
