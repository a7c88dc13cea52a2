"""A realistic demo: Stadsbyggnadsnämnden in a mid-sized Swedish municipality.

Idempotent: every row is found by its natural key, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from meetings.demo.cases import set_cases
from meetings.models import AgendaItem, Body, BodyRole, Meeting, Seat, Substitute

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BODY_NAME = "Stadsbyggnadsnämnden"
ORGANISATION = "Ekby kommun"


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    party: str


SECRETARY = Person("sekreterare", "Sara", "Lindqvist", "")
# The technical administrator (a superuser) may enter /admin/; she holds no office in the body.
# The organisation administrator (the permission meetings.administer_organisation, not staff)
# sets up bodies, seats, substitutes and offices under /organisation/ (issue 15). The
# outsider is a resident with a login but no seat: public pages only.
ADMINISTRATOR = Person("admin", "Gunilla", "Strand", "")
ORGANISATION_ADMIN = Person("admin-org", "Maja", "Ekström", "")
OUTSIDER = Person("invanare", "Oskar", "Öberg", "")
MEMBERS = [
    Person("ordforande", "Anna", "Bergström", "S"),
    Person("vice", "Erik", "Johansson", "M"),
    Person("ledamot3", "Fatima", "Hassan", "S"),
    Person("ledamot4", "Lars", "Nilsson", "SD"),
    Person("ledamot5", "Karin", "Ek", "C"),
    Person("ledamot6", "Mohammed", "Ali", "S"),
    Person("ledamot7", "Ingrid", "Svensson", "M"),
    Person("ledamot8", "Johan", "Karlsson", "V"),
    Person("ledamot9", "Maria", "Lund", "KD"),
    Person("ledamot10", "Peter", "Andersson", "L"),
    Person("ledamot11", "Elin", "Sjöberg", "MP"),
]
SUBSTITUTES = [
    Person("ersattare1", "Olof", "Holm", "S"),
    Person("ersattare2", "Lina", "Wallin", "M"),
    Person("ersattare3", "Ahmed", "Yusuf", "S"),
    Person("ersattare4", "Birgitta", "Persson", "SD"),
    Person("ersattare5", "Nils", "Åberg", "C"),
    Person("ersattare6", "Hanna", "Björk", "V"),
]

AGENDA: list[tuple[str, str, str, bool]] = [
    ("Upprop", "Ordföranden förrättar upprop och konstaterar att nämnden är beslutför.", "", False),
    ("Val av justerare", "Nämnden väljer två ledamöter att jämte ordföranden justera protokollet.",
     "Nämnden utser två justerare.", False),
    ("Godkännande av dagordning", "", "Dagordningen godkänns.", False),
    ("Bygglov för nybyggnad av flerbostadshus, Kvarnen 4",
     "Ansökan avser ett flerbostadshus i fem våningar med 42 lägenheter. Åtgärden avviker "
     "från detaljplanens högsta byggnadshöjd med 0,8 meter. Grannar har lämnat erinringar "
     "om skuggning.",
     "Bygglov beviljas med stöd av 9 kap. 31 b § plan- och bygglagen (2010:900).", False),
    ("Bygglov för tillbyggnad av enbostadshus, Ekudden 12",
     "Tillbyggnad om 35 kvm bruttoarea mot sjösidan inom strandskyddat område. "
     "Strandskyddsdispens meddelades 2026-09-14.",
     "Bygglov beviljas.", False),
    ("Detaljplan för Södra hamnen, etapp 2 – antagande",
     "Planen möjliggör cirka 600 bostäder, en förskola och en ny kajpromenad. Granskningen "
     "pågick 2026-08-20–2026-09-17; inkomna synpunkter redovisas i granskningsutlåtandet.",
     "Stadsbyggnadsnämnden antar detaljplanen för Södra hamnen, etapp 2.", False),
    ("Planbesked för Norra Industrigatan 7",
     "Fastighetsägaren ansöker om planbesked för att omvandla en verksamhetstomt till bostäder.",
     "Positivt planbesked lämnas. Planarbetet beräknas påbörjas 2027.", False),
    ("Redovisning av delegationsbeslut",
     "Förteckning över beslut fattade på delegation under perioden 2026-10-01–2026-10-31.",
     "Redovisningen läggs till handlingarna.", False),
    ("Meddelanden", "Länsstyrelsens beslut i överklagade ärenden.",
     "Meddelandena läggs till handlingarna.", False),
    ("Tillsynsärende enskild fastighet – föreläggande",
     "Ärendet innehåller uppgifter som omfattas av sekretess enligt 26 kap. OSL.",
     "Nämnden förelägger fastighetsägaren att vidta åtgärder enligt förvaltningens förslag.",
     True),
]


def _user(person: Person, password: str, *, administrator: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=person.username,
        defaults={"first_name": person.first_name, "last_name": person.last_name,
                  "is_staff": administrator, "is_superuser": administrator},
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def next_tuesday_evening(today: datetime) -> datetime:
    days = (1 - today.weekday()) % 7 or 7
    day = (today + timedelta(days=days)).date()
    return datetime.combine(day, time(18, 0), tzinfo=STOCKHOLM)


@transaction.atomic
def load_demo(*, password: str, now: datetime) -> Meeting:
    """Create (or find) the demo committee and its next meeting; return the meeting."""
    body, _ = Body.objects.get_or_create(
        name=BODY_NAME,
        defaults={
            "kind": Body.Kind.NAMND, "organisation": ORGANISATION, "seats_count": len(MEMBERS),
            "remote_ruleset": Body.RemoteRuleset.CHAIR_ENSURES,
        },
    )
    _user(ADMINISTRATOR, password, administrator=True)
    _user(ORGANISATION_ADMIN, password).user_permissions.add(Permission.objects.get(
        codename="administer_organisation", content_type__app_label="meetings"))
    _user(OUTSIDER, password)
    secretary = _user(SECRETARY, password)
    BodyRole.objects.get_or_create(body=body, user=secretary, role=BodyRole.Role.SECRETARY)
    for number, person in enumerate(MEMBERS, start=1):
        user = _user(person, password)
        Seat.objects.get_or_create(
            body=body, number=number, defaults={"member": user, "party": person.party}
        )
    BodyRole.objects.get_or_create(
        body=body, user=Seat.objects.get(body=body, number=1).member, role=BodyRole.Role.CHAIR
    )
    BodyRole.objects.get_or_create(
        body=body, user=Seat.objects.get(body=body, number=2).member,
        role=BodyRole.Role.VICE_CHAIR,
    )
    for order, person in enumerate(SUBSTITUTES, start=1):
        user = _user(person, password)
        Substitute.objects.get_or_create(
            body=body, call_in_order=order, defaults={"user": user, "party": person.party}
        )
    meeting, created = Meeting.objects.get_or_create(
        body=body, title="Sammanträde",
        status=Meeting.Status.PLANNED,
        defaults={
            "starts_at": next_tuesday_evening(now),
            "video_link": "https://video.example.se/stadsbyggnadsnamnden",
            "is_public": True,
        },
    )
    if created:
        meeting.ends_at = meeting.starts_at + timedelta(hours=3)
        meeting.save(update_fields=["ends_at"])
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting, position=position, title=title, description=description,
                prepared_proposal=proposal, confidential=confidential,
            )
            for position, (title, description, proposal, confidential) in enumerate(
                AGENDA, start=1
            )
        )
        set_cases(meeting)
    return meeting


def logins() -> list[tuple[str, str, str]]:
    """(username, who they are, where they land after logging in) for the printed list."""
    home = "/ (mina sammanträden)"
    rows = [(ADMINISTRATOR.username, "administratör / technical administrator",
             "/ (länk till /admin/)"),
            (ORGANISATION_ADMIN.username, "organisationsadministratör / organisation admin",
             "/organisation/ (organ, ledamöter, ersättare, uppdrag)"),
            (SECRETARY.username, "sekreterare / secretary",
             home + ", sekreterarvy, protokoll, /organisation/ (sammanträden)"),
            (MEMBERS[0].username, "ordförande / chair, ledamot 1",
             home + ", sekreterarvy, justera"),
            (MEMBERS[1].username, "vice ordförande / vice chair, ledamot 2", home + ", justera")]
    rows += [(p.username, f"ledamot {i} ({p.party})", home)
             for i, p in enumerate(MEMBERS[2:], 3)]
    rows += [(p.username, f"ersättare {i} ({p.party})", home)
             for i, p in enumerate(SUBSTITUTES, 1)]
    rows.append((OUTSIDER.username, "utomstående / outsider, no seat",
                 "/ (offentliga sidor: /anslag/, /arkiv/)"))
    return rows
