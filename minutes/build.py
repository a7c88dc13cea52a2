"""Minutes (protokoll) as a pure function of the meeting log and the body's metadata.

``build_minutes(info, events)`` folds the events through the handlers of ``minutes.fold``
(one small function per declared event type) and assembles frozen dataclasses
(``minutes.model``). Same log and same metadata -> equal ``Minutes`` (no clock, no database).

This module is the entry point other code imports; the work lives in:

- ``minutes.model``: the data classes (inputs and the minutes themselves);
- ``minutes.fold``: the fold state and its handlers, grouped by domain, and ``assemble``;
- ``minutes.redaction``: ``public_minutes``, the version for the notice board;
- ``minutes.serialise``: text and dict forms, § ranges.
"""

from __future__ import annotations

from collections.abc import Iterable

from minutes.fold import HANDLERS, fold_log
from minutes.fold.assemble import assemble
from minutes.model import (
    DIGITAL_PLACE,
    JUSTERING_DAYS,
    STOCKHOLM,
    AttendanceRow,
    ItemInfo,
    LogEvent,
    MeetingInfo,
    Minutes,
    NamedText,
    Paragraph,
    PersonInfo,
    ProposalLine,
    SignatureLine,
    VoteRow,
    VoteTable,
)
from minutes.redaction import MASK, PERSONNUMMER, mask_identity_numbers, public_minutes
from minutes.serialise import (
    meeting_day,
    minutes_from_dict,
    minutes_text,
    minutes_to_dict,
    paragraph_ranges,
)


def build_minutes(
    info: MeetingInfo, events: Iterable[LogEvent], *, paragraph_base: int = 0
) -> Minutes:
    """Fold the log into the minutes. ``paragraph_base``: § numbers already used this year."""
    return assemble(fold_log(info, events), paragraph_base=paragraph_base)


__all__ = [
    "DIGITAL_PLACE", "HANDLERS", "JUSTERING_DAYS", "MASK", "PERSONNUMMER", "STOCKHOLM",
    "AttendanceRow", "ItemInfo", "LogEvent", "MeetingInfo", "Minutes", "NamedText",
    "Paragraph", "PersonInfo", "ProposalLine", "SignatureLine", "VoteRow", "VoteTable",
    "build_minutes", "mask_identity_numbers", "meeting_day", "minutes_from_dict",
    "minutes_text", "minutes_to_dict", "paragraph_ranges", "public_minutes",
]
