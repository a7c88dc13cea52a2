"""The speaker list (talarlista) of the active item.

Replies (replik) go before ordinary speeches; otherwise the queue is in request order, which
is the log ``seq`` of the request event (``requested_seq``). Start and end of every speech
are in the log, so the minutes and statistics can show speaking times.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from meetings.commands.lookup import active_item_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import (
    ClearedRequests,
    SpeakerDone,
    SpeakerFloorGiven,
    SpeakerRequested,
    SpeakerStanding,
    SpeakerTimeAdded,
    SpeakerWithdrawn,
    SpeechRef,
)
from meetings.events import MeetingEventType as E
from meetings.models import AgendaItem, Meeting, Participant, SpeakerRequest
from meetings.presiding import require_presiding
from meetings.roles import (
    Actor,
    display_name,
    may_control,
    query_id,
    require_control,
    require_open,
)
from meetings.roster import (
    present_user_ids,
    recused_user_ids,
    serving_seat_of,
)


def speaker_queue(item: AgendaItem) -> list[SpeakerRequest]:
    """Waiting requests in the order the floor will be given: replies first, then speeches,
    each in request order."""
    waiting = SpeakerRequest.objects.filter(
        item=item, state=SpeakerRequest.State.WAITING
    ).select_related("user")
    return sorted(
        waiting, key=lambda r: (r.kind != SpeakerRequest.Kind.REPLY, r.requested_seq)
    )


def current_speech(item: AgendaItem) -> SpeakerRequest | None:
    return SpeakerRequest.objects.filter(
        item=item, state=SpeakerRequest.State.SPEAKING
    ).select_related("user").first()


def request_ref(request: SpeakerRequest) -> SpeechRef:
    """A request as it appears in payloads: who, what kind, and the times if any."""
    return SpeechRef(
        request_id=request.pk,
        user_id=request.user_id,
        name=display_name(request.user),
        kind=request.kind,
        requested_seq=request.requested_seq,
        started_at=request.started_at.isoformat() if request.started_at else None,
        ended_at=request.ended_at.isoformat() if request.ended_at else None,
        duration_seconds=speech_seconds(request),
    )


def speech_seconds(request: SpeakerRequest) -> int | None:
    if request.started_at is None or request.ended_at is None:
        return None
    return int((request.ended_at - request.started_at).total_seconds())


def end_speech(request: SpeakerRequest) -> SpeechRef:
    request.state = SpeakerRequest.State.DONE
    request.ended_at = timezone.now()
    request.save(update_fields=["state", "ended_at"])
    return request_ref(request)


def clear_requests(item: AgendaItem, user_id: int | None = None) -> ClearedRequests:
    """End the running speech and withdraw waiting requests (of one person, or everyone's).

    Used when an item closes and when someone becomes recused on the active item.
    """
    speech = current_speech(item)
    ended = None
    if speech is not None and (user_id is None or speech.user_id == user_id):
        ended = end_speech(speech)
    waiting = SpeakerRequest.objects.filter(item=item, state=SpeakerRequest.State.WAITING)
    if user_id is not None:
        waiting = waiting.filter(user_id=user_id)
    withdrawn = sorted(waiting.values_list("pk", flat=True))
    waiting.update(state=SpeakerRequest.State.WITHDRAWN)
    return ClearedRequests(speech_ended=ended, requests_withdrawn=withdrawn)


#: Who may ask for the floor at all; the secretary, officials and guests may not.
MAY_SPEAK_ROLES = frozenset({Participant.Role.MEMBER, Participant.Role.SUBSTITUTE})


def require_may_speak(meeting: Meeting, actor: Actor) -> SpeakerStanding:
    """Serving members who are present and not recused; those who do not serve (substitutes,
    or a late member whose seat a substitute holds until the next item) when the body's
    ``substitutes_may_speak`` allows it. Returns how the speaker takes part."""
    user_id = query_id(actor)
    participant = Participant.objects.filter(meeting=meeting, user_id=user_id).first()
    if participant is None:
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    if user_id in recused_user_ids(meeting.active_item_id):
        raise CommandError(ErrorCode.RECUSED, item_id=meeting.active_item_id)
    seat = serving_seat_of(meeting, user_id)
    if participant.role not in MAY_SPEAK_ROLES:
        raise CommandError(ErrorCode.SPEAKING_NOT_ALLOWED, role=participant.role)
    if seat is None and not meeting.body.substitutes_may_speak:
        raise CommandError(ErrorCode.SPEAKING_NOT_ALLOWED, role=participant.role,
                           reason="substitutes_may_not_speak")
    if user_id not in present_user_ids(meeting):
        raise CommandError(ErrorCode.NOT_PRESENT)
    return SpeakerStanding(serving=seat is not None, seat=seat.seat_number if seat else None)


@meeting_command
def speaker_request(cmd: CommandContext, *, kind: str = SpeakerRequest.Kind.SPEAK) -> Emit:
    """Ask for the floor (``speak``) or for a short reply (``reply``, replik)."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting, allow_paused=True)
    if kind not in SpeakerRequest.Kind.values:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="kind",
                           allowed=list(SpeakerRequest.Kind.values))
    item = active_item_of(meeting)
    standing = require_may_speak(meeting, actor)
    if SpeakerRequest.objects.filter(
        item=item, user_id=cmd.user_id, kind=kind,
        state__in=[SpeakerRequest.State.WAITING, SpeakerRequest.State.SPEAKING],
    ).exists():
        raise CommandError(ErrorCode.ALREADY_REQUESTED, kind=kind)
    request = SpeakerRequest.objects.create(
        item=item, user=cmd.user, kind=kind, requested_seq=meeting.last_seq + 1
    )
    return Emit(E.SPEAKER_REQUESTED, SpeakerRequested(
        item_id=item.pk, **request_ref(request), **standing,
        queue_position=[r.pk for r in speaker_queue(item)].index(request.pk) + 1,
    ))


