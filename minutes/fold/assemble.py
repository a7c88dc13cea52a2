"""From the fold's state to the frozen ``Minutes``: § numbers, the attendance list with who
took part in which paragraphs, and the signature lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from minutes.fold.state import FoldState, ParagraphDraft, PersonDraft
from minutes.model import (
    DIGITAL_PLACE,
    JUSTERING_DAYS,
    STOCKHOLM,
    AttendanceRow,
    Minutes,
    Paragraph,
    ProposalLine,
    Recipient,
    SignatureLine,
)
from minutes.serialise import paragraph_ranges


def paragraph_numbers(paras: list[ParagraphDraft], year_base: int) -> dict[int, int]:
    """§ numbers: the decision's number where one was recorded; items handled without a
    decision get the numbers after the highest one used, in the order they were handled."""
    numbers = {p.item_id: p.paragraph for p in paras if p.paragraph}
    last = max([year_base, *numbers.values()])
    for p in paras:
        if p.item_id not in numbers:
            last += 1
            numbers[p.item_id] = last
    return numbers


def _span(s: FoldState, person: PersonDraft, numbers: Mapping[int, int]) -> str:
    """"§§ 3–7" when someone took part in only some items; empty when they were there for all."""
    if not numbers:
        return ""
    ordered = sorted(numbers.values())
    first = numbers.get(person.from_item, ordered[0]) if person.from_item else ordered[0]
    last = numbers.get(person.left_item, ordered[-1]) if person.left_item else ordered[-1]
    if (first, last) == (ordered[0], ordered[-1]):
        return ""
    return f"§ {first}" if first == last else f"§§ {first}–{last}"


def _role_label(s: FoldState, person: PersonDraft) -> str:
    if person.user_id in s.info.chair_ids:
        return "ordförande"
    if person.user_id in s.info.vice_chair_ids:
        return "vice ordförande"
    return {
        "member": "ledamot",
        "substitute": "ersättare",
        "secretary": "sekreterare",
        "official": "tjänsteperson",
        "guest": "gäst",
    }.get(person.role, person.role)


def _paragraphs(paras: list[ParagraphDraft], numbers: Mapping[int, int],
                recipients: Mapping[int, tuple[Recipient, ...]]) -> tuple[Paragraph, ...]:
    return tuple(
        Paragraph(
            item_id=p.item_id, number=numbers[p.item_id], title=p.title,
            confidential=p.confidential, description=p.description, text=p.text,
            proposals=tuple(
                ProposalLine(
                    number=int(n), kind=str(d.get("kind", "")), author=str(d.get("author", "")),
                    text=str(d.get("text", "")),
                )
                for n, d in sorted(p.proposals.items()) if not d.get("withdrawn")
            ),
            proposition_order=tuple(p.proposition_order), votes=tuple(p.votes),
            proceedings=tuple(p.proceedings),
            decision=p.decision, recusals=tuple(p.recusals.values()),
            reservations=tuple(p.reservations.values()), notes=tuple(p.notes),
            roster_changes=tuple(p.roster), immediately_adjusted=p.immediately_adjusted,
            presided_by=tuple(p.presided_by), case_number=p.case_number,
            presenter=p.presenter, recipients=recipients.get(p.item_id, ()),
        )
        for p in paras
    )


@dataclass(frozen=True)
class _Attendance:
    deciding: tuple[AttendanceRow, ...]
    substitutes: tuple[AttendanceRow, ...]
    others: tuple[AttendanceRow, ...]
    absent: tuple[AttendanceRow, ...]


def _attendance(state: FoldState, numbers: Mapping[int, int]) -> _Attendance:
    """Who was there (and for which paragraphs, when not for all), and who was absent."""
    info = state.info
    members = {m.user_id: m for m in info.members}
    subs = {m.user_id: m for m in info.substitutes}
    # Members and substitutes count once the secretary confirmed them (the roll call the
    # minutes rely on); others only need to have checked in.
    present = [
        p for p in state.people.values()
        if p.present_ever and (p.confirmed_ever or (p.user_id not in members
                                                    and p.user_id not in subs))
    ]
    present_ids = {p.user_id for p in present}

    def row(person: PersonDraft, role: str | None = None, note: str = "") -> AttendanceRow:
        seat = members.get(person.user_id)
        sub = subs.get(person.user_id)
        party = seat.party if seat else (sub.party if sub else "")
        span = _span(state, person, numbers)
        return AttendanceRow(
            user_id=person.user_id, name=person.name, role=role or _role_label(state, person),
            party=party, seat=seat.seat if seat else None, remote=person.remote,
            note="; ".join(x for x in (note, span) if x),
        )

    def seat_key(r: AttendanceRow) -> tuple[int, str]:
        if r.seat is not None:
            return (r.seat, r.name)
        sub = subs.get(r.user_id)
        return (1000 + (sub.order or 0) if sub else 2000, r.name)

    deciding: list[AttendanceRow] = []
    substitutes: list[AttendanceRow] = []
    others: list[AttendanceRow] = []
    for person in present:
        if person.user_id in members:
            deciding.append(row(person))
        elif person.user_id in subs and person.serving_items:
            served = sorted(numbers[i] for i in person.serving_items if i in numbers)
            # Served every paragraph: no range, like a member present throughout.
            where = "" if served == sorted(numbers.values()) else paragraph_ranges(served)
            deciding.append(AttendanceRow(
                user_id=person.user_id, name=person.name, role="tjänstgörande ersättare",
                party=subs[person.user_id].party, remote=person.remote,
                note=", ".join(x for x in (f"för {person.serving_for}"
                                           if person.serving_for else "", where) if x),
            ))
        elif person.user_id in subs:
            substitutes.append(row(person, "ersättare"))
        else:
            others.append(row(person))
    absent = [
        AttendanceRow(user_id=m.user_id, name=m.name, role="ledamot", party=m.party, seat=m.seat)
        for m in info.members if m.user_id not in present_ids
    ]
    return _Attendance(
        deciding=tuple(sorted(deciding, key=seat_key)),
        substitutes=tuple(sorted(substitutes, key=seat_key)),
        others=tuple(sorted(others, key=lambda r: r.name)),
        absent=tuple(absent),
    )


def _signatures(state: FoldState, attending: set[int]) -> tuple[SignatureLine, ...]:
    """The chair (or the vice chair who presided when the chair was not there), the adjusters
    in the order chosen, and the secretary."""
    info = state.info
    people_names = {p.user_id: p.name for p in state.people.values()}
    signatures: list[SignatureLine] = []
    chair_id = next((c for c in info.chair_ids if c in attending), None)
    if chair_id is None:
        chair_id = next((c for c in info.vice_chair_ids if c in attending), None)
    if chair_id is None:
        chair_id = next((c for c in info.chair_ids), None)
    if chair_id is not None:
        signatures.append(
            SignatureLine("Ordförande", people_names.get(chair_id, state.name_of(chair_id)),
                          chair_id)
        )
    for uid, adj in zip(state.adjuster_ids, state.adjusters, strict=False):
        signatures.append(SignatureLine("Justerare", adj.name, uid))
    secretary_id = next((c for c in info.secretary_ids), None)
    if secretary_id is not None:
        signatures.append(
            SignatureLine("Sekreterare", people_names.get(secretary_id,
                                                         state.name_of(secretary_id)),
                          secretary_id)
        )
    return tuple(signatures)


def assemble(state: FoldState, *, paragraph_base: int = 0) -> Minutes:
    """The minutes as the folded log tells them. ``paragraph_base``: § numbers already used
    this year. Reads ``state`` only, so more events may be folded into it afterwards."""
    info = state.info
    paras = sorted(state.paragraphs.values(), key=lambda p: p.handled_order)
    numbers = paragraph_numbers(paras, paragraph_base)
    people = _attendance(state, numbers)

    opened = state.opened_at or info.starts_at.astimezone(STOCKHOLM)
    day = opened.date()
    time = f"{opened:%H.%M}"
    if state.adjourned_at:
        time += f"–{state.adjourned_at:%H.%M}"
    justering = state.justering or (
        f"Digital justering, senast {day + timedelta(days=JUSTERING_DAYS):%Y-%m-%d}"
    )
    attending = {r.user_id for r in people.deciding + people.others + people.substitutes}

    last = state.last
    return Minutes(
        meeting_id=info.meeting_id, organisation=info.organisation, body=info.body,
        title=info.title, date=f"{day:%Y-%m-%d}", time=time,
        place=info.place or DIGITAL_PLACE,
        deciding=people.deciding, substitutes=people.substitutes, others=people.others,
        absent=people.absent, adjusters=tuple(state.adjusters), justering=justering,
        paragraphs=_paragraphs(paras, numbers, state.recipients),
        signatures=_signatures(state, attending),
        log_seq=last.seq if last else 0, log_hash=last.hash if last else "0" * 64,
        last_event_at=last.at if last else None,
    )
