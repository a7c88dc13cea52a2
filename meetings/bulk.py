"""Inserting many rows at once without the ORM's per-row SQL assembly.

``bulk_create`` builds one multi-row ``VALUES`` statement through the query compiler, which
at a thousand rows costs more than the database's own work (a vote opening for a thousand
seats, a batch of a thousand ballots). ``insert_rows`` prepares each value the way the field
itself does and hands one parameterised statement to ``executemany``. It does not read back
auto-increment keys: use it for rows nothing refers to by id right after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert unsaved ``objects`` of ``model`` (defaults already applied by the constructor)."""
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the real wrapper, not the per-call proxy
    meta = model._meta
    fields = [f for f in meta.concrete_fields
              if not (f.primary_key and isinstance(f, models.AutoField))]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
           f" VALUES ({', '.join(['%s'] * len(fields))})")
    plain = [_plain_type(f) for f in fields]
    params: list[list[Any]] = [
        [_db_value(f, kind, obj, connection) for f, kind in zip(fields, plain, strict=True)]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _plain_type(field: models.Field) -> type | None:
    """The Python type this field stores unchanged (its own preparation is the identity for
    values of exactly that type), or None: prepare every value through the field."""
    if type(field).pre_save is not models.Field.pre_save:
        return None  # e.g. auto_now: the field computes the value itself
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):  # the auto and positive kinds included
        return int
    if isinstance(field, models.CharField):
        return str
    return None


def _db_value(field: models.Field, kind: type | None, obj: models.Model, connection) -> object:
    if kind is not None:
        value = getattr(obj, field.attname)
        if value is None or type(value) is kind:
            return value
    return field.get_db_prep_save(field.pre_save(obj, add=True), connection)
