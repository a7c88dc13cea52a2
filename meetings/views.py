"""Pages for people in a meeting: home, the meeting room, the secretary's console, the public
live view, and the JSON state the one JS module (static/klubba/meeting.js) redraws from.

Views only render a page shell plus the state as the audience may see it; every change goes
through the websocket commands (realtime/). Role checks happen here, on the server, before
any page or state is sent: a member who opens the console gets a readable 403 page.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meetings.errors import MESSAGES
from meetings.models import (
    Adjuster,
    Attachment,
    BodyRole,
    Meeting,
    Participant,
    Recusal,
    Seat,
    SpeakerRequest,
    Substitute,
)
from meetings.roles import MeetingRoles, display_name, may_control, roles_in
from meetings.snapshot import meeting_snapshot
from meetings.visibility import PARTICIPANTS, PUBLIC

# --- Who may see what --------------------------------------------------------------------------


def _takes_part(meeting: Meeting, user: Any, roles: MeetingRoles) -> bool:
    """The same rule as the participant socket: the body's people, or a listed participant."""
    return roles.takes_part or Participant.objects.filter(
        meeting=meeting, user_id=user.pk).exists()


def _participant_meeting(request: HttpRequest, meeting_id: int) -> tuple[Meeting, MeetingRoles]:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    roles = roles_in(meeting, request.user)
    if not _takes_part(meeting, request.user, roles):
        raise PermissionDenied(_("You do not take part in this meeting."))
    return meeting, roles


def _console_allowed(meeting: Meeting, user: Any, roles: MeetingRoles) -> bool:
    """The secretary runs the meeting; the chair presides (acclamation, casting vote) and runs
    it too where the body allows it."""
    return may_control(meeting, user) or roles.is_chair


