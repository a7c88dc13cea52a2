"""Guards voting adds to meeting commands (see meetings.guards)."""

from __future__ import annotations

from meetings.errors import CommandError
from meetings.guards import add_item_close_guard, add_item_decided_check, add_recusal_guard
from meetings.models import AgendaItem
from voting.errors import VotingError
from voting.models import Acclamation, Decision, KontraVoting, OpenBallot, Vote, VoterMark


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


def no_recusal_change_during_vote(item: AgendaItem, user_id: int) -> None:
    """Jäv is declared before the item is handled (domain.md, KL 6:28-32).

    While a vote on the item is open, jäv can be neither declared, recorded nor withdrawn
    (``recusal_during_vote``): a ballot already cast would stand next to the jäv, and the
    roster the vote was opened with would change under it. Close or void the vote first. A
    person who cast a ballot in a closed vote on the item cannot be recorded as recused on it
    (``recusal_after_ballot``): the minutes would show both; if the jäv is real, the body
    takes the item up again at another meeting."""
    open_vote = Vote.objects.filter(item=item, state=Vote.State.OPEN).values_list(
        "pk", flat=True).first()
    if open_vote is not None:
        raise CommandError(VotingError.RECUSAL_DURING_VOTE, item_id=item.pk, vote_id=open_vote)
    counted = Vote.objects.filter(item=item, state=Vote.State.CLOSED)
    if (
        OpenBallot.objects.filter(vote__in=counted, voter_id=user_id).exists()
        or VoterMark.objects.filter(vote__in=counted, voter_id=user_id).exists()
    ):
        raise CommandError(VotingError.RECUSAL_AFTER_BALLOT, item_id=item.pk, user_id=user_id)


def register() -> None:
    add_item_close_guard(no_open_decision_on)
    add_item_decided_check(has_decision)
    add_recusal_guard(no_recusal_change_during_vote)
