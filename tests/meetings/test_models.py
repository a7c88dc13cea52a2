"""Model constraints: the database refuses what the domain forbids."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import AgendaItem, Body, MeetingEvent, Seat, Substitute
from meetings.models.log import AppendOnlyError


def test_seat_numbers_are_unique_per_body(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(body=committee.body, number=1, member=committee.outsider)


def test_a_member_holds_one_seat_per_body(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(body=committee.body, number=99, member=committee.members[1])


def test_substitute_call_in_order_is_unique(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Substitute.objects.create(body=committee.body, user=committee.outsider, call_in_order=1)


def test_agenda_positions_are_unique_per_meeting(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=committee.meeting, position=1, title="Dubblett")


def test_a_body_needs_at_least_one_seat(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(name="Tom", seats_count=0)


def test_event_seq_is_unique_per_meeting_and_events_are_append_only(committee):
    kwargs = dict(meeting=committee.meeting, seq=1, type="x", payload={}, at=timezone.now(),
                  prev_hash="0" * 64, hash="1" * 64)
    event = MeetingEvent.objects.create(**kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingEvent.objects.create(**kwargs)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_command_ids_are_unique_per_meeting(committee):
    kwargs = dict(meeting=committee.meeting, type="x", payload={}, at=timezone.now(),
                  prev_hash="0" * 64, hash="1" * 64, command_id="c-1")
    MeetingEvent.objects.create(seq=1, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingEvent.objects.create(seq=2, **kwargs)
