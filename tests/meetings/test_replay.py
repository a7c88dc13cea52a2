"""Replay: every read table of the meetings app, rebuilt from the log alone, equals what the
commands kept. This is the proof that the log is the source of truth (issue 11, item 6)."""

from __future__ import annotations

import pytest

from meetings.commands import attendance_check_in, item_activate, item_close, meeting_open
from meetings.models import AgendaItem, MeetingEvent, Participant, SeatService
from meetings.replay import MeetingState, project, project_log, tables_state
from tests.support.committee import roll_call_and_agenda
from tests.support.flows import run_whole_meeting
from voting.commands import acclamation_decide, acclamation_put, decision_record


def _compare(meeting_id: int, label: str) -> MeetingState:
    replayed, kept = project_log(meeting_id), tables_state(meeting_id)
    for name in MeetingState.__dataclass_fields__:
        assert getattr(replayed, name) == getattr(kept, name), f"{label}: {name} differs"
    assert replayed == kept
    return replayed


def test_a_whole_meeting_replays_to_its_tables_at_every_step(committee):
    seen: dict[str, MeetingState] = {}

    def checkpoint(label: str) -> None:
        seen[label] = _compare(committee.meeting.pk, label)

    run_whole_meeting(committee, checkpoint)
    # The comparisons were not vacuous: the interesting states were really reached.
    debate = seen["debate"]
    assert {s.state for s in debate.speeches.values()} >= {"waiting", "done", "withdrawn"}
    jav = seen["jäv item with a one-item substitute"]
    assert any(s.only_item_id for s in jav.seats.values()) and jav.recusals
    assert seen["seat 1 vacant"].seats[1].user_id is None
    assert seen["link lost"].paused is True
    end = seen["adjourned"]
    assert end.status == "adjourned" and len(end.adjusters) == 2
    assert all(item.state == "closed" and item.paragraph for item in end.items.values())
    assert any(p.withdrawn for p in end.proposals.values())


def test_the_projection_notices_a_table_changed_without_an_event(committee):
    c = committee
    run_whole_meeting(c)
    assert project_log(c.meeting.pk) == tables_state(c.meeting.pk)
    Participant.objects.filter(meeting=c.meeting, user=c.members[1]).update(remote=True)
    assert project_log(c.meeting.pk) != tables_state(c.meeting.pk)


def test_the_roster_before_the_first_item_comes_from_meeting_opened(committee):
    """Seats are served by their members from the start; ``meeting.opened`` logs it (before,
    the log could not say who served a seat until the first item was activated)."""
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    opened = MeetingEvent.objects.get(meeting=c.meeting, type="meeting.opened")
    assert [(row["seat"], row["user_id"]) for row in opened.payload["roster"]] == [
        (n, member.pk) for n, member in enumerate(c.members, start=1)
    ]
    assert project_log(c.meeting.pk).seats == tables_state(c.meeting.pk).seats
    SeatService.objects.filter(meeting=c.meeting, seat__number=2).update(user=None)
    assert project_log(c.meeting.pk).seats != tables_state(c.meeting.pk).seats


def test_a_log_written_before_meeting_opened_had_a_roster_still_replays():
    """Old logs lack the optional ``roster``: the projection then knows no seats yet."""
    state = project([("meeting.opened", {"by": "S", "by_role": "secretary", "at": "t",
                                         "place": "", "seats": 5})])
    assert state.status == "open" and state.seats == {}


def test_other_apps_events_are_skipped():
    state = project([("vote.opened", {"anything": 1}), ("minutes.locked", {})])
    assert state == MeetingState()


@pytest.mark.parametrize("decided", [True, False])
def test_an_items_paragraph_is_replayed_from_its_close(committee, decided):
    """A decision (voting) gives the item its § while it is active; ``item.closed`` repeats it,
    so a closed item's § is in the meetings app's own events either way."""
    c = committee
    mid, sec, item = c.meeting.pk, c.secretary, c.items[1]
    meeting_open(meeting_id=mid, actor=sec)
    for member in c.members:
        attendance_check_in(meeting_id=mid, actor=sec, user_id=member.pk, remote=False)
    roll_call_and_agenda(c, present=[])
    activated = item_activate(meeting_id=mid, actor=sec, item_id=item.pk)
    if decided:
        prepared = activated.payload["prepared_proposal"]["proposal_id"]
        acclamation_put(meeting_id=mid, actor=sec, item_id=item.pk, proposal_id=prepared)
        acclamation_decide(meeting_id=mid, actor=sec, item_id=item.pk, outcome="bifall")
        decision_record(meeting_id=mid, actor=sec, item_id=item.pk, proposal_id=prepared)
    item_close(meeting_id=mid, actor=sec, item_id=item.pk, without_decision=not decided,
               reason="" if decided else "Ärendet utgår")
    assert AgendaItem.objects.get(pk=item.pk).paragraph is not None
    _compare(mid, "closed")