def _public_meeting(meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    if not meeting.is_public:
        raise Http404(_("This meeting is not open to the public."))
    return meeting


# --- State sent to the page --------------------------------------------------------------------


def _proposal_ref(proposal: Any) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {"proposal_id": proposal.pk, "number": proposal.number, "kind": proposal.kind,
            "text": proposal.text}


def _voting_state(meeting: Meeting, audience: str) -> dict[str, Any]:
    """The active item's pending acclamation and latest vote, and the meeting's decisions.

    The voting app has no snapshot section yet; this reads its tables the way its own
    selectors do (``voting.selectors.vote_status``) and respects the audience.
    """
    from voting.models import Acclamation, Decision, PropositionOrder, Vote

    item = meeting.active_item
    hidden = item is None or (audience == PUBLIC and item.confidential)
    state: dict[str, Any] = {"vote": None, "acclamation": None, "order": None}
    if not hidden:
        acclamation = (Acclamation.objects.filter(item=item).select_related(
            "proposal", "counter_proposal").order_by("-number").first())
        if acclamation is not None and acclamation.state != Acclamation.State.TO_VOTE:
            state["acclamation"] = {
                "acclamation_id": acclamation.pk, "state": acclamation.state,
                "outcome": acclamation.outcome,
                "proposal": _proposal_ref(acclamation.proposal),
                "counter_proposal": _proposal_ref(acclamation.counter_proposal),
            }
        order = PropositionOrder.objects.filter(item=item).first()
        if order is not None:
            state["order"] = {"proposal_ids": order.proposal_ids, "approved": order.approved}
        vote = (Vote.objects.filter(item=item).exclude(state=Vote.State.VOID)
                .select_related("main_proposal", "counter_proposal").order_by("-number").first())
        if vote is not None:
            row: dict[str, Any] = {
                "vote_id": vote.pk, "number": vote.number, "kind": vote.kind,
                "state": vote.state, "cast": vote.cast_count,
                "eligible_count": vote.eligible_count,
                "main_proposal": _proposal_ref(vote.main_proposal),
                "counter_proposal": _proposal_ref(vote.counter_proposal),
                "candidates": vote.candidates, "posts": vote.posts,
                "result": vote.result if vote.state == Vote.State.CLOSED else None,
            }
            state["vote"] = row
    decisions = Decision.objects.filter(item__meeting=meeting).select_related("item")
    if audience == PUBLIC:
        decisions = decisions.filter(item__confidential=False)
    state["decisions"] = [
        {"item_id": d.item_id, "paragraph": d.paragraph, "year": d.year, "kind": d.kind,
         "text": d.text}
        for d in decisions.order_by("paragraph")
    ]
    return state


def _documents(meeting: Meeting, audience: str) -> dict[str, list[dict[str, str]]]:
    """The agenda items' documents (handlingar), by item id, as links to the checked view."""
    rows = Attachment.objects.filter(item__meeting=meeting).order_by("item__position", "pk")
    if audience == PUBLIC:
        rows = rows.filter(item__confidential=False)
    documents: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        documents.setdefault(str(row.item_id), []).append({
            "title": row.title,
            "url": reverse("meetings:document", args=[meeting.pk, row.pk]),
        })
    return documents


def _me(meeting: Meeting, user: Any, roles: MeetingRoles) -> dict[str, Any]:
    """Per-user facts the page needs; the snapshot is per audience, never per person."""
    participant = Participant.objects.filter(meeting=meeting, user_id=user.pk).first()
    waiting = None
    if meeting.active_item_id:
        request = SpeakerRequest.objects.filter(
            item_id=meeting.active_item_id, user_id=user.pk,
            state__in=[SpeakerRequest.State.WAITING, SpeakerRequest.State.SPEAKING],
        ).order_by("-pk").first()
        if request is not None:
            waiting = {"request_id": request.pk, "state": request.state, "kind": request.kind}
    return {
        "user_id": user.pk,
        "name": display_name(user),
        "is_secretary": roles.is_secretary,
        "is_chair": roles.is_chair,
        "seat_number": roles.seat_number,
        "substitute_order": roles.substitute_order,
        "may_control": may_control(meeting, user),
        "remote_allowed": meeting.body.remote_allowed,
        "participant": None if participant is None else {
            "role": participant.role, "present": participant.present,
            "remote": participant.remote, "confirmed": participant.confirmed,
        },
        "recused_item_ids": list(Recusal.objects.filter(
            item__meeting=meeting, user_id=user.pk).values_list("item_id", flat=True)),
        "speaker_request": waiting,
    }


def _my_ballot(vote: dict[str, Any], user: Any) -> dict[str, bool]:
    """Whether this person may vote in the vote, and has (the only per-user part of a vote)."""
    from voting.models import Eligibility, OpenBallot, VoterMark

    ballots = OpenBallot if vote["kind"] == "open" else VoterMark
    return {
        "eligible": Eligibility.objects.filter(vote_id=vote["vote_id"], user_id=user.pk).exists(),
        "voted": ballots.objects.filter(vote_id=vote["vote_id"], voter_id=user.pk).exists(),
    }


#: Seconds a rendered audience state stays cached. It is keyed by the log's head, so events
#: never make it stale; the short life covers what changes without an event (an agenda text
#: fixed in the admin) while still absorbing the burst of re-reads every event causes.
STATE_CACHE_SECONDS = 2


def meeting_state(meeting: Meeting, audience: str, user: Any = None,
                  roles: MeetingRoles | None = None) -> dict[str, Any]:
    """Snapshot plus ``panel`` for the audience, and ``me`` for a participant.

    Every page re-reads this after events, so the audience part (the same for everyone who
    sees it) is built once per log ``seq`` and cached: the snapshot takes the meeting row lock
    that every command needs, and hundreds of viewers must not queue on it once per event.
    ``meeting_snapshot`` holds the lock inside the outer transaction until ``panel`` is read,
    so both belong to the same ``seq``. The per-person part is read after it, without a lock.
    """
    def key(seq: int, head_hash: str) -> str:
        return f"klubba:state:{meeting.pk}:{audience}:{seq}:{head_hash[:16]}"

    seq, head_hash = Meeting.objects.filter(pk=meeting.pk).values_list(
        "last_seq", "last_hash").get()
    shared = cache.get(key(seq, head_hash))
    if shared is None:
        with transaction.atomic():
            shared = meeting_snapshot(meeting.pk, audience)
            locked = Meeting.objects.select_related("body", "active_item").get(pk=meeting.pk)
            shared["panel"] = _voting_state(locked, audience)
            shared["documents"] = _documents(locked, audience)
        cache.set(key(shared["seq"], locked.last_hash), shared, STATE_CACHE_SECONDS)
    state = copy.deepcopy(shared)
    if audience == PARTICIPANTS and user is not None and roles is not None:
        current = Meeting.objects.select_related("body").get(pk=meeting.pk)
        state["me"] = _me(current, user, roles)
        if state["panel"]["vote"] is not None:
            state["panel"]["vote"]["me"] = _my_ballot(state["panel"]["vote"], user)
    return state


def _ui_text() -> dict[str, Any]:
    """Texts the JS module shows, in the request's language (the module has none of its own)."""
    return {
        "errors": {str(code): str(message) for code, message in MESSAGES.items()},
        "internal_error": _("Something went wrong. Nothing was changed."),
        "connected": _("Connected"),
        "connecting": _("Connecting…"),
        "disconnected": _("Connection lost. Reconnecting…"),
        "missed": _("(missed while the connection was down)"),
        "reconnected": _("Connection restored. Caught up with %(n)s events you missed."),
        "vote_opened": _("A vote has opened: %(q)s"),
        "vote_closed": _("The vote has closed."),
        "your_turn": _("It is your turn to speak."),
        "item_activated": _("Now handling: %(t)s"),
        "ballot_registered": _("Your ballot is registered."),
        "done": _("Done."),
        "n_of_m": _("%(n)s of %(m)s have voted"),
        "yes": _("Yes"), "no": _("No"), "abstain": _("Abstain"),
        "paused": _("The meeting is paused."),
        "adjourned": _("The meeting is adjourned."),
        "planned": _("The meeting has not been opened yet."),
        "open": _("The meeting is open."),
        "quorum_ok": _("Quorum: %(p)s of %(r)s required seats are served by members present."),
        "quorum_no": _("No quorum: %(p)s present, %(r)s required."),
        "none": _("None"),
        "nobody": _("Nobody"),
        "present": _("Present"), "absent": _("Absent"),
        "remote": _("Remote"), "in_room": _("In the room"),
        "confirmed": _("Confirmed"), "unconfirmed": _("Not confirmed"),
        "connection_up": _("Connected"), "connection_down": _("Not connected"),
        "serving_seat": _("You serve seat %(n)s."),
        "substitute": _("You are a substitute and do not serve now."),
        "recused": _("You have declared a conflict of interest (jäv) on this item."),
        "not_checked_in": _("You have not checked in."),
        "checked_in_unconfirmed": _("You are checked in; the secretary has not confirmed yet."),
        "checked_in": _("You are present."),
        "no_active_item": _("No item is being handled right now."),
        "has_floor": _("Has the floor: %(n)s"),
        "result": _("Result: %(ja)s yes, %(nej)s no, %(avstar)s abstain."),
        "outcome": {"ja": _("Yes won."), "nej": _("No won."), "tie": _("Tie.")},
        "receipt": _("Your receipt code: %(c)s"),
        "decision": _("Decision § %(p)s: %(t)s"),
        "acclamation_q": _("The chair asks: can the meeting approve “%(p)s”?"),
        "proposal": _("Proposal %(n)s"),
        "prepared": _("prepared proposal"),
        "secret": _("Secret ballot"),
        "open_vote": _("Open vote"),
        "question_against": _("Yes = proposal %(a)s, No = proposal %(b)s"),
        "question_single": _("Yes = approve proposal %(a)s, No = reject it"),
        "call_in": _("Call in"), "release": _("Release"), "confirm": _("Confirm"),
        "check_in": _("Check in"), "check_out": _("Check out"),
        "activate": _("Activate"), "close": _("Close"),
        "withdraw": _("Withdraw"), "give_floor": _("Give the floor"),
        "record_jav": _("Record jäv"), "withdraw_jav": _("Withdraw jäv"),
        "put": _("Put to acclamation"), "vote_on": _("Vote on"),
        "waiting": _("waiting"), "speaking": _("speaking"),
        "reply": _("reply"),
        "substitute_short": _("substitute"),
        "request_vote": _("Ask for a vote (votering)"),
        "election": _("Election"),
        "cast_election": _("Cast my ballot"),
        "choose_up_to": _("Choose at most %(n)s. No choice is a blank ballot."),
        "elected": _("Elected: %(names)s"),
        "reserve": _("Register a reservation against this decision"),
        "kontra_step": _("Kontraproposition step %(n)s: proposal %(a)s against proposal %(b)s."),
        "state": {"pending": _("Not yet handled"), "active": _("Being handled"),
                  "closed": _("Handled")},
        "event": _event_texts(),
        "kinds": {
            "prepared": _("Prepared proposal"), "bifall": _("Approve"),
            "avslag": _("Reject"), "andring": _("Amendment"), "tillagg": _("Addition"),
            "aterremiss": _("Refer back"), "bordlaggning": _("Table"),
        },
        "roles": {"member": _("Member (ledamot)"), "substitute": _("Substitute (ersättare)"),
                  "secretary": _("Secretary"), "official": _("Official (tjänsteperson)"),
                  "guest": _("Guest")},
        "roster_reason": {"absent": _("absent"), "recused": _("jäv"), "vacant": _("vacant")},
    }


def _event_texts() -> dict[str, str]:
    """One line per event type for the 'what happened' list."""
    return {
        "meeting.opened": _("The meeting was opened."),
        "meeting.paused": _("The meeting was paused."),
        "meeting.resumed": _("The meeting was resumed."),
        "meeting.adjourned": _("The meeting was adjourned."),
        "roll_call.started": _("Roll call started."),
        "attendance.checked_in": _("%(name)s checked in."),
        "attendance.checked_out": _("%(name)s checked out."),
        "attendance.confirmed": _("Attendance confirmed."),
        "agenda.approved": _("The agenda was approved."),
        "adjusters.chosen": _("Adjusters were chosen."),
        "item.activated": _("Item %(title)s is being handled."),
        "item.closed": _("Item %(title)s was closed."),
        "substitute.called_in": _("A substitute was called in."),
        "substitute.released": _("A substitute was released."),
        "recusal.declared": _("%(name)s declared jäv."),
        "recusal.recorded": _("Jäv was recorded for %(name)s."),
        "recusal.withdrawn": _("Jäv was withdrawn for %(name)s."),
        "speaker.requested": _("%(name)s asked to speak."),
        "speaker.withdrawn": _("A speaker request was withdrawn."),
        "speaker.floor_given": _("%(name)s has the floor."),
        "speaker.done": _("The speaker is done."),
        "proposal.made": _("A proposal was made."),
        "proposal.withdrawn": _("A proposal was withdrawn."),
        "proposition_order.set": _("The order of proposals was set."),
        "proposition_order.approved": _("The order of proposals was approved."),
        "acclamation.put": _("A proposal was put to acclamation."),
        "vote.requested": _("A vote was requested."),
        "acclamation.decided": _("Decided by acclamation."),
        "vote.opened": _("A vote was opened."),
        "ballot.cast": _("A ballot was cast."),
        "vote.closed": _("The vote was closed."),
        "vote.voided": _("The vote was voided."),
        "decision.recorded": _("Decision § %(paragraph)s was recorded."),
        "reservation.registered": _("A reservation was registered."),
        "minutes.locked": _("The minutes were locked."),
        "minutes.signed": _("%(name)s signed the minutes."),
        "minutes.posted": _("The minutes were posted."),
        "presence.lost": _("A connection was lost."),
        "presence.connected": _("A participant connected."),
        "presence.expired": _("A participant's connection expired."),
        "quorum.changed": _("The quorum changed."),
        "redacted": _("(Not public.)"),
        "other": _("Something happened (%(type)s)."),
    }


def _page_context(meeting: Meeting, state: dict[str, Any], *, socket_path: str,
                  state_url: str, page: str) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "config": {"page": page, "meeting_id": meeting.pk, "socket": socket_path,
                   "state_url": state_url},
        "initial_state": state,
        "ui_text": _ui_text(),
    }


