"""Proposals (yrkanden) on the active item.

The item's prepared proposal (beslutsförslag) becomes proposal 1 when the item is activated.
Serving, present, non-recused members add theirs; the secretary may enter one on a member's
behalf. Formal motions and approvals/rejections get a standard Swedish text when none is
given, so the minutes always read well.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max

from meetings.commands.lookup import active_item_of, participant_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import MeetingEventType as E
from meetings.events import ProposalMade, ProposalWithdrawn
from meetings.models import AgendaItem, Proposal
from meetings.refs import person_ref, proposal_ref
from meetings.roles import may_control, require_control, require_open
from meetings.roster import require_may_take_part

MAX_TEXT = 10_000
#: Default cap on one member's live (not withdrawn) proposals on one item; the setting is
#: ``KLUBBA["MAX_PROPOSALS_PER_MEMBER"]`` (docs/protocol.md, "Limits").
MAX_PROPOSALS_PER_MEMBER = 10

#: Kinds whose text must be written by the proposer.
TEXT_REQUIRED = frozenset({Proposal.Kind.AMEND, Proposal.Kind.ADDITION})

#: Standard wording when the proposer gives no text.
DEFAULT_TEXTS: dict[str, str] = {
    Proposal.Kind.APPROVE: "Bifall till beslutsförslaget",
    Proposal.Kind.REJECT: "Avslag på beslutsförslaget",
    Proposal.Kind.REFER_BACK: "Ärendet återremitteras",
    Proposal.Kind.TABLE: "Ärendet bordläggs",
}


def item_proposals(item: AgendaItem, *, include_withdrawn: bool = False) -> list[Proposal]:
    rows = Proposal.objects.filter(item=item).select_related("author", "entered_by")
    if not include_withdrawn:
        rows = rows.filter(withdrawn=False)
    return list(rows.order_by("number"))


def add_prepared_proposal(item: AgendaItem) -> Proposal | None:
    """Proposal 1 from the item's prepared text, once; called by ``item_activate``."""
    text = item.prepared_proposal.strip()
    if not text:
        return None
    existing = Proposal.objects.filter(item=item, kind=Proposal.Kind.PREPARED).first()
    if existing is not None:
        return existing
    return Proposal.objects.create(item=item, number=_next_number(item),
                                   kind=Proposal.Kind.PREPARED, text=text)


def _next_number(item: AgendaItem) -> int:
    return (Proposal.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1


def max_proposals_per_member() -> int:
    return int(str(settings.KLUBBA.get("MAX_PROPOSALS_PER_MEMBER", MAX_PROPOSALS_PER_MEMBER)))


def _require_room_for_one_more(item: AgendaItem, author_id: int) -> None:
    """A member may hold at most ``max_proposals_per_member()`` live proposals on an item, so
    one member cannot swamp an item (or its snapshot) with proposals."""
    cap = max_proposals_per_member()
    live = Proposal.objects.filter(item=item, author_id=author_id, withdrawn=False).count()
    if live >= cap:
        raise CommandError(ErrorCode.TOO_MANY_PROPOSALS, max=cap, live=live)


def _proposal_text(kind: str, text: str, item: AgendaItem) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", max_length=MAX_TEXT)
    if kind == Proposal.Kind.APPROVE and not item.prepared_proposal.strip():
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="kind",
                           reason="no_prepared_proposal")
    if text:
        return text
    if kind in TEXT_REQUIRED:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", reason="text_required")
    return DEFAULT_TEXTS[kind]


@meeting_command
def proposal_make(
    cmd: CommandContext, *, kind: str, text: str = "", on_behalf_of: int | None = None
) -> Emit:
    """A serving member makes a proposal on the active item (or the secretary enters one for
    them: ``on_behalf_of`` is the member, ``entered_by`` the secretary)."""
    meeting, actor = cmd.meeting, cmd.user
    require_open(meeting)
    allowed = [k for k in Proposal.Kind.values if k != Proposal.Kind.PREPARED]
    if kind not in allowed:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="kind", allowed=allowed)
    item = active_item_of(meeting)
    if on_behalf_of is not None and on_behalf_of != actor.pk:
        require_control(meeting, actor)
        author = participant_of(meeting, on_behalf_of).user
        entered_by = actor
    else:
        author, entered_by = actor, None
    seat = require_may_take_part(meeting, author)
    _require_room_for_one_more(item, author.pk)
    proposal = Proposal.objects.create(
        item=item, number=_next_number(item), kind=kind,
        text=_proposal_text(kind, text, item), author=author, entered_by=entered_by,
    )
    return Emit(E.PROPOSAL_MADE, ProposalMade(**proposal_ref(proposal), seat=seat.seat_number))


@meeting_command
def proposal_withdraw(cmd: CommandContext, *, proposal_id: int) -> Emit:
    """Its author or the secretary withdraws a proposal on the active item before it is put
    to decision."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting, allow_paused=True)
    item = active_item_of(meeting)
    try:
        proposal = Proposal.objects.select_related("author", "entered_by").get(
            item=item, pk=proposal_id
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.PROPOSAL_NOT_FOUND, proposal_id=proposal_id) from None
    if proposal.kind == Proposal.Kind.PREPARED:
        raise CommandError(ErrorCode.PROPOSAL_NOT_WITHDRAWABLE, proposal_id=proposal.pk)
    if proposal.author_id != actor.pk and not may_control(meeting, actor):
        raise CommandError(ErrorCode.PERMISSION_DENIED)
    if proposal.withdrawn:
        raise CommandError(ErrorCode.PROPOSAL_WITHDRAWN, proposal_id=proposal.pk)
    proposal.withdrawn = True
    proposal.save(update_fields=["withdrawn"])
    return Emit(E.PROPOSAL_WITHDRAWN, ProposalWithdrawn(
        **proposal_ref(proposal), by=person_ref(cmd.user),
        by_author=proposal.author_id == actor.pk,
    ))
