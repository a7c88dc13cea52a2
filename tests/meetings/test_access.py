"""``may_follow``: the one rule for who may follow a meeting as a participant (pages, voting
reads and the participant socket all use it)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from meetings.access import may_follow
from meetings.models import Participant
from meetings.roles import roles_in

pytestmark = pytest.mark.django_db


def test_the_bodys_people_follow(committee):
    meeting = committee.meeting
    for user in [committee.secretary, committee.chair, *committee.members,
                 *committee.substitutes]:
        assert may_follow(meeting, user), user


def test_a_listed_participant_follows_and_an_outsider_does_not(committee):
    meeting = committee.meeting
    assert not may_follow(meeting, committee.outsider)
    Participant.objects.create(meeting=meeting, user=committee.outsider,
                               role=Participant.Role.GUEST)
    assert may_follow(meeting, committee.outsider)


def test_anonymous_never_follows(committee):
    assert not may_follow(committee.meeting, AnonymousUser())


def test_roles_given_by_the_caller_are_used(committee):
    meeting, member = committee.meeting, committee.members[1]
    assert may_follow(meeting, member, roles=roles_in(meeting, member))
    other = get_user_model().objects.create_user(username="other", password="pw")
    assert not may_follow(meeting, other, roles=roles_in(meeting, other))
