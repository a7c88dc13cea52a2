"""Requests to take part remotely (distansdeltagande), made and decided before the meeting.

Remote participation is allowed only where fullmäktige has decided so for the body
(``Body.remote_ruleset``; KL 5:16, 6:24). Under ``none`` a request is refused at once; under
``chair_ensures`` (prop. 2025/26:164) the fullmäktige presidium may not take part remotely.
The chair or the secretary decides; the decision is logged and shown at the roll call, where
the remote check-in itself is still confirmed as the ruleset requires.
"""

from __future__ import annotations

from django.utils import timezone

from meetings.commands.attendance import presidium_must_attend
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import Body, Meeting, Seat, Substitute
from meetings.refs import PersonRef, person_ref
from notices.commands.checks import is_chair, is_secretary, require_planned
from notices.errors import NoticeError
from notices.events import NoticeEventType, RemoteDecided, RemoteRequested
from notices.models import RemoteRequest


def _ref(user: object) -> PersonRef:
    ref = person_ref(user)  # type: ignore[arg-type]
    assert ref is not None
    return ref


def require_remote_allowed(meeting: Meeting) -> None:
    if meeting.body.remote_ruleset == Body.RemoteRuleset.NONE:
        raise CommandError(ErrorCode.REMOTE_NOT_ALLOWED, ruleset=meeting.body.remote_ruleset)


@meeting_command
def remote_request(cmd: CommandContext) -> Emit:
    """A member or substitute of the body asks, for themselves, to take part remotely."""
    meeting = cmd.meeting
    user = cmd.user
    require_planned(meeting)
    body_id = meeting.body_id
    if not (Seat.objects.filter(body_id=body_id, member=user).exists()
            or Substitute.objects.filter(body_id=body_id, user=user).exists()):
        raise CommandError(NoticeError.NOT_SEAT_HOLDER)
    require_remote_allowed(meeting)
    if presidium_must_attend(meeting, user.pk):
        raise CommandError(ErrorCode.PERMISSION_DENIED, reason="presidium_not_remote")
    if RemoteRequest.objects.filter(meeting=meeting, user=user).exists():
        raise CommandError(NoticeError.REMOTE_ALREADY_REQUESTED)
    request = RemoteRequest.objects.create(meeting=meeting, user=user,
                                           requested_at=timezone.now())
    return Emit(NoticeEventType.REMOTE_REQUESTED,
                RemoteRequested(request_id=request.pk, user=_ref(user)))


@meeting_command
def remote_decide(
    cmd: CommandContext, *, request_id: int, approve: bool, reason: str = ""
) -> Emit:
    """The chair or the secretary approves or refuses a request under the body's ruleset
    (an approval is refused with ``remote_not_allowed`` when the ruleset is ``none``)."""
    meeting = cmd.meeting
    require_planned(meeting)
    if not (is_chair(meeting, cmd.actor) or is_secretary(meeting, cmd.actor)):
        raise CommandError(NoticeError.NOT_CHAIR_OR_SECRETARY)
    try:
        request = RemoteRequest.objects.select_related("user").get(
            pk=int(request_id), meeting=meeting)
    except (RemoteRequest.DoesNotExist, ValueError, TypeError):
        raise CommandError(NoticeError.REMOTE_REQUEST_NOT_FOUND,
                           request_id=request_id) from None
    if request.state != RemoteRequest.State.REQUESTED:
        raise CommandError(NoticeError.REMOTE_ALREADY_DECIDED, state=request.state)
    if approve:
        require_remote_allowed(meeting)
    request.state = (RemoteRequest.State.APPROVED if approve
                     else RemoteRequest.State.REFUSED)
    request.decided_by = cmd.user
    request.reason = reason.strip()[:500]
    request.save(update_fields=["state", "decided_by", "reason"])
    return Emit(NoticeEventType.REMOTE_DECIDED, RemoteDecided(
        request_id=request.pk, user=_ref(request.user), approved=bool(approve),
        by=_ref(cmd.user), reason=request.reason, ruleset=meeting.body.remote_ruleset,
    ))
