"""Presence: a participant's live connection, as the realtime layer reports it.

Remote attendance rests on the connection: when a remote participant's last socket drops, the
log says so at once (``presence.lost``); if they are still gone after the body's grace period
(``presence_expire``) they no longer count as present, the quorum is recomputed and — under the
KL 2017 ``audio_video`` ruleset, for a serving member while the meeting is open — the meeting
is paused. Every event carries the active item so the minutes can show who was there for each
decision.

These commands are called by the server, not by clients: the actor is the person whose
connection changed (``None`` for the expiry, which is the system's act). A call that changes
nothing (already connected, reconnected in time, never present) returns ``None`` and logs
nothing, so repeated reports from several tabs or processes are harmless.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from meetings.commands.meeting import pause
from meetings.contract import CommandContext, Emit, optional_meeting_command
from meetings.events import MeetingEventType as E
from meetings.events import PresenceConnected, PresenceExpired, PresenceLost
from meetings.log import NewEvent, append_events, locked_meeting
from meetings.models import Body, Meeting, MeetingEvent, Participant, SeatService
from meetings.quorum import quorum_of
from meetings.roles import display_name, name_of

#: The pause reason logged when a dropped remote link pauses the meeting.
LINK_LOST_REASON = "remote_link_lost"


def grace_seconds(body: Body) -> int:
    """The body's grace period; ``KLUBBA["PRESENCE_GRACE_SECONDS"]`` overrides it (tests)."""
    override = settings.KLUBBA.get("PRESENCE_GRACE_SECONDS")
    return int(str(override)) if override is not None else body.presence_grace_seconds


def _participant(meeting: Meeting, user_id: int | None) -> Participant | None:
    if user_id is None:
        return None
    return (
        Participant.objects.select_related("user").filter(meeting=meeting, user_id=user_id)
        .first()
    )


@optional_meeting_command
def presence_connect(cmd: CommandContext) -> Emit | None:
    """The actor's first socket to an open meeting is up."""
    meeting = cmd.meeting
    if meeting.status != Meeting.Status.OPEN:
        return None
    participant = _participant(meeting, cmd.actor_id)
    if participant is None or participant.connected:
        return None
    participant.connected = True
    participant.save(update_fields=["connected"])
    return Emit(E.PRESENCE_CONNECTED, PresenceConnected(
        user_id=participant.user_id, name=display_name(participant.user),
        role=participant.role, connected=True, present=participant.present,
        remote=participant.remote, item_id=meeting.active_item_id,
    ))


def presence_connect_many(*, meeting_id: int, user_ids: Sequence[int]) -> list[MeetingEvent]:
    """``presence_connect`` for several people at once (the realtime layer batches the
    handshakes of a reconnect storm): one transaction, one meeting lock, one read and one
    write for all of them, and the same ``presence.connected`` event per person that
    ``presence_connect`` logs, with that person as the actor. Someone already connected, or
    not a participant, is skipped, as there."""
    with locked_meeting(meeting_id) as meeting:
        if meeting.status != Meeting.Status.OPEN or not user_ids:
            return []
        order = {user_id: i for i, user_id in enumerate(dict.fromkeys(user_ids))}
        rows = sorted(
            Participant.objects.filter(meeting=meeting, user_id__in=list(order), connected=False)
            .values_list("pk", "user_id", "role", "present", "remote", "user__first_name",
                         "user__last_name", "user__username"),
            key=lambda row: order[row[1]],  # in the order the sockets came up
        )
        if not rows:
            return []
        Participant.objects.filter(pk__in=[row[0] for row in rows]).update(connected=True)
        return append_events(meeting=meeting, with_ids=False, events=[
            NewEvent(type=str(E.PRESENCE_CONNECTED), actor_id=user_id, payload=PresenceConnected(
                user_id=user_id, name=name_of(first, last, username), role=role,
                connected=True, present=present, remote=remote,
                item_id=meeting.active_item_id,
            ))
            for _, user_id, role, present, remote, first, last, username in rows
        ])


@optional_meeting_command
def presence_lose(cmd: CommandContext) -> Emit | None:
    """The actor's last socket closed. Attendance is untouched until the grace period ends."""
    meeting = cmd.meeting
    if meeting.status != Meeting.Status.OPEN:
        return None
    participant = _participant(meeting, cmd.actor_id)
    if participant is None or not participant.connected:
        return None
    participant.connected = False
    participant.save(update_fields=["connected"])
    return Emit(E.PRESENCE_LOST, PresenceLost(
        user_id=participant.user_id, name=display_name(participant.user),
        role=participant.role, connected=False, present=participant.present,
        remote=participant.remote, item_id=meeting.active_item_id,
        grace_seconds=grace_seconds(meeting.body),
    ))


def presence_expire(*, meeting_id: int, user_id: int) -> MeetingEvent | None:
    """The grace period after a drop has passed: a remote participant still gone is absent.

    Someone attending in the room (``remote=False``) stays present: their laptop is not their
    attendance. Under ``audio_video`` a serving member's lost link also pauses an open,
    running meeting (a second event, ``meeting.paused`` with reason ``remote_link_lost``).
    The system acts here, so the events have no actor.
    """
    return _expire(meeting_id=meeting_id, actor=AnonymousUser(), user_id=user_id)


@optional_meeting_command
def _expire(cmd: CommandContext, *, user_id: int) -> list[Emit] | None:
    meeting = cmd.meeting
    if meeting.status != Meeting.Status.OPEN:
        return None
    participant = _participant(meeting, user_id)
    if participant is None or participant.connected:
        return None
    if not (participant.present and participant.remote):
        return None
    was_confirmed = participant.confirmed
    participant.present = False
    participant.confirmed = False
    participant.link_lost = True
    participant.save(update_fields=["present", "confirmed", "link_lost"])
    serving = SeatService.objects.filter(meeting=meeting, user_id=user_id).exists()
    pauses = (
        meeting.body.remote_ruleset == Body.RemoteRuleset.AUDIO_VIDEO
        and serving and not meeting.paused
    )
    emits = [Emit(E.PRESENCE_EXPIRED, PresenceExpired(
        user_id=participant.user_id, name=display_name(participant.user),
        role=participant.role, present=False, confirmed=False,
        was_confirmed=was_confirmed, serving=serving,
        item_id=meeting.active_item_id, quorum=quorum_of(meeting).as_dict(),
        pauses_meeting=pauses,
    ))]
    if pauses:
        emits.append(pause(meeting, reason=LINK_LOST_REASON))
    return emits
