"""Issue 12, defect 8: the minutes say what happened as a Swedish protokoll says it — the
återremiss question put as a question, elimination votes choosing the counter-proposal, Ja and
Nej labelled for what they ask, the handling in the order it happened, one meeting date."""

from __future__ import annotations

from datetime import timedelta

from meetings.models import Meeting
from minutes.inputs import minutes_of
from minutes.model import Paragraph
from tests.support.committee import make_committee
from tests.support.voting import start_item
from voting.commands import (
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    kontra_start,
    proposition_order_approve,
    proposition_order_set,
    vote_close,
    vote_open,
    vote_request,
)


def the_paragraph(c) -> Paragraph:
    (para,) = minutes_of(c.meeting).paragraphs
    return para


def test_the_aterremiss_question_is_put_as_a_question(db):
    c = make_committee()
    live = start_item(c)
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    motion = live.propose(c.members[1], "aterremiss")
    acclamation_put(**kw, proposal_id=motion.pk)
    acclamation_decide(**kw, outcome="avslag")
    para = the_paragraph(c)
    assert para.proceedings[-1].text == (
        "Ordföranden ställer proposition på om ärendet ska avgöras i dag eller återremitteras "
        "och finner att det ska avgöras i dag.")


def test_the_aterremiss_vote_labels_ja_and_nej_for_what_they_ask(db):
    c = make_committee()
    live = start_item(c)
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    motion = live.propose(c.members[1], "aterremiss")
    vote_id = vote_open(**kw, kind="open", main_proposal_id=motion.pk).payload["vote_id"]
    for member, choice in zip(c.members, ["nej", "ja", "nej", "nej", "ja"], strict=True):
        ballot_cast(meeting_id=live.meeting_id, actor=member, vote_id=vote_id, choice=choice)
    vote_close(meeting_id=live.meeting_id, actor=live.sec, vote_id=vote_id)
    (vote,) = the_paragraph(c).votes
    assert vote.title == ("Omröstning 1: Ja för att ärendet ska återremitteras, "
                          "Nej för att ärendet ska avgöras i dag")
    assert vote.result == f"{c.body.name} har beslutat att ärendet ska avgöras i dag."


def test_an_elimination_vote_chooses_the_counter_proposal_and_decides_nothing(db):
    c = make_committee()
    live = start_item(c)
    m, sec, item = c.members, live.sec, live.item
    kw = {"meeting_id": live.meeting_id}
    p1 = live.prepared()
    p2 = live.propose(m[1], "andring", "Med villkor om bullerskydd")
    p3 = live.propose(m[2], "avslag")
    proposition_order_set(**kw, actor=sec, item_id=item.pk, proposal_ids=[p1.pk, p2.pk, p3.pk])
    proposition_order_approve(**kw, actor=sec, item_id=item.pk)
    acclamation_put(**kw, actor=c.chair, item_id=item.pk, proposal_id=p1.pk)
    acclamation_decide(**kw, actor=c.chair, item_id=item.pk, outcome="bifall")
    kontra_start(**kw, actor=sec, item_id=item.pk, main_proposal_id=p1.pk)
    acclamation_put(**kw, actor=c.chair, item_id=item.pk, proposal_id=p2.pk,
                    counter_proposal_id=p3.pk)
    vote_request(**kw, actor=m[2], item_id=item.pk)
    step = vote_open(**kw, actor=sec, item_id=item.pk, main_proposal_id=p2.pk,
                     counter_proposal_id=p3.pk).payload["vote_id"]
    for voter, choice in zip(m, ["ja", "ja", "nej", "ja", "nej"], strict=True):
        ballot_cast(**kw, actor=voter, vote_id=step, choice=choice)
    vote_close(**kw, actor=sec, vote_id=step)
    main = vote_open(**kw, actor=sec, item_id=item.pk, main_proposal_id=p1.pk,
                     counter_proposal_id=p2.pk).payload["vote_id"]
    for voter, choice in zip(m, ["ja", "nej", "ja", "ja", "ja"], strict=True):
        ballot_cast(**kw, actor=voter, vote_id=main, choice=choice)
    vote_close(**kw, actor=sec, vote_id=main)

    para = the_paragraph(c)
    body = c.body.name
    elimination, huvud = para.votes
    assert "kontrapropositionsvotering" in elimination.title
    assert elimination.result.startswith(f"{body} utser yrkande 2 (")
    assert elimination.result.endswith("till motförslag i huvudvoteringen.")
    assert "beslutat" not in elimination.result
    assert huvud.result == f"{body} har beslutat enligt yrkande 1 (beslutsförslaget)."
    # The handling in log order: order, acclamation, kontra, the request, the two votes.
    steps = para.proceedings
    assert [s.vote for s in steps] == [None, None, None, None, elimination, huvud]
    assert "propositionsordning" in steps[0].text and "bifaller" in steps[1].text
    assert "Kontrapropositionsvotering" in steps[2].text and "begär votering" in steps[3].text


def test_the_minutes_and_the_notice_board_show_the_day_the_meeting_was_held(db):
    c = make_committee()
    Meeting.objects.filter(pk=c.meeting.pk).update(
        starts_at=c.meeting.starts_at + timedelta(days=3))  # planned later; held today
    start_item(c)
    from minutes.commands.posting import held_on
    from minutes.models import MinutesDocument

    c.meeting.refresh_from_db()
    day = minutes_of(c.meeting).date
    stub = MinutesDocument(meeting=c.meeting, public_minutes={})
    assert held_on(c.meeting, stub).isoformat() == day
    assert day != f"{c.meeting.starts_at:%Y-%m-%d}"
