"""Lookups and checks that the voting commands share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from meetings.commands.agenda import item_of
from meetings.errors import CommandError, ErrorCode
from meetings.models import AgendaItem, Meeting, Proposal
from meetings.presiding import presiding_of
from meetings.quorum import require_quorum
from meetings.roles import Actor
from meetings.roster import ServingSeat, require_may_take_part
from voting.errors import VotingError
from voting.models import Acclamation, Vote

__all__ = ["require_quorum"]  # re-exported: every voting decision checks quorum through here


def active_item(meeting: Meeting, item_id: Any) -> AgendaItem:
    """The item, which must be the one being handled: votes happen on the active item only."""
    item = item_of(meeting, item_id)
    if item.state == AgendaItem.State.CLOSED:
        raise CommandError(ErrorCode.ITEM_CLOSED, item_id=item.pk)
    if meeting.active_item_id != item.pk:
        raise CommandError(ErrorCode.ITEM_NOT_ACTIVE, item_id=item.pk)
    return item


def proposal_on(item: AgendaItem, proposal_id: Any) -> Proposal:
    """A live (not withdrawn) proposal on this item."""
    try:
        proposal = Proposal.objects.select_related("author", "entered_by").get(
            item=item, pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.PROPOSAL_NOT_FOUND, proposal_id=proposal_id) from None
    if proposal.withdrawn:
        raise CommandError(ErrorCode.PROPOSAL_WITHDRAWN, proposal_id=proposal.pk)
    return proposal


def require_member_on_item(meeting: Meeting, actor: Actor) -> ServingSeat:
    """Only someone who serves, is present and is not recused may act as a member now
    (``not_a_participant`` / ``recused`` / ``not_serving`` / ``not_present``)."""
    return require_may_take_part(meeting, actor)


def chair_id_of(meeting: Meeting) -> int | None:
    """The person presiding now (meetings.presiding), whose vote decides a tie in an open
    vote: not always the body's chair."""
    return presiding_of(meeting).user_id


def vote_of(meeting: Meeting, vote_id: Any, *, lock: bool = True) -> Vote:
    """The vote, only if it belongs to this meeting; locked for the rest of the transaction."""
    queryset = Vote.objects.select_related("item", "main_proposal", "counter_proposal")
    if lock:
        # Lock only the vote row (no joins in the FOR UPDATE: PostgreSQL would lock them too).
        queryset = Vote.objects.select_for_update()
    try:
        return queryset.get(meeting=meeting, pk=vote_id)
    except (Vote.DoesNotExist, ValueError, TypeError):
        raise CommandError(VotingError.VOTE_NOT_FOUND, vote_id=vote_id) from None


def pending_acclamation(item: AgendaItem) -> Acclamation | None:
    return Acclamation.objects.filter(item=item, state=Acclamation.State.PUT).first()


def user_of(user_id: Any) -> User:
    try:
        return User.objects.get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.USER_NOT_FOUND, user_id=user_id) from None
