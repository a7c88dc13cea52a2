"""How a proportional election (lag 2022:629) reads in the minutes: the groups' votes,
the comparison numbers that gave the seats, any lot, who was elected and the substitutes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minutes.model import VoteTable


def _group_name(group: Mapping[str, Any], groups: list[Mapping[str, Any]]) -> str:
    """The group's label; its whole list when another group has the same label."""
    label = str(group.get("label", ""))
    same = sum(1 for g in groups if str(g.get("label", "")) == label)
    return label if same == 1 else str(group.get("key", label))


def _names(keys: Any, groups: list[Mapping[str, Any]]) -> str:
    by_key = {str(g.get("key")): g for g in groups}
    return "; ".join(_group_name(by_key[str(k)], groups) if str(k) in by_key else str(k)
                     for k in keys or [])


def proportional_table(number: Any, result: Mapping[str, Any]) -> VoteTable:
    groups = list(result.get("groups") or [])
    counts = tuple((_group_name(g, groups), int(g.get("votes", 0))) for g in groups)
    counts += (("Blanka", int(result.get("blank", 0))),
               ("Ogiltiga", int(result.get("invalid", 0))))
    lines: list[str] = []
    seats = list(result.get("seats") or [])
    if seats:
        lines.append("Mandatfördelning (d'Hondt, jämförelsetal röster ÷ 1, 2, 3 …): " + "; ".join(
            f"mandat {s.get('seat')}: {_seat(s, groups)} ({s.get('comparison')})"
            for s in seats) + ".")
    for lot in result.get("lots") or []:
        lines.append(
            f"Lika jämförelsetal ({lot.get('comparison')}) mellan "
            + _names(lot.get("tied"), groups)
            + f"; lotten tilldelade {_seats_drawn(lot)} till {_names(lot.get('drawn'), groups)}.")
    elected = [str(x) for x in result.get("elected", [])]
    if not result.get("substitutes"):
        lines.append("Valda: " + (", ".join(elected) or "ingen") + ".")
    substitutes = [str(x) for x in result.get("substitutes_elected", [])]
    if substitutes and result.get("substitutes"):
        # The substitutes' own election: each group's in list order, their call-in order.
        lines.append("Valda ersättare, i den ordning de står på sin valsedel: " + "; ".join(
            f"{_group_name(g, groups)}: {', '.join(str(n) for n in g.get('elected', []))}"
            for g in groups if g.get("elected")) + ".")
    elif substitutes:
        lines.append("Ersättare, i denna ordning: " + ", ".join(substitutes) + ".")
    of = " av ersättare" if result.get("substitutes") else ""
    return VoteTable(f"Proportionellt val{of} med slutna sedlar (omröstning {number})", True,
                     (), counts, " ".join(lines))


def _seats_drawn(lot: Mapping[str, Any]) -> str:
    first, many = int(lot.get("seat", 0)), len(lot.get("drawn") or [])
    if many <= 1:
        return f"mandat {first}"
    return f"mandat {first}–{first + many - 1}, i denna ordning,"


def _seat(seat: Mapping[str, Any], groups: list[Mapping[str, Any]]) -> str:
    """"Anna Berg (S)": whom the seat went to and from which group."""
    group = next((g for g in groups if str(g.get("key")) == str(seat.get("group"))), None)
    label = _group_name(group, groups) if group is not None else str(seat.get("label", ""))
    name = seat.get("name")
    return f"{name} ({label})" if name else label
