"""Decisions with their § number, reservations (KL 4:27) and protocol notes."""

from __future__ import annotations

from meetings.commands.agenda import item_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingEvent,
    Participant,
    Proposal,
    Recusal,
    SeatService,
)
from meetings.paragraphs import paragraph_assign
from meetings.refs import PersonRef, optional_proposal_ref
from meetings.roles import display_name, may_control, query_id, require_control, require_open
from voting.commands.acclamation import require_chair_or_control
from voting.commands.common import active_item, proposal_on, user_of
from voting.commands.votes import winner_of
from voting.errors import VotingError
from voting.events import (
    DecisionDetails,
    DecisionRecorded,
    ProtocolNoteAdded,
    ProtocolNoteAllowed,
    ReservationReasonsSubmitted,
    ReservationRegistered,
)
from voting.events import VotingEventType as E
from voting.formal import require_formal_motions_decided
from voting.models import (
    AbstentionAnnouncement,
    Acclamation,
    Decision,
    KontraVoting,
    OpenBallot,
    ProtocolNote,
    ProtocolNoteAllowance,
    Reservation,
    Vote,
    VoterMark,
)

MAX_TEXT = 10_000
#: Event types after which written reasons can no longer reach the minutes: the document is
#: frozen when it is locked for signing (minutes app), and signed after that. Written as
#: strings: the minutes app declares them, and voting may not import minutes.
MINUTES_SIGNED_EVENTS = ("minutes.locked", "minutes.signed")


def _decided_by(
    item: AgendaItem, proposal: Proposal
) -> tuple[bool, Vote | None, Acclamation | None]:
    """What adopted (True) or rejected (False) ``proposal``: a finished kontra round's last
    step, else the latest closed vote, else the latest gavel that involved it."""
    kontra = KontraVoting.objects.filter(
        item=item, state=KontraVoting.State.DONE, winner=proposal
    ).order_by("-pk").first()
    if kontra is not None:
        last = kontra.history[-1]
        return (True, Vote.objects.filter(pk=last["vote_id"]).first(),
                Acclamation.objects.filter(pk=last["acclamation_id"]).first())
    if KontraVoting.objects.filter(item=item, state=KontraVoting.State.RUNNING).exists():
        raise CommandError(VotingError.NO_DECISION_YET, reason="kontra_running")
    # A kontra step only finds the counter-proposal; it never adopts anything on its own.
    for vote in Vote.objects.filter(item=item, state=Vote.State.CLOSED, kontra__isnull=True
                                    ).exclude(kind=Vote.Kind.ELECTION).order_by("-number"):
        if winner_of(vote) == proposal.pk:
            return True, vote, None
        if vote.main_proposal_id == proposal.pk and vote.counter_proposal_id is None:
            return False, vote, None
    for acc in Acclamation.objects.filter(item=item, state=Acclamation.State.DECIDED,
                                          kontra__isnull=True).order_by("-number"):
        if acc.winner_id == proposal.pk:
            return True, None, acc
        if acc.proposal_id == proposal.pk and acc.counter_proposal_id is None:
            return False, None, acc
    raise CommandError(VotingError.NO_DECISION_YET, proposal_id=proposal.pk)


@meeting_command
def decision_record(cmd: CommandContext, *, item_id: int, proposal_id: int | None = None,
                    text: str = "") -> Emit:
    """Record the item's decision and give it its § number.

    With ``proposal_id``: linked to the proposal and the vote or acclamation that decided it
    (``no_decision_yet`` if none did); ``text`` is the secretary's wording of the decision
    (beslutsformulering), the proposal's own text when left empty. Without: ``text`` is the
    chair's stated decision on an item with no proposals. Procedural items and elections
    have their own commands (``voting.commands.procedural``).
    """
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = require_undecided(meeting, item_id)
    vote = acclamation = proposal = None
    if proposal_id is not None:
        proposal = proposal_on(item, proposal_id)
        require_formal_motions_decided(item, proposal)
        adopted, vote, acclamation = _decided_by(item, proposal)
        if not adopted and proposal.is_formal:
            raise CommandError(VotingError.NO_DECISION_YET, reason="formal_motion_rejected")
        kind = (
            Decision.Kind.REJECTED if not adopted
            else Decision.Kind.REFERRED_BACK if proposal.kind == Proposal.Kind.REFER_BACK
            else Decision.Kind.TABLED if proposal.kind == Proposal.Kind.TABLE
            else Decision.Kind.ADOPTED
        )
        text = (text or "").strip() or proposal.text
        if len(text) > MAX_TEXT:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text")
    else:
        text = (text or "").strip()
        if not text or len(text) > MAX_TEXT:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text")
        if Proposal.objects.filter(item=item, withdrawn=False).exists():
            raise CommandError(VotingError.NO_DECISION_YET, reason="the item has proposals")
        kind = Decision.Kind.NOTED
    return store_decision(meeting, item, kind=kind, text=text, proposal=proposal, vote=vote,
                          acclamation=acclamation)


