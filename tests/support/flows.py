"""A whole meeting driven through every meetings command, for tests that check the log itself
(declared shapes, replay). It makes every meetings event type at least once, including the
branches a short test never reaches: a system pause after a lost remote link, jäv with a
one-item substitute, a seat left vacant after someone stepped out."""

from __future__ import annotations

import io
from collections.abc import Callable

from meetings import commands as c
from meetings import setup
from meetings.commands.presence import presence_connect, presence_expire, presence_lose
from meetings.models import Body, SpeakerRequest
from tests.support.committee import UNDECIDED, Committee

Checkpoint = Callable[[str], None]


def _nothing(label: str) -> None:
    return None


def prepare_agenda(k: Committee) -> None:
    """The secretary's agenda work before the meeting, with every ``agenda.*`` event; the
    agenda ends as it began (the four items, in order), so the meeting itself is unchanged."""
    mid, sec = k.meeting.pk, k.secretary
    added = setup.agenda_item_add(meeting_id=mid, actor=sec, title="Extra ärende",
                                  case_number="TN 2026/1", presenter="Anna Berg")
    extra = added.payload["item_id"]
    setup.agenda_item_change(meeting_id=mid, actor=sec, item_id=extra, description="Bakgrund")
    pdf = b"%PDF-1.7\n%test\n"
    attached = setup.attachment_add(meeting_id=mid, actor=sec, item_id=extra, title="Skrivelse",
                                    file_name="skrivelse.pdf", content=io.BytesIO(pdf),
                                    size=len(pdf))
    setup.attachment_remove(meeting_id=mid, actor=sec, item_id=extra,
                            attachment_id=attached.payload["attachment_id"])
    order = [item.pk for item in k.items]
    setup.agenda_reorder(meeting_id=mid, actor=sec, item_ids=[order[1], order[0], extra,
                                                               *order[2:]])
    setup.agenda_reorder(meeting_id=mid, actor=sec, item_ids=[*order[:3], extra, order[3]])
    setup.agenda_item_remove(meeting_id=mid, actor=sec, item_id=extra)


