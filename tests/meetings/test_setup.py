"""Setting up bodies, people, meetings and agendas (meetings.setup): who may, what is refused
with which code, and that a refusal writes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings import setup
from meetings.commands import meeting_open
from meetings.errors import CommandError
from meetings.models import (
    AgendaItem,
    Attachment,
    Body,
    Meeting,
    MeetingEvent,
    Seat,
    Substitute,
)
from meetings.replay import project_log, tables_state
from tests.support.setup import make_organisation_admin

pytestmark = pytest.mark.django_db


def _code(call, **kwargs) -> str:
    with pytest.raises(CommandError) as refused:
        call(**kwargs)
    return refused.value.code


@pytest.fixture
def admin():
    return make_organisation_admin()


def _person(admin, n: int, last: str = "Persson"):
    user, created = setup.person_find_or_create(
        actor=admin, first_name=f"Person{n}", last_name=last, email=f"p{n}@example.se")
    assert created
    return user


def test_an_administrator_sets_up_a_body_with_seats_substitutes_and_offices(admin):
    body = setup.body_create(actor=admin, name="Byggnadsnämnden", kind=Body.Kind.NAMND,
                             seats_count=3, remote_ruleset=Body.RemoteRuleset.NONE)
    assert body.remote_ruleset == "none" and body.kind == "namnd"
    people = [_person(admin, n) for n in range(1, 6)]
    again, created = setup.person_find_or_create(
        actor=admin, first_name="X", last_name="Y", email="P1@EXAMPLE.SE")
    assert again == people[0] and not created
    seat = setup.seat_add(actor=admin, body_id=body.pk, member_id=people[0].pk, party="S",
                          term_start=date(2027, 1, 1), term_end=date(2030, 12, 31))
    assert seat.number == 1 and seat.term_end == date(2030, 12, 31)
    setup.seat_add(actor=admin, body_id=body.pk, member_id=people[1].pk, party="M")
    subs = [setup.substitute_add(actor=admin, body_id=body.pk, user_id=p.pk, party="S")
            for p in people[2:]]
    assert [s.call_in_order for s in subs] == [1, 2, 3]
    setup.substitutes_reorder(actor=admin, body_id=body.pk,
                              substitute_ids=[subs[2].pk, subs[0].pk, subs[1].pk])
    assert list(Substitute.objects.filter(body=body).values_list("user_id", flat=True)) == [
        people[4].pk, people[2].pk, people[3].pk]
    setup.substitute_remove(actor=admin, substitute_id=subs[2].pk)
    assert list(Substitute.objects.filter(body=body).values_list("call_in_order", flat=True)) \
        == [1, 2]
    setup.office_assign(actor=admin, body_id=body.pk, user_id=people[0].pk, role="chair")
    assert _code(setup.office_assign, actor=admin, body_id=body.pk, user_id=people[1].pk,
                 role="chair") == "office_taken"
    setup.body_update(actor=admin, body_id=body.pk, quorum_rule="at_least_half")
    assert Body.objects.get(pk=body.pk).quorum_rule == "at_least_half"


def test_only_the_administrator_sets_up_bodies_and_people(committee, admin):
    for actor in (committee.secretary, committee.chair, committee.outsider):
        assert _code(setup.body_create, actor=actor, name="X", seats_count=3) \
            == "permission_denied"
        assert _code(setup.seat_update, actor=actor, seat_id=Seat.objects.first().pk,
                     party="V") == "permission_denied"
        assert _code(setup.person_find_or_create, actor=actor, first_name="A", last_name="B",
                     email="a@example.se") == "permission_denied"
    assert not Body.objects.filter(name="X").exists()
    assert not get_user_model().objects.filter(email="a@example.se").exists()


def test_bad_input_is_refused_with_a_code_and_nothing_is_written(committee, admin):
    body = committee.body
    bodies = Body.objects.count()
    assert _code(setup.body_create, actor=admin, name=body.name, seats_count=3) \
        == "name_taken"
    with pytest.raises(CommandError) as refused:
        setup.body_create(actor=admin, name="Ny", seats_count=3, kind="kommunstyrelse")
    assert refused.value.code == "invalid_argument" and "kind" in refused.value.details["fields"]
    assert Body.objects.count() == bodies
    assert _code(setup.body_update, actor=admin, body_id=999999, name="Z") == "body_not_found"
    assert _code(setup.body_update, actor=admin, body_id=body.pk, seats_count=2) \
        == "invalid_argument"  # seats 3..5 are given out
    assert _code(setup.seat_add, actor=admin, body_id=body.pk, member_id=committee.chair.pk) \
        == "invalid_argument"  # no free seat
    setup.body_update(actor=admin, body_id=body.pk, seats_count=7)
    assert _code(setup.seat_add, actor=admin, body_id=body.pk, member_id=committee.chair.pk) \
        == "already_seated"
    assert _code(setup.seat_add, actor=admin, body_id=body.pk, number=2,
                 member_id=committee.outsider.pk) == "seat_number_taken"
    assert _code(setup.seat_add, actor=admin, body_id=body.pk, member_id=committee.outsider.pk,
                 term_start=date(2030, 1, 1), term_end=date(2027, 1, 1)) == "invalid_argument"
    assert _code(setup.seat_add, actor=admin, body_id=body.pk, member_id=424242) \
        == "person_not_found"
    assert _code(setup.substitute_add, actor=admin, body_id=body.pk,
                 user_id=committee.substitutes[0].pk) == "already_a_substitute"
    assert _code(setup.substitutes_reorder, actor=admin, body_id=body.pk,
                 substitute_ids=[Substitute.objects.first().pk]) == "invalid_argument"
    assert _code(setup.person_find_or_create, actor=admin, first_name="A", last_name="B",
                 email="not-an-address") == "invalid_argument"
    assert Seat.objects.filter(body=body).count() == 5


def test_people_and_rules_do_not_change_while_a_meeting_is_open(committee, admin):
    meeting_open(meeting_id=committee.meeting.pk, actor=committee.secretary)
    assert _code(setup.seat_update, actor=admin, seat_id=Seat.objects.first().pk,
                 party="V") == "body_in_session"
    assert _code(setup.body_update, actor=admin, body_id=committee.body.pk,
                 remote_ruleset="none") == "body_in_session"
    assert _code(setup.office_assign, actor=admin, body_id=committee.body.pk,
                 user_id=committee.outsider.pk, role="vice_chair") == "body_in_session"


def test_the_secretary_plans_a_meeting_under_the_bodys_remote_ruleset(committee, admin):
    starts = timezone.now() + timedelta(days=10)
    meeting = setup.meeting_create(actor=committee.secretary, body_id=committee.body.pk,
                                   title="Sammanträde 2", starts_at=starts,
                                   video_link="https://video.example.se/rum")
    assert meeting.is_digital and not meeting.is_public
    assert _code(setup.meeting_create, actor=committee.chair, body_id=committee.body.pk,
                 title="X", starts_at=starts) == "permission_denied"
    assert _code(setup.meeting_update, actor=committee.secretary, meeting_id=meeting.pk,
                 ends_at=starts - timedelta(hours=1)) == "invalid_argument"
    setup.body_update(actor=admin, body_id=committee.body.pk, remote_ruleset="none")
    assert _code(setup.meeting_create, actor=committee.secretary, body_id=committee.body.pk,
                 title="X", starts_at=starts) == "remote_not_allowed"
    assert _code(setup.meeting_update, actor=committee.secretary, meeting_id=meeting.pk,
                 title="Nytt") == "remote_not_allowed"
    setup.meeting_update(actor=committee.secretary, meeting_id=meeting.pk, place="Sal A",
                         video_link="")
    assert Meeting.objects.get(pk=meeting.pk).place == "Sal A"
    fm = setup.body_create(actor=admin, name="Kommunfullmäktige", kind="fullmaktige",
                           seats_count=31)
    assert setup.meeting_create(actor=admin, body_id=fm.pk, title="KF", starts_at=starts,
                                place="Stadshuset").is_public
    assert _code(setup.meeting_create, actor=admin, body_id=fm.pk, title="KF",
                 starts_at=starts, place="Stadshuset", is_public=False) == "invalid_argument"


def _agenda(meeting) -> list[tuple[str, bool]]:
    return [(i.title, i.confidential) for i in meeting.items.order_by("position")]


def test_agenda_changes_are_logged_and_closed_items_stay_last(committee):
    meeting, secretary = committee.meeting, committee.secretary
    mid = meeting.pk
    setup.agenda_item_add(meeting_id=mid, actor=secretary, title="Delegationsbeslut",
                          case_number="BN 2026/12", presenter="Anna Berg, förvaltningschef")
    assert _agenda(meeting)[-2:] == [("Delegationsbeslut", False), ("Sekretessärende", True)]
    closed = setup.agenda_item_add(meeting_id=mid, actor=secretary, title="Bistånd",
                                   confidential=True)
    assert _agenda(meeting)[-1] == ("Bistånd", True)
    upprop = committee.items[0]
    setup.agenda_item_change(meeting_id=mid, actor=secretary, item_id=upprop.pk,
                             title="Upprop och protokollets justering")
    setup.agenda_item_change(meeting_id=mid, actor=secretary, item_id=closed.payload["item_id"],
                             confidential=False)
    assert _agenda(meeting)[4] == ("Bistånd", False)
    ids = list(meeting.items.order_by("position").values_list("pk", flat=True))
    assert _code(setup.agenda_reorder, meeting_id=mid, actor=secretary,
                 item_ids=[ids[-1], *ids[:-1]]) == "closed_items_last"
    setup.agenda_reorder(meeting_id=mid, actor=secretary, item_ids=[ids[1], ids[0], *ids[2:]])
    setup.agenda_item_remove(meeting_id=mid, actor=secretary, item_id=ids[2])
    assert [i.position for i in meeting.items.order_by("position")] == [1, 2, 3, 4, 5]
    types = list(MeetingEvent.objects.filter(meeting=meeting).values_list("type", flat=True))
    assert types == ["agenda.item_added", "agenda.item_added", "agenda.item_changed",
                     "agenda.item_changed", "agenda.reordered", "agenda.item_removed"]
    last = MeetingEvent.objects.filter(meeting=meeting).last()
    assert [r["item_id"] for r in last.payload["agenda"]] == list(
        meeting.items.order_by("position").values_list("pk", flat=True))
    first = MeetingEvent.objects.filter(meeting=meeting).first()
    assert first.payload["case_number"] == "BN 2026/12" and first.actor_id == secretary.pk
    # The read tables still replay from the log (the agenda events change no replayed state).
    assert project_log(mid) == tables_state(mid)


def test_the_agenda_is_the_meetings_once_it_opens_and_only_the_secretary_edits_it(committee):
    mid, item = committee.meeting.pk, committee.items[1]
    for actor in (committee.chair, committee.members[1], committee.outsider):
        assert _code(setup.agenda_item_add, meeting_id=mid, actor=actor, title="X") \
            == "permission_denied"
    assert _code(setup.agenda_item_change, meeting_id=mid, actor=committee.secretary,
                 item_id=987654, title="X") == "item_not_found"
    assert _code(setup.agenda_item_add, meeting_id=mid, actor=committee.secretary,
                 title="  ") == "invalid_argument"
    assert _code(setup.agenda_item_add, meeting_id=mid, actor=committee.secretary,
                 title="NUL\x00") == "invalid_argument"  # PostgreSQL text refuses it
    meeting_open(meeting_id=mid, actor=committee.secretary)
    assert _code(setup.agenda_item_change, meeting_id=mid, actor=committee.secretary,
                 item_id=item.pk, title="Nytt") == "agenda_fixed"
    assert AgendaItem.objects.get(pk=item.pk).title == item.title
    assert not MeetingEvent.objects.filter(meeting_id=mid, type__startswith="agenda.item").exists()


def test_an_agenda_is_copied_and_imported(committee):
    secretary = committee.secretary
    later = setup.meeting_create(actor=secretary, body_id=committee.body.pk, title="Nästa",
                                 starts_at=timezone.now() + timedelta(days=30), place="Sal B")
    setup.agenda_copy(meeting_id=later.pk, actor=secretary, source_meeting_id=committee.meeting.pk)
    assert _agenda(later) == _agenda(committee.meeting)
    assert MeetingEvent.objects.filter(meeting=later, type="agenda.item_added").count() == 4
    setup.agenda_import(meeting_id=later.pk, actor=secretary, replace=True, items=[
        setup.ItemDraft(title="Upprop"), setup.ItemDraft(title="Bygglov", case_number="BN 1"),
        setup.ItemDraft(title="Sekretess", confidential=True)])
    assert _agenda(later) == [("Upprop", False), ("Bygglov", False), ("Sekretess", True)]
    before = list(later.items.values_list("pk", flat=True))
    assert _code(setup.agenda_import, meeting_id=later.pk, actor=secretary, items=[
        setup.ItemDraft(title="Sekretess 2", confidential=True),
        setup.ItemDraft(title="Öppet")]) == "closed_items_last"
    assert _code(setup.agenda_import, meeting_id=later.pk, actor=secretary, items=[
        setup.ItemDraft(title="Bra"), setup.ItemDraft(title="x" * 400)]) == "invalid_argument"
    assert list(later.items.values_list("pk", flat=True)) == before  # nothing half-written
    assert _code(setup.agenda_copy, meeting_id=later.pk, actor=secretary,
                 source_meeting_id=555555) == "meeting_not_found"


def test_attachments_are_checked_before_they_are_stored(committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KLUBBA = {**settings.KLUBBA, "ATTACHMENT_MAX_BYTES": 1000}
    mid, item = committee.meeting.pk, committee.items[1]
    pdf = b"%PDF-1.7\n" + b"0" * 100

    def add(data: bytes, name: str, **kw):
        return setup.attachment_add(meeting_id=mid, actor=kw.pop("actor", committee.secretary),
                                    item_id=kw.pop("item_id", item.pk), title="Tjänsteskrivelse",
                                    file_name=name, content=io.BytesIO(data), size=len(data))

    event = add(pdf, "skrivelse.pdf")
    assert event.payload["size"] == len(pdf) and len(event.payload["sha256"]) == 64
    stored = Attachment.objects.get(pk=event.payload["attachment_id"])
    assert stored.file.read() == pdf
    assert _code(add, data=b"%PDF-" + b"0" * 2000, name="stor.pdf") == "attachment_too_large"
    assert _code(add, data=b"<script>", name="sida.html") == "attachment_type_not_allowed"
    assert _code(add, data=b"MZ....", name="fake.pdf") == "attachment_type_not_allowed"
    assert _code(add, data=pdf, name="a.pdf", item_id=31337) == "item_not_found"
    assert _code(add, data=pdf, name="a.pdf", actor=committee.chair) == "permission_denied"
    assert Attachment.objects.count() == 1
    assert [p.name for p in (tmp_path / "attachments").rglob("*") if p.is_file()] == [
        stored.file.name.rsplit("/", 1)[-1]]  # refused files were not left behind
    setup.attachment_remove(meeting_id=mid, actor=committee.secretary, item_id=item.pk,
                            attachment_id=stored.pk)
    assert not Attachment.objects.exists()
