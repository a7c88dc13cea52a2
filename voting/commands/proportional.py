"""Proportional elections (lag 2022:629 om proportionella val i kommuner och regioner).

- **Requests** (2 §): ``election_request_proportional``. A serving, present member who is not
  recused asks for a proportional election on the active item, for a number of seats. Each
  request is counted against the threshold at that moment: the present members now (the
  serving, present, non-recused seats: the list a vote would freeze) ÷ (seats + 1), rounded
  up. The request that reaches it makes the election proportional: that is recorded on the
  request row and in the logged event (``reached``), and stays so.
- **Consequence.** While a reached request is not answered by a closed proportional election
  on the item, ``vote.open`` refuses a majority election there (``proportional_required``).
  Nobody else can make an election proportional: not the chair, not the secretary, and the
  substitutes' election only after the members' was proportional (3 §), on the same item.
- **Ballots.** A proportional ballot is a group label and an ordered list of names (or blank);
  ``proportional_choice`` makes it canonical (Unicode NFC, whitespace collapsed, nothing else
  kept) so identical ballots are identical and no stray detail can mark a ballot.
- **Count.** ``proportional_result`` feeds the secret ballots to ``tally_proportional`` and
  shapes the ``vote.closed`` result the minutes print.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import AgendaItem, Meeting
from meetings.roles import display_name, require_open
from meetings.roster import serving_seats
from voting.commands.common import active_item, require_member_on_item
from voting.errors import VotingError
from voting.events import (
    ProportionalGroup,
    ProportionalLotDrawn,
    ProportionalRequested,
    ProportionalSeat,
    ProportionalVoteResult,
    RegisteredList,
)
from voting.events import VotingEventType as E
from voting.models import ProportionalRequest, Vote
from voting.tally.proportional import MAX_NAMES, ListBallot, required_requests, tally_proportional

MAX_SEATS = 100
MAX_LISTS = 50
MAX_LABEL = 200
MAX_NAME = 200


def _present_members(meeting: Meeting) -> int:
    return sum(1 for s in serving_seats(meeting) if s.may_decide)


def _as_int(value: Any, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=field, minimum=low, maximum=high)
    return value


def reached_request(item: AgendaItem, substitutes: bool) -> ProportionalRequest | None:
    """The request that reached the threshold for this election on the item, if any."""
    for request in ProportionalRequest.objects.filter(item=item, substitutes=substitutes):
        if request.reached:
            return request
    return None


def _held(item: AgendaItem, substitutes: bool) -> bool:
    return Vote.objects.filter(item=item, kind=Vote.Kind.PROPORTIONAL, substitutes=substitutes,
                               state=Vote.State.CLOSED).exists()


def require_majority_election_allowed(item: AgendaItem) -> None:
    """``vote.open`` of a majority election: refused while enough members asked for a
    proportional one on the item and it has not been held."""
    for substitutes in (False, True):
        request = reached_request(item, substitutes)
        if request is not None and not _held(item, substitutes):
            raise CommandError(VotingError.PROPORTIONAL_REQUIRED, item_id=item.pk,
                               seats=request.seats, substitutes=substitutes)


@meeting_command
def election_request_proportional(cmd: CommandContext, *, item_id: int, seats: int,
                                  substitutes: bool = False) -> Emit:
    """A member asks that the election on the active item be held proportionally."""
    meeting = cmd.meeting
    require_open(meeting)
    item = active_item(meeting, item_id)
    require_member_on_item(meeting, cmd.actor)
    seats = _as_int(seats, "seats", 1, MAX_SEATS)
    if not isinstance(substitutes, bool):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="substitutes")
    if Vote.objects.filter(item=item, state=Vote.State.OPEN).exists():
        raise CommandError(VotingError.VOTE_IN_PROGRESS, item_id=item.pk)
    earlier = list(ProportionalRequest.objects.filter(item=item, substitutes=substitutes))
    if any(r.user_id == cmd.user_id for r in earlier):
        raise CommandError(VotingError.PROPORTIONAL_ALREADY_REQUESTED, item_id=item.pk)
    if earlier and earlier[0].seats != seats:
        raise CommandError(VotingError.PROPORTIONAL_SEATS_MISMATCH, seats=earlier[0].seats)
    present = _present_members(meeting)
    required = required_requests(present, seats)
    request = ProportionalRequest.objects.create(
        item=item, user=cmd.user, substitutes=substitutes, seats=seats, present=present,
        required=required, count=len(earlier) + 1,
    )
    return Emit(E.PROPORTIONAL_REQUESTED, ProportionalRequested(
        item_id=item.pk, user_id=cmd.user_id, name=display_name(cmd.actor), seats=seats,
        substitutes=substitutes, present=present, required=required, requests=request.count,
        reached=request.reached or any(r.reached for r in earlier),
    ))


# ------------------------------------------------------------------------- opening


def _text(value: Any, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=field)
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text or len(text) > limit:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=field, maximum=limit)
    return text


def canonical_list(value: Any, field: str) -> RegisteredList:
    """A group label and an ordered list of distinct names, canonical; else refused."""
    if not isinstance(value, dict) or set(value) != {"label", "names"}:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=field,
                           reason="an object with label and names")
    names = value["names"]
    if not isinstance(names, list) or not 1 <= len(names) <= MAX_NAMES:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=f"{field}.names",
                           maximum=MAX_NAMES)
    clean = [_text(n, f"{field}.names", MAX_NAME) for n in names]
    if len(set(clean)) != len(clean):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=f"{field}.names",
                           reason="a name twice")
    return RegisteredList(label=_text(value["label"], f"{field}.label", MAX_LABEL), names=clean)


def check_proportional_open(
    meeting: Meeting, item: AgendaItem, *, seats: Any, substitutes: Any,
    lists: Sequence[Any] | None,
) -> tuple[int, list[RegisteredList]]:
    """``vote.open`` of a proportional election: only where enough members asked for it, for
    the seats they asked for; the substitutes' only after the members' (3 §)."""
    n_seats = _as_int(seats, "seats", 1, MAX_SEATS)
    if not isinstance(substitutes, bool):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="substitutes")
    if substitutes and not _held(item, False):
        raise CommandError(VotingError.PROPORTIONAL_MEMBERS_FIRST, item_id=item.pk)
    request = reached_request(item, substitutes)
    if request is None:
        asked = ProportionalRequest.objects.filter(item=item, substitutes=substitutes).count()
        present = _present_members(meeting)
        raise CommandError(VotingError.PROPORTIONAL_NOT_REQUESTED, requests=asked,
                           required=required_requests(present, n_seats), present=present)
    if request.seats != n_seats:
        raise CommandError(VotingError.PROPORTIONAL_SEATS_MISMATCH, seats=request.seats)
    if lists is not None and (not isinstance(lists, list) or len(lists) > MAX_LISTS):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="lists", maximum=MAX_LISTS)
    registered = [canonical_list(x, "lists") for x in lists or []]
    keys = [(x["label"], tuple(x["names"])) for x in registered]
    if len(set(keys)) != len(keys):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="lists", reason="a list twice")
    return n_seats, registered


# ------------------------------------------------------------------- ballot and count


def proportional_choice(choice: Any) -> RegisteredList | None:
    """A proportional ballot as stored: None (blank) or the canonical label and names, in
    the voter's order (the order is the content); refused with ``invalid_choice``."""
    if choice is None:
        return None
    try:
        return canonical_list(choice, "choice")
    except CommandError as exc:
        raise CommandError(VotingError.INVALID_CHOICE, **exc.details) from None


