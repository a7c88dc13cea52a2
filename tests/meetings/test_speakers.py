"""The speaker list: who may ask, queue order (replies first), the floor, speaking times."""

from datetime import datetime

from meetings.audiences import speakers_section
from meetings.commands import (
    item_close,
    recusal_declare,
    speaker_done,
    speaker_give_floor,
    speaker_request,
    speaker_time_add,
    speaker_withdraw,
    substitute_call_in,
)
from meetings.models import Body, SpeakerRequest
from meetings.visibility import PUBLIC
from tests.meetings.live import activate, check_in, refused, start
from tests.support.committee import UNDECIDED


def ask(c, who, kind="speak", **kw):
    return speaker_request(meeting_id=c.meeting.pk, actor=who, kind=kind, **kw)


def floor(c, user_id=None):
    return speaker_give_floor(meeting_id=c.meeting.pk, actor=c.secretary, user_id=user_id)


def test_replies_go_first_then_speeches_in_request_order(committee):
    c = committee
    m1, m2, m3 = c.members[1:4]
    start(c)
    activate(c, 1)
    first = ask(c, m1, command_id="ask-1")
    assert first.type == "speaker.requested"
    assert first.payload["requested_seq"] == first.seq
    assert first.payload["queue_position"] == 1
    assert (first.payload["serving"], first.payload["seat"]) == (True, 2)
    assert ask(c, m1, command_id="ask-1").pk == first.pk  # retry: nothing new
    ask(c, m2)
    reply = ask(c, m3, "reply")
    assert reply.payload["queue_position"] == 1
    given = floor(c)
    assert (given.payload["user_id"], given.payload["kind"]) == (m3.pk, "reply")
    assert given.payload["ended"] is None and given.payload["waiting"] == 2
    nxt = floor(c)
    assert nxt.payload["user_id"] == m1.pk
    assert nxt.payload["ended"]["user_id"] == m3.pk
    assert nxt.payload["ended"]["ended_at"] is not None
    assert floor(c).payload["user_id"] == m2.pk
    refused("speaker_list_empty", floor, c)


def test_the_floor_can_go_to_a_chosen_person_who_asked(committee):
    c = committee
    m1, m2 = c.members[1:3]
    start(c)
    activate(c, 1)
    ask(c, m1)
    ask(c, m2)
    assert floor(c, m2.pk).payload["user_id"] == m2.pk
    refused("speaker_request_not_found", floor, c, c.members[3].pk)
    refused("permission_denied", speaker_give_floor, meeting_id=c.meeting.pk, actor=m1)


def test_done_records_the_speaking_time(committee):
    c = committee
    m1, m2 = c.members[1:3]
    mid = start(c)
    activate(c, 1)
    refused("nobody_speaking", speaker_done, meeting_id=mid, actor=c.secretary)
    ask(c, m1)
    floor(c)
    refused("permission_denied", speaker_done, meeting_id=mid, actor=m2)
    event = speaker_done(meeting_id=mid, actor=m1)  # the speaker may end their own speech
    assert event.type == "speaker.done"
    started = datetime.fromisoformat(event.payload["started_at"])
    ended = datetime.fromisoformat(event.payload["ended_at"])
    assert started <= ended
    assert event.payload["duration_seconds"] == int((ended - started).total_seconds())
    row = SpeakerRequest.objects.get(pk=event.payload["request_id"])
    assert row.state == "done" and row.started_at and row.ended_at
    # Asking again after speaking is allowed.
    assert ask(c, m1).type == "speaker.requested"


def test_who_may_ask_to_speak(committee):
    c = committee
    e1, e2 = c.substitutes
    m1 = c.members[1]
    mid = start(c, present=c.members[:4], substitutes=[e1])
    refused("item_not_active", ask, c, m1)
    activate(c, 1)
    assert ask(c, e1).payload["serving"] is False  # the body allows non-serving substitutes
    refused("speaking_not_allowed", ask, c, c.secretary)
    refused("not_a_participant", ask, c, c.outsider)
    refused("not_present", ask, c, c.members[4])
    refused("not_present", ask, c, e2)
    refused("invalid_argument", ask, c, m1, "shout")
    ask(c, m1)
    refused("already_requested", ask, c, m1)
    assert ask(c, m1, "reply").type == "speaker.requested"
    recusal_declare(meeting_id=mid, actor=c.members[2], item_id=c.items[1].pk)
    refused("recused", ask, c, c.members[2])


