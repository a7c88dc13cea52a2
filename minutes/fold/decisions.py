"""Fold handlers for how an item is decided: proposition order, acclamation, votes and
elections, the decision and its § number, reservations and protocol notes (voting app)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meetings.refs import author_name
from minutes.fold.proposals import PROPOSAL_KINDS
from minutes.fold.state import FoldState, Handler
from minutes.model import LogEvent, NamedText, VoteRow, VoteTable
from voting.events import VotingEventType as V

CHOICE_LABELS = {"ja": "Ja", "nej": "Nej", "avstar": "Avstår"}
DECISION_PREFIX = {"rejected": "Avslag: "}


def proposal_label(ref: Any) -> str:
    """"yrkande 2 (Anna Svensson)" from a proposal reference (either logged shape)."""
    if not isinstance(ref, Mapping):
        return ""
    author = author_name(dict(ref))
    kind = PROPOSAL_KINDS.get(str(ref.get("kind")), "")
    label = f"yrkande {ref.get('number')}"
    if kind == "Beslutsförslag":
        return f"{label} (beslutsförslaget)"
    return f"{label} ({author})" if author else label


def _on_order_approved(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    refs = e.payload.get("proposals") or []
    para.proposition_order.append(
        "Ordföranden föreslår följande propositionsordning, som godkänns: "
        + ", ".join(f"{i}) {proposal_label(r)}" for i, r in enumerate(refs, start=1)) + "."
    )


def _on_acclamation_decided(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    proposal = proposal_label(e.payload.get("proposal"))
    counter = proposal_label(e.payload.get("counter_proposal"))
    won = e.payload.get("outcome") == "bifall"
    if counter:
        winner = proposal if won else counter
        para.proposition_order.append(
            f"Ordföranden ställer {proposal} mot {counter} och finner att {s.info.body} "
            f"bifaller {winner}."
        )
    else:
        para.proposition_order.append(
            f"Ordföranden ställer proposition på {proposal} och finner att {s.info.body} "
            f"{'bifaller' if won else 'avslår'} det."
        )


def _seat_party(s: FoldState, row: Mapping[str, Any]) -> str:
    seat = row.get("seat")
    member = next((m for m in s.info.members if m.seat == seat), None)
    sub = next((m for m in s.info.substitutes if m.user_id == row.get("user_id")), None)
    if sub is not None:
        return sub.party
    return member.party if member else ""


def _election(number: Any, result: Mapping[str, Any]) -> VoteTable:
    counts = tuple((str(r["candidate"]), int(r["votes"])) for r in result.get("votes", []))
    counts += (("Blanka", int(result.get("blank", 0))),
               ("Ogiltiga", int(result.get("invalid", 0))))
    text = "Valda: " + ", ".join(result.get("elected", [])) + "."
    lot = result.get("lot")
    if lot:
        text += " Lottning avgjorde mellan " + ", ".join(lot.get("tied", [])) + "."
    return VoteTable(f"Val med slutna sedlar (omröstning {number})", True, (), counts, text)


def _on_vote_closed(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    p = e.payload
    result: Mapping[str, Any] = p.get("result") or {}
    kind = str(p.get("kind", "open"))
    main, counter = proposal_label(p.get("main_proposal")), proposal_label(
        p.get("counter_proposal"))
    number = p.get("number")
    if kind == "election":
        para.votes.append(_election(number, result))
        return
    question = f"Omröstning {number}: Ja för {main}" + (f", Nej för {counter}" if counter
                                                          else ", Nej för avslag")
    counts: tuple[tuple[str, int], ...] = (
        ("Ja", int(result.get("ja", 0))), ("Nej", int(result.get("nej", 0))),
        ("Avstår", int(result.get("avstar", 0))))
    outcome = result.get("outcome")
    if outcome == "ja":
        verdict = f"{s.info.body} har beslutat enligt {main}."
    elif counter:
        verdict = f"{s.info.body} har beslutat enligt {counter}."
    else:
        verdict = f"{s.info.body} har avslagit {main}."
    if kind == "open":
        rows = tuple(
            VoteRow(str(b.get("name", "")), _seat_party(s, b),
                    CHOICE_LABELS.get(str(b.get("choice")), str(b.get("choice"))))
            for b in result.get("ballots", [])
        )
        if result.get("decided_by_casting_vote"):
            verdict += " Ordförandens utslagsröst avgjorde."
        para.votes.append(VoteTable(question, False, rows, counts, verdict))
    else:
        counts += (("Blanka", int(result.get("blank", 0))),
                   ("Ogiltiga", int(result.get("invalid", 0))))
        if result.get("lot"):
            verdict += " Lottning avgjorde."
        para.votes.append(VoteTable(question + " (sluten omröstning)", True, (), counts,
                                    verdict))


def _on_vote_voided(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(
            f"Omröstning {e.payload.get('number')} förklarades ogiltig: "
            f"{e.payload.get('reason', '')}"
        )


def _on_vote_requested(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(f"{e.payload.get('name', '')} begär votering.")


def _on_kontra_started(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(
            f"Ordföranden finner att {proposal_label(e.payload.get('main'))} är huvudförslag. "
            "Kontrapropositionsvotering genomförs för att utse motförslag."
        )


def _on_abstention(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(
            f"{e.payload.get('name', '')} anmäler att hen inte deltar i beslutet."
        )


def _on_decision(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    if e.payload.get("paragraph"):
        para.paragraph = int(e.payload["paragraph"])
    para.decision = DECISION_PREFIX.get(str(e.payload.get("kind")), "") + str(
        e.payload.get("text", ""))


def _on_reservation(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.reservations[int(e.payload["user_id"])] = NamedText(
            str(e.payload.get("name", "")), str(e.payload.get("reasons") or ""))


def _on_protocol_note(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.notes.append(NamedText(str(e.payload.get("name", "")),
                                    str(e.payload.get("text", ""))))


HANDLERS: dict[str, Handler] = {
    V.PROPOSITION_ORDER_APPROVED: _on_order_approved,
    V.ACCLAMATION_DECIDED: _on_acclamation_decided,
    V.VOTE_REQUESTED: _on_vote_requested,
    V.KONTRA_STARTED: _on_kontra_started,
    V.ABSTENTION_ANNOUNCED: _on_abstention,
    V.VOTE_CLOSED: _on_vote_closed,
    V.VOTE_VOIDED: _on_vote_voided,
    V.DECISION_RECORDED: _on_decision,
    V.RESERVATION_REGISTERED: _on_reservation,
    V.RESERVATION_REASONS_SUBMITTED: _on_reservation,
    V.PROTOCOL_NOTE_ADDED: _on_protocol_note,
}
