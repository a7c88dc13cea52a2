"""Decisions that need no proposal put first: procedural items and elections.

Procedural items (the agenda, the adjusters, information items) are decided too, in one
action: the decision states the act ("Dagordningen godkänns.", "Till justerare utses …",
"Informationen noteras och läggs till handlingarna."). An election is recorded as an election
decision linked to its closed vote: who was elected, to what, for which term.
"""

from __future__ import annotations

from typing import Literal

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import Adjuster, AgendaItem, Proposal
from meetings.quorum import require_quorum
from meetings.roles import display_name, require_control, require_open
from voting.commands.decisions import MAX_TEXT, require_undecided, store_decision
from voting.errors import VotingError
from voting.events import DecisionDetails
from voting.models import Decision, Vote

Procedure = Literal["agenda", "adjusters", "information"]
MAX_FIELD = 500
ELECTION_KINDS = (Vote.Kind.ELECTION, Vote.Kind.PROPORTIONAL)


def names_sv(names: list[str]) -> str:
    """"A", "A och B", "A, B och C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


def _standard_text(cmd: CommandContext, procedure: str) -> str:
    meeting = cmd.meeting
    if procedure == "agenda":
        if not meeting.agenda_approved:
            raise CommandError(VotingError.NO_DECISION_YET, reason="agenda_not_approved")
        return "Dagordningen godkänns."
    if procedure == "adjusters":
        names = [display_name(a.user) for a in Adjuster.objects.filter(meeting=meeting)
                 .select_related("user").order_by("position")]
        if not names:
            raise CommandError(VotingError.NO_DECISION_YET, reason="no_adjusters")
        return f"Till justerare utses {names_sv(names)}."
    return "Informationen noteras och läggs till handlingarna."


def _prepared_only(item: AgendaItem) -> Proposal | None:
    """The prepared proposal, if any; a member's proposal means the item is decided the
    ordinary way (put, perhaps voted)."""
    live = list(Proposal.objects.filter(item=item, withdrawn=False))
    if any(p.kind != Proposal.Kind.PREPARED for p in live):
        raise CommandError(VotingError.NO_DECISION_YET, reason="the item has proposals")
    return next(iter(live), None)


@meeting_command
def decision_record_procedural(cmd: CommandContext, *, item_id: int, procedure: Procedure,
                               text: str = "") -> Emit:
    """One action for a procedural item: no acclamation first. ``text`` replaces the
    standard wording when given."""
    require_control(cmd.meeting, cmd.actor)
    require_open(cmd.meeting)
    require_quorum(cmd.meeting)  # a procedural decision is a decision of the body too
    if procedure not in ("agenda", "adjusters", "information"):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="procedure")
    item = require_undecided(cmd.meeting, item_id)
    prepared = _prepared_only(item)
    text = (text or "").strip() or _standard_text(cmd, procedure)
    if len(text) > MAX_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text")
    return store_decision(cmd.meeting, item, kind=Decision.Kind.PROCEDURAL, text=text,
                          proposal=prepared, extra=DecisionDetails(procedure=procedure))


@meeting_command
def decision_record_election(cmd: CommandContext, *, item_id: int, vote_id: int, office: str,
                             term: str = "", text: str = "") -> Emit:
    """The election's decision, linked to its closed vote: who was elected (and, in a
    proportional election, the substitutes), to what, for which term."""
    require_control(cmd.meeting, cmd.actor)
    require_open(cmd.meeting)
    item = require_undecided(cmd.meeting, item_id)
    vote = Vote.objects.filter(pk=vote_id, item=item, kind__in=ELECTION_KINDS).first()
    if vote is None:
        raise CommandError(VotingError.VOTE_NOT_FOUND, vote_id=vote_id)
    if vote.state != Vote.State.CLOSED:
        raise CommandError(VotingError.NO_DECISION_YET, vote_id=vote.pk, reason="vote_not_closed")
    office, term = (office or "").strip(), (term or "").strip()
    if not office or len(office) > MAX_FIELD:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="office")
    if len(term) > MAX_FIELD:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="term")
    result = vote.result or {}
    elected = [str(n) for n in result.get("elected", [])]
    substitutes = [str(n) for n in result.get("substitutes_elected", [])]
    if vote.kind == Vote.Kind.PROPORTIONAL:
        # The members' and the substitutes' proportional elections on one item are two votes
        # and one decision: whichever is named, the other (if held) is part of it.
        other = Vote.objects.filter(item=item, kind=Vote.Kind.PROPORTIONAL,
                                    substitutes=not vote.substitutes,
                                    state=Vote.State.CLOSED).order_by("-number").first()
        other_result = (other.result or {}) if other is not None else {}
        elected = elected or [str(n) for n in other_result.get("elected", [])]
        substitutes = substitutes or [str(n) for n in other_result.get("substitutes_elected",
                                                                      [])]
    if not text.strip():
        period = f" för perioden {term}" if term else ""
        text = f"Till {office}{period} väljs {names_sv(elected) or 'ingen'}."
        if substitutes and not elected:  # the substitutes' own proportional election
            text = f"Till {office}{period} väljs, i denna ordning, {names_sv(substitutes)}."
        elif substitutes:
            text += f" Till ersättare väljs, i denna ordning, {names_sv(substitutes)}."
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text")
    details = DecisionDetails(elected=elected, office=office, term=term)
    if substitutes:
        details["substitutes"] = substitutes
    return store_decision(cmd.meeting, item, kind=Decision.Kind.ELECTION, text=text, vote=vote,
                          extra=details)
