"""What participants and the public see of the live-meeting events and state."""

from meetings.commands import (
    proposal_make,
    recusal_declare,
    speaker_give_floor,
    speaker_request,
)
from meetings.snapshot import meeting_snapshot
from meetings.visibility import PARTICIPANTS, PUBLIC, confidential_item_ids, visible_event
from tests.meetings.live import activate, close, start


def seen(event, audience):
    return visible_event(event.type, event.payload, audience,
                         confidential_item_ids(event.meeting_id))


def test_snapshot_has_speaker_list_proposals_and_roster_proposals(committee):
    c = committee
    e1 = c.substitutes[0]
    mid = start(c, present=c.members[:4], substitutes=[e1])
    activate(c, 1)
    speaker_request(meeting_id=mid, actor=c.members[1])
    speaker_request(meeting_id=mid, actor=c.members[2])
    speaker_request(meeting_id=mid, actor=c.members[3], kind="reply")
    speaker_give_floor(meeting_id=mid, actor=c.secretary)
    proposal_make(meeting_id=mid, actor=c.members[1], kind="avslag")
    snap = meeting_snapshot(mid, PARTICIPANTS)
    assert snap["speakers"]["current"]["user_id"] == c.members[3].pk
    assert [r["user_id"] for r in snap["speakers"]["queue"]] == [c.members[1].pk,
                                                                 c.members[2].pk]
    assert [(p["number"], p["kind"]) for p in snap["proposals"]] == [(1, "prepared"),
                                                                     (2, "avslag")]
    assert [(r["seat_number"], r["substitute_user_id"]) for r in snap["roster_proposals"]] == [
        (5, e1.pk)]
    public = meeting_snapshot(mid, PUBLIC)
    assert public["proposals"] == snap["proposals"]
    assert public["roster_proposals"] == []


def test_the_public_sees_nothing_of_a_confidential_item(committee):
    c = committee
    mid = start(c)
    recused = recusal_declare(meeting_id=mid, actor=c.members[1], item_id=c.items[3].pk,
                              reason="Jag är part")
    assert seen(recused, PUBLIC).type == "redacted"
    activate(c, 3)  # the confidential item
    made = proposal_make(meeting_id=mid, actor=c.members[2], kind="avslag")
    asked = speaker_request(meeting_id=mid, actor=c.members[2])
    assert seen(made, PUBLIC).type == "redacted"
    assert seen(asked, PUBLIC).type == "redacted"
    assert seen(made, PARTICIPANTS).data["text"] == "Avslag på beslutsförslaget"
    snap = meeting_snapshot(mid, PUBLIC)
    assert snap["speakers"] is None and snap["proposals"] == []
    assert meeting_snapshot(mid, PARTICIPANTS)["proposals"][1]["kind"] == "avslag"


def test_the_public_sees_jav_on_an_open_item_without_the_reason(committee):
    c = committee
    mid = start(c)
    event = recusal_declare(meeting_id=mid, actor=c.members[1], item_id=c.items[1].pk,
                            reason="Närstående till sökanden")
    public = seen(event, PUBLIC)
    assert public.type == "recusal.declared"
    assert public.data["user_id"] == c.members[1].pk and "reason" not in public.data
    assert seen(event, PARTICIPANTS).data["reason"] == "Närstående till sökanden"
    activate(c, 1)
    closed = close(c, 1)
    assert seen(closed, PUBLIC).type == "item.closed"
