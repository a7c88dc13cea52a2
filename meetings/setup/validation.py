"""Field checks for setup: the model's own validation, reported as a typed error.

``validated(row)`` runs Django's ``full_clean`` (choices, lengths, required fields, URLs,
unique constraints) and turns a ``ValidationError`` into ``invalid_argument`` whose details
name each field and Django's messages for it, so pages and the API can point at the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from meetings.errors import CommandError, ErrorCode

#: A NUL (PostgreSQL text refuses it) or a lone UTF-16 surrogate (not encodable as UTF-8).
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def validated(row: models.Model, *, exclude_unique: bool = False) -> None:
    """Refuse a row whose fields do not validate; nothing has been saved yet."""
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname, None)
        if isinstance(value, str) and BAD_CHARACTER.search(value):
            raise invalid(field.name, "bad_character")
    try:
        row.full_clean(validate_unique=not exclude_unique, validate_constraints=False)
    except ValidationError as exc:
        fields = {
            name: [str(message) for message in messages]
            for name, messages in exc.message_dict.items()
        }
        raise CommandError(ErrorCode.INVALID_ARGUMENT, fields=fields) from None


def invalid(field: str, reason: str) -> CommandError:
    return CommandError(ErrorCode.INVALID_ARGUMENT, field=field, reason=reason)


def check_term(term_start: date | None, term_end: date | None) -> None:
    """A term of office ends after it starts."""
    if term_start is not None and term_end is not None and term_end < term_start:
        raise invalid("term_end", "before_term_start")


def apply(row: models.Model, changes: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the given (not None) fields on ``row``; the names that changed value."""
    changed = []
    allowed = set(allowed)
    for name, value in changes.items():
        if name not in allowed:
            raise invalid(name, "unknown_field")
        if value is None:
            continue
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed
