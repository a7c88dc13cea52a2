"""Guards voting adds to meeting commands (see meetings.guards)."""

from __future__ import annotations

from meetings.errors import CommandError
from meetings.guards import add_item_close_guard, add_item_decided_check
from meetings.models import AgendaItem
from voting.errors import VotingError
from voting.models import Acclamation, Decision, KontraVoting, Vote


def no_open_decision_on(item: AgendaItem) -> None:
    """An item with an open vote, a pending acclamation or a running kontraproposition
    cannot be closed: the result would be lost from the minutes."""
    if (
        Vote.objects.filter(item=item, state=Vote.State.OPEN).exists()
        or Acclamation.objects.filter(item=item, state=Acclamation.State.PUT).exists()
        or KontraVoting.objects.filter(item=item, state=KontraVoting.State.RUNNING).exists()
    ):
        raise CommandError(VotingError.VOTE_IN_PROGRESS, item_id=item.pk)


def has_decision(item: AgendaItem) -> bool:
    return Decision.objects.filter(item=item).exists()


def register() -> None:
    add_item_close_guard(no_open_decision_on)
    add_item_decided_check(has_decision)
