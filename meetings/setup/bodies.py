"""Creating and changing a body (nämnd, fullmäktige, utskott, styrelse) and its rules.

The rules are the body's fields (``meetings.models.Body``); changing them is the
organisation administrator's act. Rules a meeting in progress runs under are not changed
under its feet: while a meeting of the body is open, the body is refused (``body_in_session``).
"""

from __future__ import annotations

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.models import Body, Meeting
from meetings.roles import Actor
from meetings.setup.access import body_of, require_organisation_admin
from meetings.setup.validation import apply, invalid, validated

#: The body's rule fields, settable on create and update.
RULE_FIELDS = (
    "remote_ruleset", "quorum_rule", "abstain_policy", "secret_ballot_policy",
    "substitute_policy", "substitutes_may_speak", "minutes_keep_recusal_reasons",
    "chair_controls_meeting", "presiding_succession", "presence_grace_seconds",
)
BODY_FIELDS = ("name", "kind", "organisation", "seats_count", *RULE_FIELDS)


def require_not_in_session(body_id: int) -> None:
    """Refuse a change to the body's people or rules while one of its meetings is open."""
    if Meeting.objects.filter(body_id=body_id, status=Meeting.Status.OPEN).exists():
        raise CommandError(ErrorCode.BODY_IN_SESSION, body_id=body_id)


def _check_name(name: str, *, body_id: int | None) -> None:
    name = name.strip()
    if not name:
        raise invalid("name", "required")
    others = Body.objects.filter(name__iexact=name)
    if body_id is not None:
        others = others.exclude(pk=body_id)
    if others.exists():
        raise CommandError(ErrorCode.NAME_TAKEN, field="name")


def _check_seats(body: Body) -> None:
    """The number of seats covers every seat number already given out."""
    highest = body.seats.order_by("-number").values_list("number", flat=True).first() \
        if body.pk else None
    if highest is not None and body.seats_count < highest:
        raise invalid("seats_count", "below_existing_seat")


@transaction.atomic
def body_create(
    *, actor: Actor, name: str, seats_count: int, kind: str = Body.Kind.NAMND,
    organisation: str = "", remote_ruleset: str | None = None, quorum_rule: str | None = None,
    abstain_policy: str | None = None, secret_ballot_policy: str | None = None,
    substitute_policy: str | None = None, substitutes_may_speak: bool | None = None,
    minutes_keep_recusal_reasons: bool | None = None, chair_controls_meeting: bool | None = None,
    presiding_succession: str | None = None, presence_grace_seconds: int | None = None,
) -> Body:
    """A new body with its kind and rules (omitted rules take the model's defaults)."""
    require_organisation_admin(actor)
    _check_name(name, body_id=None)
    body = Body(name=name.strip(), kind=kind, organisation=organisation.strip(),
                seats_count=seats_count)
    apply(body, {
        "remote_ruleset": remote_ruleset, "quorum_rule": quorum_rule,
        "abstain_policy": abstain_policy, "secret_ballot_policy": secret_ballot_policy,
        "substitute_policy": substitute_policy, "substitutes_may_speak": substitutes_may_speak,
        "minutes_keep_recusal_reasons": minutes_keep_recusal_reasons,
        "chair_controls_meeting": chair_controls_meeting,
        "presiding_succession": presiding_succession,
        "presence_grace_seconds": presence_grace_seconds,
    }, RULE_FIELDS)
    validated(body)
    body.save()
    return body


@transaction.atomic
def body_update(
    *, actor: Actor, body_id: int, name: str | None = None, kind: str | None = None,
    organisation: str | None = None, seats_count: int | None = None,
    remote_ruleset: str | None = None, quorum_rule: str | None = None,
    abstain_policy: str | None = None, secret_ballot_policy: str | None = None,
    substitute_policy: str | None = None, substitutes_may_speak: bool | None = None,
    minutes_keep_recusal_reasons: bool | None = None, chair_controls_meeting: bool | None = None,
    presiding_succession: str | None = None, presence_grace_seconds: int | None = None,
) -> Body:
    """Change what is given (None leaves a field as it is); refused while a meeting of the
    body is open."""
    require_organisation_admin(actor)
    body = body_of(body_id, for_update=True)
    require_not_in_session(body.pk)
    if name is not None:
        _check_name(name, body_id=body.pk)
        name = name.strip()
    apply(body, {
        "name": name, "kind": kind, "organisation": organisation, "seats_count": seats_count,
        "remote_ruleset": remote_ruleset, "quorum_rule": quorum_rule,
        "abstain_policy": abstain_policy, "secret_ballot_policy": secret_ballot_policy,
        "substitute_policy": substitute_policy, "substitutes_may_speak": substitutes_may_speak,
        "minutes_keep_recusal_reasons": minutes_keep_recusal_reasons,
        "chair_controls_meeting": chair_controls_meeting,
        "presiding_succession": presiding_succession,
        "presence_grace_seconds": presence_grace_seconds,
    }, BODY_FIELDS)
    validated(body)
    _check_seats(body)
    body.save()
    return body
