"""How a proportional election (lag 2022:629) reads in the minutes: the groups' votes,
the comparison numbers that gave the seats, any lot, who was elected and the substitutes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minutes.model import VoteTable


def proportional_table(number: Any, result: Mapping[str, Any]) -> VoteTable:
    groups = list(result.get("groups") or [])
    counts = tuple((str(g.get("label", "")), int(g.get("votes", 0))) for g in groups)
    counts += (("Blanka", int(result.get("blank", 0))),
               ("Ogiltiga", int(result.get("invalid", 0))))
    lines: list[str] = []
    seats = list(result.get("seats") or [])
    if seats:
        lines.append("Mandatfördelning (d'Hondt, jämförelsetal röster ÷ 1, 2, 3 …): " + "; ".join(
            f"mandat {s.get('seat')}: {s.get('label')} ({s.get('comparison')})"
            for s in seats) + ".")
    for lot in result.get("lots") or []:
        lines.append(
            f"Lika jämförelsetal ({lot.get('comparison')}) mellan "
            + ", ".join(str(x) for x in lot.get("tied", []))
            + f"; lotten tilldelade mandat {lot.get('seat')} till {lot.get('drawn')}.")
    elected = [str(x) for x in result.get("elected", [])]
    lines.append("Valda: " + (", ".join(elected) or "ingen") + ".")
    substitutes = [str(x) for x in result.get("substitutes_elected", [])]
    if substitutes:
        lines.append("Ersättare, i denna ordning: " + ", ".join(substitutes) + ".")
    return VoteTable(f"Proportionellt val med slutna sedlar (omröstning {number})", True, (),
                     counts, " ".join(lines))
