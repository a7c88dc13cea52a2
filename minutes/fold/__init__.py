"""The fold: the meeting log, event by event, into the minutes' working state.

``HANDLERS`` maps each declared event type the minutes read to one small handler; the modules
are grouped by domain (``attendance``: the meeting, attendance, agenda and seats;
``proposals``: jäv and proposals; ``decisions``: how items are decided; ``review``: the
minutes' own events). An event type without a handler is ignored, so a new command's events
show up in the minutes once a handler is added to the dict of its domain.
"""

from __future__ import annotations

from collections.abc import Iterable

from minutes.fold import attendance, decisions, proposals, review
from minutes.fold.state import FoldState, Handler
from minutes.model import LogEvent, MeetingInfo

HANDLERS: dict[str, Handler] = {
    **attendance.HANDLERS,
    **proposals.HANDLERS,
    **decisions.HANDLERS,
    **review.HANDLERS,
}
#: Handlers that read an event another domain's handler already reads (run after it).
ALSO: dict[str, Handler] = {**decisions.ALSO}


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
