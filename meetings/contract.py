"""The command contract, written once.

Every change to a meeting is a command, and every command does the same five things in one
transaction: lock the meeting row (which keeps ``seq`` contiguous), answer a retried
``command_id`` with the event it already made (or refuse it when another actor used that id),
run its own checks and changes, append its events, and publish them after commit.
``meeting_command`` does all but the checks and changes, so a command body is only those::

    @meeting_command
    def meeting_pause(cmd: CommandContext, *, reason: str = "") -> Emit:
        require_control(cmd.meeting, cmd.actor)
        ...
        return Emit(MeetingEventType.PAUSED, MeetingPaused(reason=reason, item_id=...))

and is called as ``meeting_pause(meeting_id=..., actor=..., reason=..., command_id=...)``.

Commands with other needs (a batch of ballots with its own replay rule, presence reports
from the server) use ``meetings.log.locked_meeting`` and ``emit_all`` directly. Either way
``append_events`` refuses to write outside a locked meeting's contract, so a new command
cannot skip the lock.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.models import User

from meetings.log import NewEvent, append_events, locked_meeting, replayed_event
from meetings.models import Meeting, MeetingEvent
from meetings.roles import Actor, signed_in

P = ParamSpec("P")

@dataclass(frozen=True)
class Emit:
    """An event a command body asks to append: a declared type and its payload shape.

    ``by_system`` marks an event the system causes as a consequence (a pause after a lost
    link): it is logged without the actor and without the command id.
    """

    type: StrEnum
    #: A payload ``TypedDict`` (a Mapping to mypy, not a ``dict[str, Any]``).
    payload: Mapping[str, Any]
    by_system: bool = False


@dataclass(frozen=True)
class CommandContext:
    """What a command body works on: the locked meeting and who acts."""

    meeting: Meeting
    actor: Actor
    command_id: str | None

    @property
    def actor_id(self) -> int | None:
        return getattr(self.actor, "pk", None)

    @property
    def user(self) -> User:
        """The signed-in person who acts. Commands that record who did something (a request
        to speak, a signature) use this; an anonymous actor is refused here."""
        return signed_in(self.actor)

    @property
    def user_id(self) -> int:
        """``user``'s id (refusing an anonymous actor the same way)."""
        return self.user.pk


Emits = Emit | Sequence[Emit]
Outcome = Emits | None


def emit_all(
    ctx: CommandContext, outcome: Outcome, *, with_ids: bool = True
) -> list[MeetingEvent]:
    """Append what a body emitted; the command id goes on the first (the command's own) event."""
    if outcome is None:
        return []
    emits = [outcome] if isinstance(outcome, Emit) else list(outcome)
    new: list[NewEvent] = []
    for emit in emits:
        own = not emit.by_system and not new
        new.append(NewEvent(
            type=str(emit.type), payload=dict(emit.payload),
            actor_id=None if emit.by_system else ctx.actor_id,
            command_id=ctx.command_id if own else None,
        ))
    return append_events(meeting=ctx.meeting, events=new, with_ids=with_ids)


def meeting_command(
    body: Callable[Concatenate[CommandContext, P], Emits],
) -> Callable[..., MeetingEvent]:
    """Wrap a command body in the contract (see the module docstring).

    The command returns its first event (the replayed one on a retry). A ``CommandError``
    from the body rolls everything back; a body that emits nothing is a bug.
    """
    contracted = _contract(body)

    @functools.wraps(contracted)
    def command(**kwargs: Any) -> MeetingEvent:
        event = contracted(**kwargs)
        if event is None:
            raise RuntimeError(f"{body.__name__} emitted no event")
        return event

    command.__signature__ = contracted.__signature__  # type: ignore[attr-defined]
    return command


def optional_meeting_command(
    body: Callable[Concatenate[CommandContext, P], Outcome],
) -> Callable[..., MeetingEvent | None]:
    """``meeting_command`` for a body that may find nothing to do (a presence report from
    the server for someone already connected): the command then logs nothing and returns
    ``None``."""
    return _contract(body)


def _contract(body: Callable[..., Outcome]) -> Callable[..., MeetingEvent | None]:
    own = inspect.signature(body)
    extra = list(own.parameters.values())[1:]
    if any(p.kind is not inspect.Parameter.KEYWORD_ONLY for p in extra):
        raise TypeError(f"{body.__name__}: command arguments must be keyword-only")

    @functools.wraps(body)
    def command(
        *, meeting_id: int, actor: Actor, command_id: str | None = None, **kwargs: Any
    ) -> MeetingEvent | None:
        with locked_meeting(meeting_id) as meeting:
            actor_id = getattr(actor, "pk", None)
            if done := replayed_event(meeting=meeting, command_id=command_id,
                                      actor_id=actor_id):
                return done
            ctx = CommandContext(meeting=meeting, actor=actor, command_id=command_id)
            run: Callable[..., Outcome] = body
            events = emit_all(ctx, run(ctx, **kwargs))
            return events[0] if events else None

    kw = inspect.Parameter.KEYWORD_ONLY
    command.__signature__ = own.replace(  # type: ignore[attr-defined]
        parameters=[
            inspect.Parameter("meeting_id", kw, annotation=int),
            inspect.Parameter("actor", kw, annotation=Actor),
            *extra,
            inspect.Parameter("command_id", kw, default=None, annotation=str | None),
        ],
        return_annotation=MeetingEvent | None,
    )
    command.is_meeting_command = True  # type: ignore[attr-defined]
    return command
