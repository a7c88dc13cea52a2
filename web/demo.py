"""Demo: an earlier meeting of Stadsbyggnadsnämnden, held, signed and posted.

It drives the meetings, voting and minutes commands, so it lives in the top layer (``web``),
beside ``manage.py load_demo`` which runs it after ``meetings.demo.committee``.

The meeting is held through the real commands (attendance, agenda, adjusters, a substitute,
jäv, proposals, a named vote, decisions, a reservation, a protocol note), adjourned, locked,
signed by the chair and two adjusters and posted, so a new user finds the notice board and the
archive filled. The meeting's events are stamped with the earlier date (the clock is pinned
while it is held); signing and posting happen now. Idempotent: a second run finds the posted
meeting and changes nothing. Needs the signing passphrase, or DEBUG (demo passphrase).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction

from meetings.commands import (
    adjusters_choose,
    agenda_approve,
    attendance_check_in,
    item_activate,
    item_close,
    meeting_adjourn,
    meeting_open,
    presiding_change,
    proposal_make,
    recusal_declare,
    substitute_call_in,
)
from meetings.demo.committee import BODY_NAME, next_tuesday_evening
from meetings.models import AgendaItem, Body, Meeting
from minutes import ca_store
from minutes.anchor import keys as anchor_keys
from minutes.commands import (
    minutes_justering_set,
    minutes_lock,
    minutes_paragraph_text_set,
    minutes_post,
    minutes_sign,
)
from minutes.models import Publication
from minutes.signing import ConfigurationError
from voting.commands import (
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    decision_record,
    decision_record_election,
    decision_record_procedural,
    election_request_proportional,
    proposition_order_approve,
    proposition_order_set,
    protocol_note_add,
    protocol_note_allow,
    reservation_register,
    vote_close,
    vote_open,
    vote_request,
)
from voting.tally.proportional import required_requests
from web import demo_after

DEMO_TITLE = "Sammanträde"

AGENDA: list[tuple[str, str, str, bool]] = [
    ("Upprop", "", "", False),
    ("Val av justerare", "", "", False),
    ("Bygglov för nybyggnad av radhus, Lärkan 7",
     "Ansökan avser sex radhus i två våningar. Åtgärden följer detaljplanen utom i fråga om "
     "placeringen av komplementbyggnader.",
     "Bygglov beviljas med stöd av 9 kap. 30 och 31 b §§ plan- och bygglagen.", False),
    ("Yttrande över översiktsplan för Ekby kommun 2040",
     "Kommunstyrelsen har remitterat förslaget till ny översiktsplan till nämnden.",
     "Nämnden tillstyrker förslaget och överlämnar förvaltningens yttrande som sitt eget.",
     False),
    ("Val av ledamöter och ersättare i nämndens arbetsutskott", "", "", False),
    ("Tillsynsärende – olovligt byggande",
     "Fastighetsägaren (personnummer 19650412-3391) har uppfört ett garage utan bygglov. "
     "Ärendet omfattas av sekretess enligt 26 kap. OSL.",
     "Nämnden tar ut byggsanktionsavgift enligt förvaltningens förslag.", True),
]


@contextmanager
def _clock(start: datetime) -> Iterator[None]:
    """Pin django.utils.timezone.now to ``start``, advancing 40 s per call (demo only)."""
    state = {"t": start}

    def now() -> datetime:
        state["t"] += timedelta(seconds=40)
        return state["t"]

    with mock.patch("django.utils.timezone.now", now):
        yield


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _hold(meeting: Meeting) -> None:
    mid = meeting.pk
    sec = _user("sekreterare")
    members = [_user(u) for u in ("ordforande", "vice", "ledamot3", "ledamot4", "ledamot5",
                                  "ledamot6", "ledamot7", "ledamot8", "ledamot9", "ledamot10")]
    olof, nils = _user("ersattare1"), _user("ersattare5")
    meeting_open(meeting_id=mid, actor=sec)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=sec.pk, remote=False)
    for n, user in enumerate(members):
        attendance_check_in(meeting_id=mid, actor=sec, user_id=user.pk, remote=n in (3, 8))
    for user in (olof, nils):
        attendance_check_in(meeting_id=mid, actor=sec, user_id=user.pk, remote=False)
    # Elin Sjöberg (seat 11) is absent: the first substitute serves her seat.
    substitute_call_in(meeting_id=mid, actor=sec, seat_number=11, user_id=olof.pk)
    agenda_approve(meeting_id=mid, actor=sec)
    items = list(meeting.items.order_by("position"))

    def activate(item: AgendaItem) -> dict:
        return item_activate(meeting_id=mid, actor=sec, item_id=item.pk).payload

    def gavel(item: AgendaItem, proposal_id: int) -> None:
        acclamation_put(meeting_id=mid, actor=sec, item_id=item.pk, proposal_id=proposal_id)
        acclamation_decide(meeting_id=mid, actor=sec, item_id=item.pk, outcome="bifall")
        decision_record(meeting_id=mid, actor=sec, item_id=item.pk, proposal_id=proposal_id)

    upprop, justerare, bygglov, yttrande, val, tillsyn = items
    activate(upprop)
    decision_record(meeting_id=mid, actor=sec, item_id=upprop.pk,
                    text="Ordföranden förrättar upprop och konstaterar att nämnden är beslutför.")
    item_close(meeting_id=mid, actor=sec, item_id=upprop.pk)

    activate(justerare)
    erik, fatima = members[1], members[2]
    adjusters_choose(meeting_id=mid, actor=sec, user_ids=[erik.pk, fatima.pk])
    decision_record_procedural(meeting_id=mid, actor=sec, item_id=justerare.pk,
                               procedure="adjusters")
    item_close(meeting_id=mid, actor=sec, item_id=justerare.pk)

    # Bygglov: a counter-proposal, a named vote, a reservation and a protocol note.
    prepared = activate(bygglov)["prepared_proposal"]["proposal_id"]
    lars = members[3]
    counter = proposal_make(meeting_id=mid, actor=lars, kind="avslag",
                            text="Avslag på ansökan om bygglov.").payload["proposal_id"]
    proposition_order_set(meeting_id=mid, actor=sec, item_id=bygglov.pk,
                          proposal_ids=[prepared, counter])
    proposition_order_approve(meeting_id=mid, actor=sec, item_id=bygglov.pk)
    acclamation_put(meeting_id=mid, actor=sec, item_id=bygglov.pk, proposal_id=prepared,
                    counter_proposal_id=counter)
    vote_request(meeting_id=mid, actor=lars, item_id=bygglov.pk)
    vote_id = vote_open(meeting_id=mid, actor=sec, item_id=bygglov.pk, kind="open",
                        main_proposal_id=prepared, counter_proposal_id=counter
                        ).payload["vote_id"]
    nej = {"vice", "ledamot4", "ledamot7"}
    for user in [*members[1:], olof, members[0]]:
        ballot_cast(meeting_id=mid, actor=user, vote_id=vote_id,
                    choice="nej" if user.username in nej else "ja")
    vote_close(meeting_id=mid, actor=sec, vote_id=vote_id)
    decision_record(meeting_id=mid, actor=sec, item_id=bygglov.pk, proposal_id=prepared)
    reservation_register(meeting_id=mid, actor=lars, item_id=bygglov.pk,
                         reason_text="Radhusen förändrar områdets karaktär.")
    johan = members[7]
    protocol_note_allow(meeting_id=mid, actor=sec, item_id=bygglov.pk, user_id=johan.pk)
    protocol_note_add(meeting_id=mid, actor=johan, item_id=bygglov.pk,
                      text="Vänsterpartiet förutsätter att dagvattnet tas om hand lokalt.")
    item_close(meeting_id=mid, actor=sec, item_id=bygglov.pk)

    # Yttrande: jäv, a substitute for that item only, decided by acclamation.
    prepared = activate(yttrande)["prepared_proposal"]["proposal_id"]
    karin = members[4]
    recusal_declare(meeting_id=mid, actor=karin, item_id=yttrande.pk,
                    reason="Äger mark inom planområdet")
    substitute_call_in(meeting_id=mid, actor=sec, seat_number=5, user_id=nils.pk)
    gavel(yttrande, prepared)
    item_close(meeting_id=mid, actor=sec, item_id=yttrande.pk)

    activate(val)
    _proportional_election(mid, sec, val, [*members, olof])
    item_close(meeting_id=mid, actor=sec, item_id=val.pk)

    # Tillsyn: the chair has jäv, so the vice chair leads the item (a logged handover).
    prepared = activate(tillsyn)["prepared_proposal"]["proposal_id"]
    recusal_declare(meeting_id=mid, actor=members[0], item_id=tillsyn.pk,
                    reason="Närstående till verksamhetsutövaren")
    presiding_change(meeting_id=mid, actor=sec, user_id=members[1].pk)
    gavel(tillsyn, prepared)
    item_close(meeting_id=mid, actor=sec, item_id=tillsyn.pk)
    meeting_adjourn(meeting_id=mid, actor=sec)


def _proportional_election(mid: int, sec, item: AgendaItem, voters: list) -> None:
    """Lag 2022:629: enough members ask (11 present, 3 seats: 11 ÷ 4 rounded up = 3; 2
    substitutes: 4), the members' and then the substitutes' election by closed list ballots,
    and one decision."""
    s = {"label": "S", "names": ["Mohammed Ali", "Fatima Hassan", "Olof Holm"]}
    m = {"label": "M, KD, L", "names": ["Ingrid Svensson", "Maria Lund", "Peter Andersson"]}
    c = {"label": "C, SD", "names": ["Karin Ek", "Lars Nilsson"]}
    sub_s = {"label": "S", "names": ["Ahmed Yusuf", "Hanna Björk"]}
    sub_m = {"label": "M, KD, L", "names": ["Lina Wallin"]}
    elections = ((False, 3, [s, m, c], [s] * 5 + [m] * 3 + [c] * 2 + [None]),
                 (True, 2, [sub_s, sub_m], [sub_s] * 6 + [sub_m] * 5))
    for substitutes, seats, lists, ballots in elections:
        for user in voters[4:4 + required_requests(len(voters), seats)]:
            election_request_proportional(meeting_id=mid, actor=user, item_id=item.pk,
                                          seats=seats, substitutes=substitutes)
        vote_id = vote_open(meeting_id=mid, actor=sec, item_id=item.pk, kind="proportional",
                            seats=seats, substitutes=substitutes, lists=lists
                            ).payload["vote_id"]
        for user, choice in zip(voters, ballots, strict=True):
            ballot_cast(meeting_id=mid, actor=user, vote_id=vote_id, choice=choice)
        vote_close(meeting_id=mid, actor=sec, vote_id=vote_id)
    decision_record_election(meeting_id=mid, actor=sec, item_id=item.pk, vote_id=vote_id,
                             office="ledamöter i arbetsutskottet", term="2027–2030")


def load_minutes_demo(*, password: str, now: datetime) -> Publication | None:
    """Hold, sign and post the earlier demo meeting; None if signing is not set up."""
    try:
        ca_store.passphrase()
    except ConfigurationError:
        return None
    body = Body.objects.filter(name=BODY_NAME).first()
    if body is None:
        return None
    done = Publication.objects.filter(
        body=body, document__item__isnull=True,
        document__meeting__title=DEMO_TITLE,
    ).first()
    if done is not None:
        return done
    with transaction.atomic():
        if not ca_store.ca_exists():
            ca_store.init_ca(organisation=body.organisation or None)
        if not anchor_keys.key_exists():
            anchor_keys.init_key()
        starts_at = next_tuesday_evening(now) - timedelta(days=14)
        meeting = Meeting.objects.create(
            body=body, title=DEMO_TITLE, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2), place="Stadshuset, sal Ekan",
            video_link="https://video.example.se/stadsbyggnadsnamnden", is_public=True,
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=position, title=title, description=description,
                       prepared_proposal=proposal, confidential=confidential)
            for position, (title, description, proposal, confidential) in enumerate(AGENDA, 1)
        )
        demo_after.set_cases(meeting)
        with _clock(starts_at - timedelta(minutes=2)):
            _hold(meeting)
        sec = _user("sekreterare")
        bygglov = meeting.items.get(position=3)
        minutes_paragraph_text_set(
            meeting_id=meeting.pk, actor=sec, item_id=bygglov.pk,
            text="Beslutsunderlag: förvaltningens tjänsteskrivelse, situationsplan och "
                 "fasadritningar.",
        )
        minutes_justering_set(meeting_id=meeting.pk, actor=sec,
                              text=f"Digital justering, {now:%Y-%m-%d}")
        demo_after.set_recipients(meeting, sec)
        minutes_lock(meeting_id=meeting.pk, actor=sec)
        for username in ("ordforande", "vice", "ledamot3"):
            minutes_sign(meeting_id=meeting.pk, actor=_user(username), password=password)
        minutes_post(meeting_id=meeting.pk, actor=sec, kept_at="Stadsbyggnadskontoret, Ekby")
    return Publication.objects.get(document__meeting=meeting, document__item__isnull=True)