# --- Pages -------------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous: what Klubba is. Logged in: my meetings, upcoming and past, per body."""
    context: dict[str, Any] = {}
    public_live = Meeting.objects.filter(
        is_public=True, status=Meeting.Status.OPEN).select_related("body").order_by("starts_at")
    context["public_live"] = public_live[:20]
    if request.user.is_authenticated:
        uid = request.user.pk
        body_ids = set(BodyRole.objects.filter(user_id=uid).values_list("body_id", flat=True))
        body_ids |= set(Seat.objects.filter(member_id=uid).values_list("body_id", flat=True))
        body_ids |= set(Substitute.objects.filter(user_id=uid).values_list("body_id", flat=True))
        meetings = Meeting.objects.filter(
            Q(body_id__in=body_ids) | Q(participants__user_id=uid)
        ).distinct().select_related("body").order_by("starts_at")
        offices = list(BodyRole.objects.filter(
            user_id=uid, role__in=[BodyRole.Role.SECRETARY, BodyRole.Role.CHAIR]
        ).select_related("body"))
        console = {o.body_id for o in offices}
        review = {o.body_id for o in offices if o.role == BodyRole.Role.SECRETARY
                  or o.body.chair_controls_meeting}
        chairs = {o.body_id for o in offices if o.role == BodyRole.Role.CHAIR}
        adjusting = set(Adjuster.objects.filter(user_id=uid).values_list("meeting_id", flat=True))
        now = timezone.now()
        groups: dict[str, dict[str, list]] = {}
        for m in meetings:
            past = m.status == Meeting.Status.ADJOURNED or (
                m.status == Meeting.Status.PLANNED and m.starts_at < now - timedelta(days=1)
            )
            group = groups.setdefault(m.body.name, {"upcoming": [], "past": []})
            group["past" if past else "upcoming"].append({
                "meeting": m, "console": m.body_id in console, "review": m.body_id in review,
                "signs": m.body_id in chairs or m.pk in adjusting,
            })
        for group in groups.values():
            group["past"].reverse()
        context["groups"] = sorted(groups.items())
    return render(request, "home.html", context)


