"""Fold handlers for how an item is decided: proposition order, acclamation, votes and
elections, the decision and its § number, reservations and protocol notes (voting app)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meetings.events import MeetingEventType as M
from meetings.refs import author_name
from minutes.fold.proportional import proportional_table
from minutes.fold.proposals import PROPOSAL_KINDS
from minutes.fold.state import FoldState, Handler, ParagraphDraft
from minutes.model import LogEvent, NamedText, Step, VoteRow, VoteTable
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


FORMAL_QUESTION = {
    "aterremiss": ("återremitteras", "återremittera ärendet", "ärendet ska återremitteras"),
    "bordlaggning": ("bordläggas", "bordlägga ärendet", "ärendet ska bordläggas"),
}


def say(para: ParagraphDraft, text: str) -> None:
    """A sentence of the handling, in log order (and in the older proposition order list)."""
    para.proposition_order.append(text)
    para.proceedings.append(Step(text=text))


def record_vote(para: ParagraphDraft, table: VoteTable) -> None:
    para.votes.append(table)
    para.proceedings.append(Step(vote=table))


def _formal(ref: Any) -> tuple[str, str, str] | None:
    """The question a formal motion asks (återremiss, bordläggning), or None."""
    return FORMAL_QUESTION.get(str(ref.get("kind"))) if isinstance(ref, Mapping) else None


def _elimination(s: FoldState, kontra: Any, winner: str, body: str) -> str | None:
    """What an elimination step of a kontraproposition decided: it only chooses."""
    if not isinstance(kontra, Mapping):
        return None
    step = kontra.get("step") or {}
    if step.get("kind") != "elimination":
        return None
    following = kontra.get("next_step") or {}
    if following.get("kind") == "elimination":
        return f"{body} låter {winner} gå vidare i kontrapropositionsvoteringen."
    return f"{body} utser {winner} till motförslag i huvudvoteringen."


def _on_order_approved(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    refs = e.payload.get("proposals") or []
    say(para, "Ordföranden föreslår följande propositionsordning, som godkänns: "
        + ", ".join(f"{i}) {proposal_label(r)}" for i, r in enumerate(refs, start=1)) + ".")


def _on_acclamation_decided(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    ref = e.payload.get("proposal")
    proposal = proposal_label(ref)
    counter = proposal_label(e.payload.get("counter_proposal"))
    won = e.payload.get("outcome") == "bifall"
    formal = _formal(ref)
    if counter:
        winner = proposal if won else counter
        chosen = _elimination(s, e.payload.get("kontra"), winner, s.info.body)
        verdict = (f"finner att {chosen}" if chosen
                   else f"finner att {s.info.body} bifaller {winner}.")
        say(para, f"Ordföranden ställer {proposal} mot {counter} och {verdict}")
    elif formal:
        infinitive, _, outcome = formal
        found = outcome if won else "det ska avgöras i dag"
        say(para, f"Ordföranden ställer proposition på om ärendet ska avgöras i dag eller "
                  f"{infinitive} och finner att {found}.")
    else:
        say(para, f"Ordföranden ställer proposition på {proposal} och finner att {s.info.body} "
                  f"{'bifaller' if won else 'avslår'} det.")


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


def _question(number: Any, main_ref: Any, main: str, counter: str) -> str:
    """The vote's question, Ja and Nej labelled for what they ask."""
    formal = _formal(main_ref)
    if formal and not counter:
        return (f"Omröstning {number}: Ja för att {formal[2]}, "
                "Nej för att ärendet ska avgöras i dag")
    return f"Omröstning {number}: Ja för {main}" + (f", Nej för {counter}" if counter
                                                      else ", Nej för avslag")


def _verdict(s: FoldState, p: Mapping[str, Any], main: str, counter: str) -> str:
    result: Mapping[str, Any] = p.get("result") or {}
    outcome = result.get("outcome")
    body = s.info.body
    if outcome == "ja":
        winner = main
    elif outcome == "nej" and counter:
        winner = counter
    else:
        winner = ""
    chosen = _elimination(s, p.get("kontra"), winner, body) if winner else None
    if chosen:
        return chosen
    formal = _formal(p.get("main_proposal"))
    if formal and not counter:
        return (f"{body} har beslutat att {formal[1]}." if outcome == "ja"
                else f"{body} har beslutat att ärendet ska avgöras i dag.")
    if winner:
        return f"{body} har beslutat enligt {winner}."
    return f"{body} har avslagit {main}."


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
        record_vote(para, _election(number, result))
        return
    if kind == "proportional":
        record_vote(para, proportional_table(number, result))
        return
    question = _question(number, p.get("main_proposal"), main, counter)
    if isinstance(p.get("kontra"), Mapping) and (p["kontra"].get("step") or {}).get(
            "kind") == "elimination":
        question = question.replace(":", " (kontrapropositionsvotering):", 1)
    counts: tuple[tuple[str, int], ...] = (
        ("Ja", int(result.get("ja", 0))), ("Nej", int(result.get("nej", 0))),
        ("Avstår", int(result.get("avstar", 0))))
    verdict = _verdict(s, p, main, counter)
    if kind == "open":
        rows = tuple(
            VoteRow(str(b.get("name", "")), _seat_party(s, b),
                    CHOICE_LABELS.get(str(b.get("choice")), str(b.get("choice"))))
            for b in result.get("ballots", [])
        )
        if result.get("decided_by_casting_vote"):
            verdict += " Ordförandens utslagsröst avgjorde."
        record_vote(para, VoteTable(question, False, rows, counts, verdict))
    else:
        counts += (("Blanka", int(result.get("blank", 0))),
                   ("Ogiltiga", int(result.get("invalid", 0))))
        if result.get("lot"):
            verdict += " Lottning avgjorde."
        record_vote(para, VoteTable(question + " (sluten omröstning)", True, (), counts,
                                    verdict))


def _on_vote_voided(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        say(para,
            f"Omröstning {e.payload.get('number')} förklarades ogiltig: "
            f"{e.payload.get('reason', '')}"
        )


def _on_vote_requested(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        say(para, f"{e.payload.get('name', '')} begär votering.")


def _on_kontra_started(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        say(para,
            f"Ordföranden finner att {proposal_label(e.payload.get('main'))} är huvudförslag. "
            "Kontrapropositionsvotering genomförs för att utse motförslag."
        )


def _on_abstention(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        say(para,
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


def _on_item_closed(s: FoldState, e: LogEvent) -> None:
    """An item closed without a decision says so, with the reason given (issue 12)."""
    reason = str(e.payload.get("no_decision_reason") or "")
    para = s.para(e.payload.get("item_id"))
    if para is not None and reason and not para.decision:
        para.decision = f"Ärendet avslutas utan beslut: {reason}"
        if not reason.endswith((".", "!", "?")):
            para.decision += "."


ALSO: dict[str, Handler] = {M.ITEM_CLOSED: _on_item_closed}

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