def require_undecided(meeting: Meeting, item_id: int) -> AgendaItem:
    """The active item, open for a decision: the shared checks of every decision command."""
    item = active_item(meeting, item_id)
    if Decision.objects.filter(item=item).exists():
        raise CommandError(VotingError.DECISION_ALREADY_RECORDED, item_id=item.pk)
    return item


def store_decision(
    meeting: Meeting, item: AgendaItem, *, kind: str, text: str,
    proposal: Proposal | None = None, vote: Vote | None = None,
    acclamation: Acclamation | None = None, extra: DecisionDetails | None = None,
) -> Emit:
    """Number the item, keep the decision and make its ``decision.recorded`` event."""
    year, paragraph = paragraph_assign(meeting=meeting, item=item)
    decision = Decision.objects.create(
        item=item, body_id=meeting.body_id, year=year, paragraph=paragraph, kind=kind,
        proposal=proposal, text=text, vote=vote, acclamation=acclamation,
    )
    payload = DecisionRecorded(
        item_id=item.pk, item_title=item.title, decision_id=decision.pk,
        paragraph=paragraph, year=year, kind=kind, text=text,
        proposal=optional_proposal_ref(proposal),
        vote_id=vote.pk if vote else None,
        acclamation_id=acclamation.pk if acclamation else None,
    )
    payload.update(extra or {})
    return Emit(E.DECISION_RECORDED, payload)


def _took_part(meeting: Meeting, decision: Decision, user_id: int) -> str | None:
    """None if ``user_id`` took part in the decision without abstaining; else why not."""
    if AbstentionAnnouncement.objects.filter(item=decision.item, user_id=user_id).exists():
        return "abstained"
    if decision.vote is not None:
        if decision.vote.kind == Vote.Kind.OPEN:
            choice = OpenBallot.objects.filter(vote=decision.vote, voter_id=user_id).values_list(
                "choice", flat=True).first()
            if choice is None:
                return "did_not_vote"
            return "abstained" if choice == "avstar" else None
        # Secret: only "has voted" is known; an abstention there cannot be seen (by design).
        has_voted = VoterMark.objects.filter(vote=decision.vote, voter_id=user_id).exists()
        return None if has_voted else "did_not_vote"
    # Decided by acclamation: those serving, present and not recused on the item took part.
    if Recusal.objects.filter(item=decision.item, user_id=user_id).exists():
        return "recused"
    serving = SeatService.objects.filter(meeting=meeting, user_id=user_id).exists()
    present = Participant.objects.filter(meeting=meeting, user_id=user_id, present=True,
                                         confirmed=True).exists()
    return None if serving and present else "not_serving"


