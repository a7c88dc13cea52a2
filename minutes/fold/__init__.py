"""The fold: the meeting log, event by event, into the minutes' working state.

``HANDLERS`` maps each declared event type the minutes read to one small handler; the modules
are grouped by domain (``attendance``: the meeting, attendance, agenda and seats;
``proposals``: jäv and proposals; ``decisions``: how items are decided; ``review``: the
minutes' own events). An event type without a handler is ignored, so a new command's events
show up in the minutes once a handler is added to the dict of its domain.
"""

from __future__ import annotations

from collections.abc import Iterable

from minutes.fold import attendance, decisions, presence, proposals, review
from minutes.fold.state import FoldState, Handler
from minutes.model import LogEvent, MeetingInfo
from voting.events import VotingEventType

HANDLERS: dict[str, Handler] = {
    **attendance.HANDLERS,
    **presence.HANDLERS,
    **proposals.HANDLERS,
    **decisions.HANDLERS,
    **review.HANDLERS,
}
#: Handlers that read an event another domain's handler already reads (run after it).
ALSO: dict[str, Handler] = {**decisions.ALSO}


def _then(first: Handler | None, after: Handler) -> Handler:
    def both(state: FoldState, event: LogEvent) -> None:
        if first is not None:
            first(state, event)
        after(state, event)
    return both


#: A decision on a § also tells whether a member whose link dropped took part in it.
for _type in (VotingEventType.ACCLAMATION_DECIDED, VotingEventType.VOTE_CLOSED,
              VotingEventType.DECISION_RECORDED):
    HANDLERS[_type] = _then(HANDLERS.get(_type), presence.on_decision)


def fold_into(state: FoldState, events: Iterable[LogEvent]) -> FoldState:
    """Fold more events (in seq order) into ``state``, in place."""
    for event in events:
        state.last = event
        handle = HANDLERS.get(event.type)
        if handle is not None:
            handle(state, event)
        also = ALSO.get(event.type)
        if also is not None:
            also(state, event)
    return state


def fold_log(info: MeetingInfo, events: Iterable[LogEvent]) -> FoldState:
    """The state after folding ``events`` from the start of the meeting."""
    return fold_into(FoldState(info=info, items={i.item_id: i for i in info.items}), events)


__all__ = ["HANDLERS", "FoldState", "fold_into", "fold_log"]
