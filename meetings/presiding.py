"""Who presides (domain.md "Who presides"): meeting state, changed only by a logged act.

The body's chair presides by default. Someone else presides only through ``presiding_change``
(``presiding.changed``) while the chair is absent, has left or is recused on the active item:
the first or second vice chair in order, or under the body's ``presiding_succession`` the
longest-serving member (ålderspresident, KL 5:12; age breaks a tie), whom the secretary
names (Klubba does not know terms served or ages). When
the reason ends (the chair is back, or the item they were recused on is over) or the chair
comes to be recused on the active item while presiding, the presiding acts wait for the
handover (``presiding_handover_required``), which the secretary makes with one command.

Only the presiding person decides acclamations, closes votes, gives the casting vote and
allows protocol notes; the secretary may perform these acts as the presiding person's clerk
(the events name the presiding person in ``on_behalf_of``). A chair or vice chair who does not
preside may not (``not_presiding``).
"""

from __future__ import annotations

from dataclasses import dataclass

from meetings.errors import CommandError, ErrorCode
from meetings.models import BodyRole, Meeting, Participant, Recusal
from meetings.refs import PersonRef
from meetings.roles import Actor, name_of, roles_in

#: Why someone other than the chair presides (``presiding.changed`` ``reason``).
CHAIR_ABSENT = "chair_absent"
CHAIR_LEFT = "chair_left"
CHAIR_RECUSED = "chair_recused"
#: The chair takes the gavel back.
CHAIR_RETURNED = "chair_returned"
STAND_IN_REASONS = (CHAIR_ABSENT, CHAIR_LEFT, CHAIR_RECUSED)


@dataclass(frozen=True)
class Presiding:
    """Who presides now, and whether they may act (``handover`` names why not)."""

    user_id: int | None
    name: str
    office: str  # "chair" | "vice_chair" | "member" | "" (nobody)
    reason: str  # "" for the chair, else one of STAND_IN_REASONS
    handover: str | None = None

    def ref(self) -> PersonRef | None:
        return PersonRef(user_id=self.user_id, name=self.name) if self.user_id else None

    def as_dict(self) -> dict[str, object]:
        return {"user_id": self.user_id, "name": self.name, "office": self.office,
                "reason": self.reason, "handover": self.handover}


def chair_id(meeting: Meeting) -> int | None:
    return (BodyRole.objects.filter(body_id=meeting.body_id, role=BodyRole.Role.CHAIR)
            .order_by("pk").values_list("user_id", flat=True).first())


def vice_chair_ids(meeting: Meeting) -> list[int]:
    """The vice chairs in order (first, second): the order the offices were recorded."""
    return list(BodyRole.objects.filter(body_id=meeting.body_id, role=BodyRole.Role.VICE_CHAIR)
                .order_by("pk").values_list("user_id", flat=True))


def is_present(meeting: Meeting, user_id: int | None) -> bool:
    return user_id is not None and Participant.objects.filter(
        meeting=meeting, user_id=user_id, present=True, confirmed=True).exists()


def is_recused_now(meeting: Meeting, user_id: int | None) -> bool:
    return user_id is not None and meeting.active_item_id is not None and (
        Recusal.objects.filter(item_id=meeting.active_item_id, user_id=user_id).exists())


def may_stand_in(meeting: Meeting) -> str | None:
    """Why the chair cannot preside now (a stand-in reason), or None if the chair can."""
    chair = chair_id(meeting)
    if chair is None or not is_present(meeting, chair):
        left = chair is not None and Participant.objects.filter(
            meeting=meeting, user_id=chair, stepped_out=True).exists()
        return CHAIR_LEFT if left else CHAIR_ABSENT
    if is_recused_now(meeting, chair):
        return CHAIR_RECUSED
    return None


def _name(user_id: int) -> str:
    from django.contrib.auth.models import User

    row = User.objects.filter(pk=user_id).values_list("first_name", "last_name",
                                                       "username").first()
    return name_of(*row) if row else f"#{user_id}"


def presiding_of(meeting: Meeting) -> Presiding:
    """Who presides over the meeting now, and whether a handover is due first."""
    chair = chair_id(meeting)
    stand_in = meeting.presiding_id if meeting.presiding_id != chair else None
    if stand_in is None:
        if chair is None:
            return Presiding(None, "", "", CHAIR_ABSENT, handover=CHAIR_ABSENT)
        why = may_stand_in(meeting)
        # Before the roll call the chair is not yet noted present: nothing is decided then,
        # and opening needs no handover. A recusal on the active item always does.
        if why == CHAIR_RECUSED or (why and meeting.active_item_id is not None):
            return Presiding(chair, _name(chair), "chair", "", handover=why)
        return Presiding(chair, _name(chair), "chair", "")
    office = "vice_chair" if stand_in in vice_chair_ids(meeting) else "member"
    handover = None
    if may_stand_in(meeting) is None:
        handover = CHAIR_RETURNED
    elif not is_present(meeting, stand_in) or is_recused_now(meeting, stand_in):
        handover = "presiding_unavailable"
    return Presiding(stand_in, _name(stand_in), office, meeting.presiding_reason,
                     handover=handover)


def require_presiding(
    meeting: Meeting, actor: Actor, *, item_act: bool = True
) -> PersonRef | None:
    """The check for a presiding act (put, gavel, close, casting vote, protocol note, and
    under ``chair_ensures`` the confirmation of a remote participant).

    Returns the presiding person as ``on_behalf_of`` when the secretary acts as their clerk,
    None when the presiding person acts. Refuses with ``presiding_handover_required`` while
    the presiding person may not lead the item, and ``not_presiding`` for anyone else. An act
    that is not about the item (``item_act=False``: confirming who takes part remotely) is
    not held up by a pending handover: a remote stand-in must be confirmed before the gavel
    can pass to them."""
    presiding = presiding_of(meeting)
    user_id = getattr(actor, "pk", None)
    is_clerk = roles_in(meeting, actor).is_secretary
    if user_id is None or not (user_id == presiding.user_id or is_clerk):
        raise CommandError(ErrorCode.NOT_PRESIDING, presiding=presiding.ref())
    if presiding.handover is not None and item_act:
        raise CommandError(ErrorCode.PRESIDING_HANDOVER_REQUIRED, presiding=presiding.ref(),
                           reason=presiding.handover)
    return None if user_id == presiding.user_id else presiding.ref()


def presides(meeting: Meeting, actor: Actor) -> bool:
    """Is ``actor`` the presiding person (able to act) now?"""
    presiding = presiding_of(meeting)
    return presiding.handover is None and presiding.user_id == getattr(actor, "pk", None)
