"""Inserting many rows at once without the ORM's per-row SQL assembly.

``bulk_create`` builds one multi-row ``VALUES`` statement through the query compiler, which
at a thousand rows costs more than the database's own work (a vote opening for a thousand
seats, a batch of a thousand ballots). ``insert_rows`` prepares each value the way the field
itself does and hands one parameterised statement to ``executemany``. It does not read back
auto-increment keys: use it for rows nothing refers to by id right after.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    params = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
