"""Who presides (issue 12, defect 1): the chair by default, a vice chair only through a
logged handover while the chair is absent, gone or recused on the item."""

from __future__ import annotations

import pytest

from meetings.commands import item_activate, item_close, presiding_change, recusal_declare
from meetings.errors import ErrorCode
from meetings.models import BodyRole
from minutes.inputs import minutes_of
from tests.support.committee import make_committee
from tests.support.voting import Live, refused, start_item
from voting.commands import (
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    decision_record,
    protocol_note_allow,
    vote_close,
    vote_open,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(db) -> Live:
    c = make_committee()
    for member in c.members[1:3]:  # first and second vice chair
        BodyRole.objects.create(body=c.body, user=member, role=BodyRole.Role.VICE_CHAIR)
    return start_item(c)


def test_a_vice_chair_does_not_preside_while_the_chair_does(live: Live) -> None:
    vice = live.c.members[1]
    prepared = live.prepared().pk
    kw = live.kw(item_id=live.item.pk)
    refused(ErrorCode.NOT_PRESIDING, acclamation_put, **kw, actor=vice, proposal_id=prepared)
    acclamation_put(**kw, actor=live.chair, proposal_id=prepared)
    refused(ErrorCode.NOT_PRESIDING, acclamation_decide, **kw, actor=vice, outcome="bifall")
    refused(ErrorCode.NOT_PRESIDING, protocol_note_allow, **kw, actor=vice,
            user_id=live.c.members[3].pk)
    refused(ErrorCode.PRESIDING_NOT_ALLOWED, presiding_change,
            **live.kw(actor=live.sec, user_id=vice.pk))
    decided = acclamation_decide(**kw, actor=live.sec, outcome="bifall")
    assert decided.payload["on_behalf_of"]["user_id"] == live.chair.pk
    allowed = protocol_note_allow(**kw, actor=live.sec, user_id=live.c.members[3].pk)
    assert allowed.payload["on_behalf_of"]["user_id"] == live.chair.pk
    allowed = protocol_note_allow(**kw, actor=live.chair, user_id=live.c.members[4].pk)
    assert "on_behalf_of" not in allowed.payload


def test_a_vice_chair_may_not_close_or_give_the_casting_vote(live: Live) -> None:
    vice, m = live.c.members[1], live.c.members
    vote_id = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk, kind="open",
                                  main_proposal_id=live.prepared().pk)).payload["vote_id"]
    for member, choice in ((m[1], "ja"), (m[2], "nej")):
        ballot_cast(**live.kw(actor=member, vote_id=vote_id, choice=choice))
    refused(ErrorCode.NOT_PRESIDING, vote_close, **live.kw(actor=vice, vote_id=vote_id))
    refused(ErrorCode.NOT_PRESIDING, vote_close, **live.kw(actor=vice, vote_id=vote_id,
                                                           casting_vote="ja"))
    closed = vote_close(**live.kw(actor=live.chair, vote_id=vote_id, casting_vote="nej"))
    assert closed.payload["result"]["chair_user_id"] == live.chair.pk


def test_the_chairs_jav_hands_the_item_to_the_first_vice_chair(live: Live) -> None:
    chair, first, second = live.c.members[:3]
    kw = live.kw(item_id=live.item.pk)
    prepared = live.prepared().pk
    recusal_declare(**live.kw(actor=chair, item_id=live.item.pk))
    # Until the secretary hands over, nobody performs a presiding act, not even the clerk.
    refused(ErrorCode.PRESIDING_HANDOVER_REQUIRED, acclamation_put, **kw, actor=live.sec,
            proposal_id=prepared)
    refused(ErrorCode.PRESIDING_NOT_ALLOWED, presiding_change,
            **live.kw(actor=live.sec, user_id=second.pk))
    changed = presiding_change(**live.kw(actor=live.sec, user_id=first.pk))
    assert (changed.payload["reason"], changed.payload["office"]) == ("chair_recused",
                                                                      "vice_chair")
    refused(ErrorCode.NOT_PRESIDING, acclamation_put, **kw, actor=chair, proposal_id=prepared)
    put = acclamation_put(**kw, actor=live.sec, proposal_id=prepared)
    assert put.payload["on_behalf_of"]["user_id"] == first.pk
    acclamation_decide(**kw, actor=first, outcome="bifall")
    decision_record(**kw, actor=live.sec, proposal_id=prepared)
    item_close(**kw, actor=live.sec)
    # The next item: the chair may lead again; the vice chair's mandate has lapsed.
    nxt = live.c.items[2]
    item_activate(**live.kw(actor=live.sec, item_id=nxt.pk))
    refused(ErrorCode.PRESIDING_HANDOVER_REQUIRED, acclamation_put,
            **live.kw(actor=first, item_id=nxt.pk, proposal_id=0))
    back = presiding_change(**live.kw(actor=live.sec, user_id=chair.pk))
    assert back.payload["reason"] == "chair_returned"
    minutes = minutes_of(live.c.meeting)
    led = {p.item_id: p.presided_by for p in minutes.paragraphs}
    assert first.get_full_name() in " ".join(led[live.item.pk])
    assert chair.get_full_name() in " ".join(led[nxt.pk])
