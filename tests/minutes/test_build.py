"""The minutes object, built from the log of meetings held through the real commands."""

from __future__ import annotations

import dataclasses

from meetings.models import MeetingEvent
from minutes.build import (
    MASK,
    AttendanceRow,
    NamedText,
    VoteRow,
    build_minutes,
    mask_identity_numbers,
    minutes_text,
    paragraph_ranges,
    public_minutes,
)
from minutes.commands import minutes_justering_set, minutes_paragraph_text_set
from minutes.fold.presence import RULESETS
from minutes.inputs import log_events, meeting_info, minutes_of
from tests.support.committee import UNDECIDED
from tests.support.minutes import PNR


def name(user) -> str:
    return user.get_full_name()


def test_attendance_adjusters_and_paragraphs_of_a_scripted_meeting(held):
    c = held.c
    m = minutes_of(c.meeting)
    chair, m2, m3, m4, m5 = c.members
    assert m.body == "Testnämnden" and m.organisation == "Testby kommun"
    assert m.place == "Digitalt sammanträde"
    assert m.deciding == (
        AttendanceRow(chair.pk, name(chair), "ordförande", "S", 1, False, ""),
        AttendanceRow(m2.pk, name(m2), "ledamot", "M", 2, True, ""),
        AttendanceRow(m4.pk, name(m4), "ledamot", "M", 4, False, "§§ 1–3"),
        AttendanceRow(m5.pk, name(m5), "ledamot", "S", 5, False, "§§ 2–4"),
    )
    sub = c.substitutes[0]
    assert m.substitutes == (AttendanceRow(sub.pk, name(sub), "ersättare", "S", None, True, ""),)
    assert [r.name for r in m.others] == [name(c.secretary)]
    assert m.others[0].role == "sekreterare"
    assert m.absent == (AttendanceRow(m3.pk, name(m3), "ledamot", "S", 3, False, ""),)
    assert m.adjusters == (NamedText(name(m2)), NamedText(name(m4)))
    assert [(p.number, p.title, p.confidential) for p in m.paragraphs] == [
        (1, "Upprop", False), (2, "Bygglov", False), (3, "Detaljplan", False),
        (4, "Sekretessärende", True),
    ]
    assert m.paragraphs[1].roster_changes == (f"{name(m5)} anslöt till sammanträdet.",)
    assert m.paragraphs[2].roster_changes == (f"{name(m4)} lämnade sammanträdet.",)
    assert [(s.role, s.name) for s in m.signatures] == [
        ("Ordförande", name(chair)), ("Justerare", name(m2)), ("Justerare", name(m4)),
        ("Sekreterare", name(c.secretary)),
    ]
    last = MeetingEvent.objects.filter(meeting=c.meeting).order_by("-seq").first()
    assert (m.log_seq, m.log_hash) == (last.seq, last.hash)


def test_named_votes_jav_reservations_and_notes(live):
    c = live.c
    m = minutes_of(c.meeting)
    chair, m2, m3, m4, m5 = c.members
    e1, e2 = c.substitutes
    # The substitutes who served are among the deciding members, with whom they replaced.
    serving = {r.name: r for r in m.deciding if r.role == "tjänstgörande ersättare"}
    assert serving[name(e1)].note == f"för {name(m3)}"  # served every paragraph
    assert serving[name(e2)].note == f"för {name(m4)}, § 2"
    p2 = m.paragraphs[1]
    assert p2.title == "Bygglov" and p2.decision == "Förslag 2"
    assert p2.recusals == (NamedText(name(m4)),)  # the reason only if the body keeps it
    assert [(x.number, x.kind, x.author, x.text) for x in p2.proposals] == [
        (1, "Beslutsförslag", "", "Förslag 2"), (2, "Avslag", name(m2), "Avslag på ansökan"),
    ]
    assert "propositionsordning" in p2.proposition_order[0]
    assert p2.proposition_order[1] == f"{name(m2)} begär votering."
    (vote,) = p2.votes
    assert not vote.secret
    assert vote.rows == (  # roll-call order: seat order, the chair last
        VoteRow(name(m2), "M", "Nej"), VoteRow(name(e1), "S", "Ja"),
        VoteRow(name(e2), "M", "Avstår"), VoteRow(name(m5), "S", "Ja"),
        VoteRow(name(chair), "S", "Ja"),
    )
    assert vote.counts == (("Ja", 3), ("Nej", 1), ("Avstår", 1))
    assert "beslutat enligt yrkande 1" in vote.result
    assert p2.reservations == (NamedText(name(m2), "Byggnaden är för hög för området."),)
    assert p2.notes == (NamedText(name(m5), "Jag vill att grannarnas synpunkter beaktas."),)
    assert any("på grund av jäv" in x for x in p2.roster_changes)
    # A secret election: counts only, never who voted what.
    (election,) = m.paragraphs[2].votes
    assert election.secret and election.rows == ()
    assert election.counts == (("Kandidat Ett", 3), ("Kandidat Två", 1), ("Blanka", 1),
                               ("Ogiltiga", 0))
    assert election.result == "Valda: Kandidat Ett."
    # § numbers come from the decisions.
    assert [p.number for p in m.paragraphs] == [1, 2, 3, 4]