def proportional_result(vote: Vote, choices: Sequence[Any]) -> ProportionalVoteResult:
    """Count the ballots (already in a random order) by d'Hondt."""
    ballots = [None if c is None else ListBallot(str(c.get("label", "")),
                                                  tuple(map(str, c.get("names") or ())))
               for c in choices]
    r = tally_proportional(ballots, vote.posts or 1)
    labels = {g.key: g.label for g in r.groups}
    # The ballots were counted in a random order: list the groups by votes, then by key.
    ranked = sorted(r.groups, key=lambda g: (-g.votes, g.key))
    groups = [ProportionalGroup(key=g.key, label=g.label, names=list(g.names), votes=g.votes,
                                seats=g.seats, elected=list(g.elected)) for g in ranked]
    elected = list(r.elected)
    # The substitutes group by group (in the order the groups took their first seat), each
    # group's in list order: the order in which they are called in.
    first_seat = list(dict.fromkeys(a.group for a in r.awards))
    by_group = [name for key in first_seat for g in r.groups if g.key == key
                for name in g.elected]
    return ProportionalVoteResult(
        substitutes=vote.substitutes, groups=groups,
        seats=[ProportionalSeat(seat=a.seat, group=a.group, label=labels[a.group], name=a.name,
                                comparison=str(a.comparison), by_lot=a.by_lot)
               for a in r.awards],
        lots=[ProportionalLotDrawn(seat=lot.seat, comparison=str(lot.comparison),
                                   tied=list(lot.tied), drawn=list(lot.drawn)) for lot in r.lots],
        elected=[] if vote.substitutes else elected,
        substitutes_elected=by_group if vote.substitutes else [],
        blank=r.blank, invalid=r.invalid, valid=sum(g.votes for g in r.groups),
        cast=vote.cast_count, eligible_count=vote.eligible_count,
    )
