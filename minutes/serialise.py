"""The minutes in other forms than the PDF: plain text (search index, tests), a JSON-ready dict
(the public minutes are frozen at lock time as one) and back, and § ranges as printed.

Pure: no Django, so a separate process can rebuild the PDF from a stored dict.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from minutes.model import Minutes, Paragraph, Recipient, Step


def case_line(p: Paragraph) -> str:
    """"Dnr KS 2026/123 · Föredragande: Anna Berg, planchef", or what of it is known."""
    parts = [f"Dnr {p.case_number}" if p.case_number else "",
             f"Föredragande: {p.presenter}" if p.presenter else ""]
    return " · ".join(x for x in parts if x)


def recipient_line(r: Recipient) -> str:
    return f"{r.name}, {r.organisation}" if r.organisation and r.name else (
        r.name or r.organisation)


def paragraph_ranges(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 5] -> "§§ 1–3, 5"; [4] -> "§ 4"."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    runs: list[list[int]] = [[ordered[0], ordered[0]]]
    for n in ordered[1:]:
        if n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in runs)
    return f"§ {text}" if len(ordered) == 1 else f"§§ {text}"


def minutes_text(m: Minutes) -> str:
    """Every printed string of the minutes, one per line: for search and for tests."""
    out: list[str] = [m.organisation, m.body, m.title, m.date, m.time, m.place]
    for r in m.deciding + m.substitutes + m.others + m.absent:
        out.append(f"{r.name} {r.role} {r.party} {r.note}")
    out += [a.name for a in m.adjusters] + [m.justering]
    for p in m.paragraphs:
        out += [f"§ {p.number} {p.title}", case_line(p), p.description, p.text, p.decision]
        out += [f"{x.number} {x.kind} {x.author} {x.text}" for x in p.proposals]
        out += list(p.roster_changes)
        handling = p.proceedings or tuple(Step(text=x) for x in p.proposition_order) + tuple(
            Step(vote=v) for v in p.votes)
        for step in handling:
            out.append(step.text)
            if step.vote is None:
                continue
            v = step.vote
            out.append(v.title)
            out += [f"{r.name} {r.party} {r.choice}" for r in v.rows]
            out += [f"{label} {n}" for label, n in v.counts] + [v.result]
        for group in (p.recusals, p.reservations, p.notes):
            out += [f"{x.name} {x.text}" for x in group]
        out += [recipient_line(r) for r in p.recipients]
    return "\n".join(x for x in out if x)


def meeting_day(m: Minutes) -> date:
    return date.fromisoformat(m.date)


def minutes_to_dict(m: Minutes) -> dict[str, Any]:
    data = dataclasses.asdict(m)
    data["last_event_at"] = m.last_event_at.isoformat() if m.last_event_at else None
    return data


def _load(cls: Any, data: Any) -> Any:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        values[f.name] = _value(hints[f.name], data[f.name])
    return cls(**values)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v) for v in value)
        return tuple(_value(a, v) for a, v in zip(args, value, strict=False))
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _value(inner[0], value) if inner else value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return _load(hint, value)
    return value


def minutes_from_dict(data: Mapping[str, Any]) -> Minutes:
    """The inverse of ``minutes_to_dict``."""
    return _load(Minutes, data)