@never_cache
@login_required
def meeting_room(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, roles = _participant_meeting(request, meeting_id)
    state = meeting_state(meeting, PARTICIPANTS, request.user, roles)
    context = _page_context(
        meeting, state, socket_path=f"/ws/meetings/{meeting.pk}/",
        state_url=reverse("meetings:state", args=[meeting.pk]), page="room",
    )
    context["show_console_link"] = _console_allowed(meeting, request.user, roles)
    return render(request, "meetings/room.html", context)


@never_cache
@login_required
def console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, roles = _participant_meeting(request, meeting_id)
    if not _console_allowed(meeting, request.user, roles):
        raise PermissionDenied(_("Only the secretary and the chair can open the console."))
    state = meeting_state(meeting, PARTICIPANTS, request.user, roles)
    context = _page_context(
        meeting, state, socket_path=f"/ws/meetings/{meeting.pk}/",
        state_url=reverse("meetings:state", args=[meeting.pk]), page="console",
    )
    context["may_control"] = may_control(meeting, request.user)
    return render(request, "meetings/console.html", context)


@never_cache
@login_required
@require_GET
def state(request: HttpRequest, meeting_id: int) -> JsonResponse:
    """The participant state, for the page to redraw after events (same checks as the page)."""
    meeting, roles = _participant_meeting(request, meeting_id)
    return JsonResponse(meeting_state(meeting, PARTICIPANTS, request.user, roles))


@never_cache
@require_GET
def public_live(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _public_meeting(meeting_id)
    state = meeting_state(meeting, PUBLIC)
    context = _page_context(
        meeting, state, socket_path=f"/ws/public/meetings/{meeting.pk}/",
        state_url=reverse("meetings:public_state", args=[meeting.pk]), page="public",
    )
    return render(request, "meetings/public_live.html", context)


@never_cache
@require_GET
def public_state(request: HttpRequest, meeting_id: int) -> JsonResponse:
    meeting = _public_meeting(meeting_id)
    return JsonResponse(meeting_state(meeting, PUBLIC))


@require_GET
def document(request: HttpRequest, meeting_id: int, attachment_id: int) -> FileResponse:
    """An item's document: for the meeting's people; for anyone when the meeting is public
    and the item is not confidential (sekretess). Never by a guessable media URL alone."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    attachment = get_object_or_404(
        Attachment.objects.select_related("item"), pk=attachment_id, item__meeting=meeting)
    user = request.user
    allowed = user.is_authenticated and _takes_part(meeting, user, roles_in(meeting, user))
    if not allowed and not (meeting.is_public and not attachment.item.confidential):
        if user.is_authenticated:
            raise PermissionDenied(_("You do not take part in this meeting."))
        raise Http404(_("There is no such document."))
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("There is no such document.")) from None
    return FileResponse(handle, as_attachment=False,
                        filename=attachment.file.name.rsplit("/", 1)[-1])
