"""Freezing who may vote when a vote opens, in one set-based statement.

At a thousand seats, building a thousand ``Eligibility`` instances in Python and sending
their values back to the database was half of ``vote.open``. The same rows come out of the
database's own tables with one ``INSERT … SELECT``: the serving seats of the meeting whose
occupant is present and confirmed (``meetings.roster.present_user_ids``) and not recused on
the active item (``recused_user_ids``), i.e. ``ServingSeat.may_decide``. The name is Django's
``get_full_name`` or the username (``meetings.roles.name_of``). Written for SQLite (3.35 or
later) and PostgreSQL alike (``||``, ``TRIM``, ``NULLIF``, ``COALESCE``, ``EXISTS``,
``RETURNING``).

The statement returns the rows it wrote, so the command needs no roster read of its own to
log who may vote: the ``eligible`` rows of ``vote.opened`` are exactly the frozen rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections

from meetings.models import Body, Participant, Recusal, Seat, SeatService
from voting.events import EligibleRow
from voting.models import AbstentionAnnouncement, Eligibility


def freeze_eligibility(*, vote_id: int, meeting_id: int, active_item_id: int | None,
                       abstain_policy: str) -> list[EligibleRow]:
    """Insert the vote's eligibility rows; returns them as ``vote.opened`` logs them, in seat
    order: ``[user_id, seat, weight, substitute, name]``."""
    connection = connections[DEFAULT_DB_ALIAS]
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    params: list[Any] = [vote_id]
    if abstain_policy == Body.AbstainPolicy.ANNOUNCE_BEFORE:
        may_abstain = (f"EXISTS (SELECT 1 FROM {table(AbstentionAnnouncement)} a"
                       " WHERE a.item_id = %s AND a.user_id = ss.user_id)")
        params.append(active_item_id)
    else:
        may_abstain = "%s"
        params.append(abstain_policy == Body.AbstainPolicy.ALLOWED)
    params += [meeting_id, True, True, active_item_id]
    sql = (
        f"INSERT INTO {table(Eligibility)}"
        " (vote_id, user_id, seat_number, weight, name, is_substitute, may_abstain)"
        " SELECT %s, ss.user_id, s.number, s.weight,"
        " COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username),"
        f" ss.user_id <> s.member_id, {may_abstain}"
        f" FROM {table(SeatService)} ss"
        f" JOIN {table(Seat)} s ON s.id = ss.seat_id"
        f" JOIN {table(get_user_model())} u ON u.id = ss.user_id"
        f" JOIN {table(Participant)} p ON p.meeting_id = ss.meeting_id AND p.user_id = ss.user_id"
        " WHERE ss.meeting_id = %s AND p.present = %s AND p.confirmed = %s"
        f" AND NOT EXISTS (SELECT 1 FROM {table(Recusal)} r"
        " WHERE r.item_id = %s AND r.user_id = ss.user_id)"
        " RETURNING user_id, seat_number, weight, is_substitute, name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return sorted(((user_id, seat, weight, bool(substitute), name)
                   for user_id, seat, weight, substitute, name in rows), key=lambda r: r[1])