def test_a_body_may_keep_non_serving_substitutes_silent(committee):
    c = committee
    c.body.substitutes_may_speak = False
    c.body.save()
    e1 = c.substitutes[0]
    start(c, substitutes=[e1])
    activate(c, 1)
    err = refused("speaking_not_allowed", ask, c, e1)
    assert err.details["reason"] == "substitutes_may_not_speak"
    assert ask(c, c.members[1]).type == "speaker.requested"


def test_withdraw_a_request(committee):
    c = committee
    m1, m2 = c.members[1:3]
    mid = start(c)
    activate(c, 1)
    r1 = ask(c, m1).payload["request_id"]
    r2 = ask(c, m2).payload["request_id"]
    refused("permission_denied", speaker_withdraw, meeting_id=mid, actor=m2, request_id=r1)
    event = speaker_withdraw(meeting_id=mid, actor=m1, request_id=r1)
    assert event.type == "speaker.withdrawn" and event.payload["by_self"] is True
    refused("request_not_waiting", speaker_withdraw, meeting_id=mid, actor=m1, request_id=r1)
    refused("speaker_request_not_found", speaker_withdraw, meeting_id=mid, actor=m1,
            request_id=999999)
    by_secretary = speaker_withdraw(meeting_id=mid, actor=c.secretary, request_id=r2)
    assert by_secretary.payload["by_self"] is False
    refused("speaker_list_empty", floor, c)


def test_closing_the_item_ends_the_speech_and_clears_the_list(committee):
    c = committee
    m1, m2 = c.members[1:3]
    mid = start(c)
    activate(c, 1)
    ask(c, m1)
    r2 = ask(c, m2).payload["request_id"]
    floor(c)
    event = item_close(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk, **UNDECIDED)
    assert event.payload["speech_ended"]["user_id"] == m1.pk
    assert event.payload["requests_withdrawn"] == [r2]
    assert not SpeakerRequest.objects.filter(state__in=["waiting", "speaking"]).exists()
    refused("item_not_active", ask, c, m1)


def test_a_late_member_whose_seat_a_substitute_holds_speaks_like_a_substitute(committee):
    c = committee
    late, e1 = c.members[4], c.substitutes[0]
    mid = start(c, present=c.members[:4], substitutes=[e1])
    substitute_call_in(meeting_id=mid, actor=c.secretary, seat_number=5, user_id=e1.pk)
    activate(c, 1)
    check_in(c, late)
    event = ask(c, late)
    assert (event.payload["serving"], event.payload["seat"]) == (False, None)
    c.body.substitutes_may_speak = False
    c.body.save()
    refused("speaking_not_allowed", ask, c, late, "reply")


def current_on_screen(c):
    c.meeting.refresh_from_db()
    return speakers_section(c.meeting, PUBLIC)["current"]


def test_speaking_time_limit_and_added_time(committee):
    c = committee
    m1 = c.members[1]
    start(c)
    activate(c, 1)
    ask(c, m1)
    floor(c)
    # Without a limit there is nothing to add to, and the list carries no limit.
    refused("no_speaking_time_limit", speaker_time_add, meeting_id=c.meeting.pk,
            actor=c.secretary, seconds=60)
    assert current_on_screen(c)["limit_seconds"] is None
    Body.objects.filter(pk=c.body.pk).update(speaking_time_seconds=180)
    current = current_on_screen(c)
    assert current["limit_seconds"] == 180 and current["started_at"]
    # The chair presides and adds time; the secretary may too (as clerk); a member may not.
    added = speaker_time_add(meeting_id=c.meeting.pk, actor=c.chair, seconds=60)
    assert added.type == "speaker.time_added"
    assert (added.payload["user_id"], added.payload["limit_seconds"]) == (m1.pk, 240)
    speaker_time_add(meeting_id=c.meeting.pk, actor=c.secretary, seconds=30)
    refused("not_presiding", speaker_time_add, meeting_id=c.meeting.pk, actor=c.members[2],
            seconds=60)
    for bad in (0, -5, 99_999, "60", True):
        refused("invalid_argument", speaker_time_add, meeting_id=c.meeting.pk,
                actor=c.secretary, seconds=bad)
    assert current_on_screen(c)["limit_seconds"] == 270
    assert SpeakerRequest.objects.get(state="speaking").extra_seconds == 90
    speaker_done(meeting_id=c.meeting.pk, actor=c.secretary)
    refused("nobody_speaking", speaker_time_add, meeting_id=c.meeting.pk, actor=c.chair)