def test_same_log_gives_equal_minutes_and_handlers_ignore_unknown_events(held):
    c = held.c
    info, events = meeting_info(c.meeting), log_events(c.meeting)
    assert build_minutes(info, events) == build_minutes(info, list(events))
    odd = dataclasses.replace(events[-1], seq=events[-1].seq + 1, type="something.new")
    assert build_minutes(info, [*events, odd]).paragraphs == build_minutes(info, events).paragraphs


def test_paragraph_text_and_justering_are_events_and_appear(held):
    c = held.c
    item = c.items[1]
    minutes_paragraph_text_set(meeting_id=c.meeting.pk, actor=c.secretary, item_id=item.pk,
                               text="Beslutsunderlag: tjänsteskrivelse 2026-10-01.")
    minutes_justering_set(meeting_id=c.meeting.pk, actor=c.secretary,
                          text="Stadshuset, 2026-12-01")
    assert MeetingEvent.objects.filter(
        meeting=c.meeting, type="minutes.paragraph_text_set", payload__item_id=item.pk
    ).exists()
    m = minutes_of(c.meeting)
    assert m.paragraphs[1].text == "Beslutsunderlag: tjänsteskrivelse 2026-10-01."
    assert m.justering == "Stadshuset, 2026-12-01"


def test_public_version_withholds_confidential_items_and_masks_identity_numbers(held):
    m = minutes_of(held.c.meeting)
    assert PNR in minutes_text(m) and "800101-1234" in minutes_text(m)
    pub = public_minutes(m)
    secret = pub.paragraphs[3]
    assert (secret.number, secret.title, secret.withheld) == (4, "Sekretess", True)
    assert (secret.description, secret.text, secret.decision, secret.proposals) == ("", "", "",
                                                                                   ())
    text = minutes_text(pub)
    assert "XYZZY" not in text and "Sekretessärende" not in text
    assert "1234" not in text and MASK in text


def test_public_version_of_live_meeting_keeps_open_votes_and_drops_confidential(live):
    pub = public_minutes(minutes_of(live.c.meeting))
    assert pub.paragraphs[1].votes[0].rows  # open votes are public record
    assert pub.paragraphs[2].votes[0].rows == ()
    assert pub.paragraphs[3].proposals == () and pub.paragraphs[3].decision == ""


def test_identity_number_patterns():
    for text in ("19800101-1234", "800101-1234", "198001011234", "800161-1234", "8001011234",
                 "19800101+1234"):
        assert mask_identity_numbers(f"pnr {text}.") == f"pnr {MASK}.", text
    for text in ("2026-11-23", "tel 08-123 456 78", "§ 12", "12345"):
        assert mask_identity_numbers(text) == text


def test_paragraph_ranges():
    assert paragraph_ranges([3]) == "§ 3"
    assert paragraph_ranges([1, 2, 3, 5]) == "§§ 1–3, 5"


def test_minutes_survive_a_round_trip_through_json(live):
    import json

    from minutes.build import minutes_from_dict, minutes_to_dict

    m = minutes_of(live.c.meeting)
    for version in (m, public_minutes(m)):
        data = json.loads(json.dumps(minutes_to_dict(version)))
        assert minutes_from_dict(data) == version


def test_leaving_between_items_and_coming_back(committee):
    from meetings.commands import (
        agenda_approve,
        attendance_check_in,
        attendance_check_out,
        item_activate,
        item_close,
        meeting_open,
    )

    c = committee
    mid, sec = c.meeting.pk, c.secretary
    chair, m2, m3, m4, _m5 = c.members
    meeting_open(meeting_id=mid, actor=sec)
    for user in (chair, m2, m3, m4):
        attendance_check_in(meeting_id=mid, actor=sec, user_id=user.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=sec)
    i1, i2, i3, _i4 = c.items
    item_activate(meeting_id=mid, actor=sec, item_id=i1.pk)
    # Recording a check-in again while present (here: switching to remote) is not a return.
    attendance_check_in(meeting_id=mid, actor=sec, user_id=m2.pk, remote=True)
    item_close(meeting_id=mid, actor=sec, item_id=i1.pk, **UNDECIDED)
    attendance_check_out(meeting_id=mid, actor=sec, user_id=m3.pk)  # between items
    item_activate(meeting_id=mid, actor=sec, item_id=i2.pk)
    item_close(meeting_id=mid, actor=sec, item_id=i2.pk, **UNDECIDED)
    item_activate(meeting_id=mid, actor=sec, item_id=i3.pk)
    item_close(meeting_id=mid, actor=sec, item_id=i3.pk, **UNDECIDED)
    m = minutes_of(c.meeting)
    rows = {r.user_id: r for r in m.deciding}
    assert rows[m2.pk].remote and rows[m2.pk].note == ""
    assert rows[m3.pk].note == "§ 1"
    # Switching to remote is not a return; it is where the minutes name the remote ruleset,
    # and (chair_ensures) that the presiding person confirmed it.
    assert m.paragraphs[0].roster_changes == (
        RULESETS[c.body.remote_ruleset],
        f"{name(chair)} bekräftar att {name(m2)} deltar på distans.")
    assert m.paragraphs[1].roster_changes == (f"{name(m3)} lämnade sammanträdet.",)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=m3.pk, remote=False)
    m = minutes_of(c.meeting)
    assert {r.user_id: r for r in m.deciding}[m3.pk].note == ""
