"""Finding or creating the person (a Django user) behind a seat, a substitute or an office.

Members are people of the organisation; most will already exist (another body, single sign-on).
``person_find_or_create`` looks a person up by e-mail first and creates a user only when there
is none: with an unusable password (an administrator sets one in the Django admin, or the
person logs in through single sign-on) and a username taken from the e-mail address.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.roles import Actor
from meetings.setup.access import require_organisation_admin
from meetings.setup.validation import invalid

MAX_NAME = 150


def person_of(user_id: int) -> User:
    """An active person, or ``person_not_found``."""
    try:
        return get_user_model().objects.get(pk=user_id, is_active=True)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.PERSON_NOT_FOUND, user_id=user_id) from None


def _username_for(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email.lower())[:140] or "person"
    users = get_user_model().objects
    name, n = base, 1
    while users.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


@transaction.atomic
def person_find_or_create(
    *, actor: Actor, first_name: str, last_name: str, email: str
) -> tuple[User, bool]:
    """The active person with this e-mail address, or a new one; and whether it was created.
    Finding is case-insensitive for ASCII addresses (SQLite compares others exactly).

    Two people with the same address is ambiguous: refused (``invalid_argument``) rather
    than guessed."""
    require_organisation_admin(actor)
    email = (email or "").strip()
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise invalid("email", "invalid") from None
    if not first_name and not last_name:
        raise invalid("last_name", "required")
    if len(first_name) > MAX_NAME or len(last_name) > MAX_NAME:
        raise invalid("last_name" if len(last_name) > MAX_NAME else "first_name", "too_long")
    found = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
    if len(found) > 1:
        raise invalid("email", "ambiguous")
    if found:
        return found[0], False
    user = get_user_model().objects.create_user(
        username=_username_for(email), email=email, first_name=first_name,
        last_name=last_name, password=None,
    )
    return user, True