@meeting_command
def speaker_withdraw(cmd: CommandContext, *, request_id: int) -> Emit:
    """Take back a waiting request: the person who asked, or the secretary/chair."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting, allow_paused=True)
    item = active_item_of(meeting)
    request = _request_of(item, request_id)
    if request.user_id != actor.pk and not may_control(meeting, actor):
        raise CommandError(ErrorCode.PERMISSION_DENIED)
    if request.state != SpeakerRequest.State.WAITING:
        raise CommandError(ErrorCode.REQUEST_NOT_WAITING, request_id=request.pk,
                           state=request.state)
    request.state = SpeakerRequest.State.WITHDRAWN
    request.save(update_fields=["state"])
    return Emit(E.SPEAKER_WITHDRAWN, SpeakerWithdrawn(
        item_id=item.pk, **request_ref(request), by_self=request.user_id == actor.pk))


def _request_of(item: AgendaItem, request_id: Any) -> SpeakerRequest:
    try:
        return SpeakerRequest.objects.select_related("user").get(item=item, pk=request_id)
    except (SpeakerRequest.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.SPEAKER_REQUEST_NOT_FOUND, request_id=request_id) from None


@meeting_command
def speaker_give_floor(cmd: CommandContext, *, user_id: int | None = None) -> Emit:
    """Give the floor to the next in the queue (``user_id`` None) or to a person who asked.

    A running speech is ended first and reported in the same event (``ended``), so "next" is
    one action for the chair.
    """
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = active_item_of(meeting)
    queue = speaker_queue(item)
    if user_id is not None:
        queue = [r for r in queue if r.user_id == user_id]
        if not queue:
            raise CommandError(ErrorCode.SPEAKER_REQUEST_NOT_FOUND, user_id=user_id)
    if not queue:
        raise CommandError(ErrorCode.SPEAKER_LIST_EMPTY)
    request = queue[0]
    running = current_speech(item)
    ended = end_speech(running) if running is not None else None
    request.state = SpeakerRequest.State.SPEAKING
    request.started_at = timezone.now()
    request.save(update_fields=["state", "started_at"])
    return Emit(E.SPEAKER_FLOOR_GIVEN, SpeakerFloorGiven(
        item_id=item.pk, **request_ref(request), ended=ended,
        waiting=len(speaker_queue(item)),
    ))


@meeting_command
def speaker_done(cmd: CommandContext) -> Emit:
    """End the running speech: the secretary/chair, or the speaker themselves."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting, allow_paused=True)
    item = active_item_of(meeting)
    running = current_speech(item)
    if running is None:
        raise CommandError(ErrorCode.NOBODY_SPEAKING)
    if running.user_id != actor.pk and not may_control(meeting, actor):
        raise CommandError(ErrorCode.PERMISSION_DENIED)
    return Emit(E.SPEAKER_DONE, SpeakerDone(item_id=item.pk, **end_speech(running)))


#: The most the presiding person adds in one act (a typo of 6000 is not "one more minute").
MAX_ADDED_SECONDS = 30 * 60


def speaking_limit(request: SpeakerRequest, body_limit: int) -> int | None:
    """The speech's limit in seconds (the body's plus what was added), None without a limit."""
    return body_limit + request.extra_seconds if body_limit > 0 else None


@meeting_command
def speaker_time_add(cmd: CommandContext, *, seconds: int = 60) -> Emit:
    """The presiding person (or the secretary as clerk) gives the speaker more time. The
    countdown is computed from the speech's start and this limit, so a reload keeps it."""
    meeting = cmd.meeting
    require_presiding(meeting, cmd.actor, item_act=False)
    require_open(meeting, allow_paused=True)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not (
        0 < seconds <= MAX_ADDED_SECONDS
    ):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="seconds", min=1,
                           max=MAX_ADDED_SECONDS)
    body_limit = meeting.body.speaking_time_seconds
    if body_limit <= 0:
        raise CommandError(ErrorCode.NO_SPEAKING_TIME_LIMIT)
    item = active_item_of(meeting)
    running = current_speech(item)
    if running is None:
        raise CommandError(ErrorCode.NOBODY_SPEAKING)
    running.extra_seconds += seconds
    running.save(update_fields=["extra_seconds"])
    return Emit(E.SPEAKER_TIME_ADDED, SpeakerTimeAdded(
        item_id=item.pk, request_id=running.pk, user_id=running.user_id,
        name=display_name(running.user), seconds=seconds,
        extra_seconds=running.extra_seconds,
        limit_seconds=body_limit + running.extra_seconds, by=display_name(cmd.actor),
    ))
