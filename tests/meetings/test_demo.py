"""The demo committee loads, twice, without duplicates."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from meetings.models import AgendaItem, Body, BodyRole, Meeting, Seat, Substitute


def _counts():
    return (Body.objects.count(), Seat.objects.count(), Substitute.objects.count(),
            BodyRole.objects.count(), Meeting.objects.count(), AgendaItem.objects.count(),
            get_user_model().objects.count())


def test_demo_loads_twice_without_duplicates(db, capsys):
    call_command("load_demo")
    first = _counts()
    out = capsys.readouterr().out
    assert "sekreterare" in out and "ordforande" in out
    call_command("load_demo")
    assert _counts() == first
    body = Body.objects.get(name="Stadsbyggnadsnämnden")
    assert body.seats_count == 11 and body.seats.count() == 11
    assert list(body.substitutes.values_list("call_in_order", flat=True)) == [1, 2, 3, 4, 5, 6]
    roles = set(body.roles.values_list("role", flat=True))
    assert roles == {"chair", "vice_chair", "secretary"}
    meeting = body.meetings.get(status="planned")
    items = list(meeting.items.order_by("position"))
    assert len(items) == 10
    assert items[0].title == "Upprop" and items[1].title == "Val av justerare"
    assert [i.confidential for i in items].count(True) == 1
    assert get_user_model().objects.get(username="ordforande").check_password("klubba-demo")