@meeting_command
def reservation_register(cmd: CommandContext, *, item_id: int, reason_text: str = "") -> Emit:
    """A member who took part and did not abstain reserves against the decision, before the
    meeting ends; written reasons may follow (``reservation_reasons_submit``)."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting, allow_paused=True)
    item = item_of(meeting, item_id)
    decision = Decision.objects.filter(item=item).select_related("vote", "item").first()
    if decision is None:
        raise CommandError(VotingError.NO_DECISION_YET, item_id=item.pk)
    why_not = _took_part(meeting, decision, actor.pk) if actor.pk else "not_a_participant"
    if why_not:
        raise CommandError(VotingError.RESERVATION_NOT_ALLOWED, reason=why_not)
    if Reservation.objects.filter(decision=decision, user_id=cmd.user_id).exists():
        raise CommandError(VotingError.RESERVATION_NOT_ALLOWED, reason="already_reserved")
    reasons = (reason_text or "").strip()[:MAX_TEXT]
    Reservation.objects.create(decision=decision, user=cmd.user, reasons=reasons)
    return Emit(E.RESERVATION_REGISTERED, ReservationRegistered(
        item_id=item.pk, decision_id=decision.pk, paragraph=decision.paragraph,
        user_id=cmd.user_id, name=display_name(actor), reasons=reasons,
    ))


def minutes_signed(meeting: Meeting) -> bool:
    return MeetingEvent.objects.filter(meeting=meeting, type__in=MINUTES_SIGNED_EVENTS).exists()


@meeting_command
def reservation_reasons_submit(cmd: CommandContext, *, item_id: int, reason_text: str) -> Emit:
    """Written reasons for one's reservation; allowed after adjournment, until signing."""
    meeting, actor = cmd.meeting, cmd.actor
    item = item_of(meeting, item_id)
    reservation = Reservation.objects.filter(decision__item=item,
                                             user_id=query_id(actor)).first()
    if reservation is None:
        raise CommandError(VotingError.RESERVATION_NOT_FOUND, item_id=item.pk)
    if minutes_signed(meeting):
        raise CommandError(VotingError.MINUTES_SIGNED)
    reasons = (reason_text or "").strip()
    if not reasons or len(reasons) > MAX_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="reason_text")
    reservation.reasons = reasons
    reservation.save(update_fields=["reasons"])
    return Emit(E.RESERVATION_REASONS_SUBMITTED, ReservationReasonsSubmitted(
        item_id=item.pk, decision_id=reservation.decision_id, user_id=cmd.user_id,
        name=display_name(actor), reasons=reasons,
    ))


@meeting_command
def protocol_note_allow(cmd: CommandContext, *, item_id: int, user_id: int) -> Emit:
    """The presiding person allows a protocol note (protokollsanteckning) at their
    discretion; the secretary may do it as their clerk (``on_behalf_of``)."""
    meeting, actor = cmd.meeting, cmd.actor
    on_behalf_of = require_chair_or_control(meeting, actor)
    require_open(meeting, allow_paused=True)
    item = item_of(meeting, item_id)
    user = user_of(user_id)
    if not Participant.objects.filter(meeting=meeting, user=user).exists():
        raise CommandError(ErrorCode.USER_NOT_FOUND, user_id=user_id)
    ProtocolNoteAllowance.objects.get_or_create(item=item, user=user)
    payload = ProtocolNoteAllowed(item_id=item.pk, user_id=user.pk, name=display_name(user))
    if on_behalf_of is not None:
        payload["on_behalf_of"] = on_behalf_of
    return Emit(E.PROTOCOL_NOTE_ALLOWED, payload)


@meeting_command
def protocol_note_add(cmd: CommandContext, *, item_id: int, text: str,
                      user_id: int | None = None) -> Emit:
    """A member adds an allowed note; the secretary (or chair) may enter it on their behalf."""
    meeting, actor = cmd.meeting, cmd.user
    require_open(meeting, allow_paused=True)
    item = item_of(meeting, item_id)
    if user_id is None or user_id == actor.pk:
        author = actor
        if not ProtocolNoteAllowance.objects.filter(item=item, user_id=actor.pk).exists():
            raise CommandError(VotingError.PROTOCOL_NOTE_NOT_ALLOWED, item_id=item.pk)
    else:
        if not may_control(meeting, actor):
            raise CommandError(ErrorCode.PERMISSION_DENIED)
        author = user_of(user_id)
        if not Participant.objects.filter(meeting=meeting, user=author).exists():
            raise CommandError(ErrorCode.USER_NOT_FOUND, user_id=user_id)
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text")
    note = ProtocolNote.objects.create(item=item, user=author, text=text, entered_by=actor)
    return Emit(E.PROTOCOL_NOTE_ADDED, ProtocolNoteAdded(
        item_id=item.pk, note_id=note.pk, user_id=author.pk, name=display_name(author),
        text=text, entered_by=PersonRef(user_id=actor.pk, name=display_name(actor)),
    ))