def run_whole_meeting(k: Committee, checkpoint: Checkpoint = _nothing) -> None:
    """Open, attend, handle all four items and adjourn; ``checkpoint(label)`` is called at
    moments worth comparing (an item active with a speech running and requests waiting, a
    one-item substitute serving, ...)."""
    mid, sec = k.meeting.pk, k.secretary
    m0, m1, m2, m3, m4 = k.members
    e1, e2 = k.substitutes
    items = [item.pk for item in k.items]
    Body.objects.filter(pk=k.body.pk).update(remote_ruleset=Body.RemoteRuleset.AUDIO_VIDEO,
                                             speaking_time_seconds=180)

    def by_secretary(person, *, remote: bool = False) -> None:
        c.attendance_check_in(meeting_id=mid, actor=sec, user_id=person.pk, remote=remote)

    def request(person, kind: str = SpeakerRequest.Kind.SPEAK) -> int:
        event = c.speaker_request(meeting_id=mid, actor=person, kind=kind)
        return event.payload["request_id"]

    prepare_agenda(k)
    checkpoint("agenda prepared")
    c.meeting_open(meeting_id=mid, actor=sec, command_id="open")
    checkpoint("opened")
    c.roll_call_start(meeting_id=mid, actor=sec)
    for person in (m0, m1, e1, e2):
        by_secretary(person)
    c.attendance_check_in(meeting_id=mid, actor=m2)  # remote, awaits confirmation
    c.attendance_check_in(meeting_id=mid, actor=m3)
    c.attendance_confirm(meeting_id=mid, actor=sec, user_ids=[m2.pk, m3.pk])
    presence_connect(meeting_id=mid, actor=m3)
    # m2's remote link drops for longer than the grace period: absent, and (audio_video,
    # serving) the system pauses the meeting.
    presence_connect(meeting_id=mid, actor=m2)
    presence_lose(meeting_id=mid, actor=m2)
    presence_expire(meeting_id=mid, user_id=m2.pk)
    checkpoint("link lost")
    c.meeting_resume(meeting_id=mid, actor=sec)
    c.attendance_check_in(meeting_id=mid, actor=m2)
    c.attendance_confirm(meeting_id=mid, actor=sec, user_ids=[m2.pk])
    # m4 is absent: e2 serves seat 5 from the start.
    c.substitute_call_in(meeting_id=mid, actor=sec, seat_number=5, user_id=e2.pk)
    c.agenda_approve(meeting_id=mid, actor=sec)
    c.adjusters_choose(meeting_id=mid, actor=sec, user_ids=[m1.pk, m3.pk])
    c.recusal_declare(meeting_id=mid, actor=m1, item_id=items[1], reason="Jävig")
    checkpoint("before the first item")

    c.item_activate(meeting_id=mid, actor=sec, item_id=items[0])
    c.item_close(meeting_id=mid, actor=sec, item_id=items[0], **UNDECIDED)
    by_secretary(m4)  # late: takes seat 5 back when the next item starts

    c.item_activate(meeting_id=mid, actor=sec, item_id=items[1])
    c.substitute_call_in(meeting_id=mid, actor=sec, seat_number=2, user_id=e1.pk)
    request(m0)
    request(m2)
    request(m3, SpeakerRequest.Kind.REPLY)
    late = request(m4)
    c.speaker_give_floor(meeting_id=mid, actor=sec)  # the reply first
    c.speaker_withdraw(meeting_id=mid, actor=m4, request_id=late)
    c.speaker_give_floor(meeting_id=mid, actor=sec)  # ends the reply, m0 speaks
    c.speaker_time_add(meeting_id=mid, actor=sec, seconds=60)  # a minute more for m0
    c.speaker_done(meeting_id=mid, actor=m0)
    checkpoint("debate")
    made = c.proposal_make(meeting_id=mid, actor=m2, kind="avslag")
    c.proposal_make(meeting_id=mid, actor=sec, kind="andring", text="Ändra punkt 2",
                    on_behalf_of=m3.pk)
    c.proposal_withdraw(meeting_id=mid, actor=m2, proposal_id=made.payload["proposal_id"])
    request(m3)
    c.recusal_record(meeting_id=mid, actor=sec, item_id=items[1], user_id=m3.pk,
                     reason="Släkt")
    c.recusal_withdraw(meeting_id=mid, actor=sec, item_id=items[1], user_id=m3.pk)
    c.meeting_pause(meeting_id=mid, actor=sec, reason="Kaffe")
    c.meeting_resume(meeting_id=mid, actor=sec)
    c.speaker_give_floor(meeting_id=mid, actor=sec)  # m2
    request(m0)
    checkpoint("jäv item with a one-item substitute")
    c.item_close(meeting_id=mid, actor=sec, item_id=items[1], **UNDECIDED)

    # m0 leaves while serving: no växeltjänstgöring, so seat 1 ends up vacant.
    c.attendance_check_out(meeting_id=mid, actor=m0)
    # The chair left: another member presides (no vice chair in this committee).
    c.presiding_change(meeting_id=mid, actor=sec, user_id=m2.pk, reason="chair_left")
    c.substitute_call_in(meeting_id=mid, actor=sec, seat_number=1, user_id=e1.pk)
    c.substitute_release(meeting_id=mid, actor=sec, seat_number=1)
    checkpoint("seat 1 vacant")

    c.item_activate(meeting_id=mid, actor=sec, item_id=items[2])
    c.recusal_declare(meeting_id=mid, actor=m4, item_id=items[2])
    c.substitute_call_in(meeting_id=mid, actor=sec, seat_number=5, user_id=e2.pk)
    checkpoint("recused on the active item")
    c.recusal_withdraw(meeting_id=mid, actor=sec, item_id=items[2], user_id=m4.pk)
    c.item_close(meeting_id=mid, actor=sec, item_id=items[2], **UNDECIDED)
    c.item_activate(meeting_id=mid, actor=sec, item_id=items[3])
    c.item_close(meeting_id=mid, actor=sec, item_id=items[3], **UNDECIDED)
    c.meeting_adjourn(meeting_id=mid, actor=sec)
    checkpoint("adjourned")
