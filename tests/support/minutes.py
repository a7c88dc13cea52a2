"""Meetings held through the real commands for the minutes tests, and the test signing
passphrase."""

from __future__ import annotations

from dataclasses import dataclass

from meetings.commands import (
    adjusters_choose,
    agenda_approve,
    attendance_check_in,
    attendance_check_out,
    item_activate,
    item_close,
    meeting_adjourn,
    meeting_open,
)
from meetings.models import AgendaItem
from tests.support.committee import UNDECIDED, Committee

PASSPHRASE = "tests-only-signing-passphrase-0123456789"  # noqa: S105
PNR = "19800101-1234"


@dataclass
class Held:
    c: Committee
    late: object  # members[4], arrives during item 2
    leaver: object  # members[3], leaves during item 3
    absent: object  # members[2], never comes
    adjusters: list


def hold_meeting(c: Committee, *, adjourn: bool = True) -> Held:
    """A scripted meeting: roll call, agenda, adjusters, four items, a late arrival, a leaver."""
    mid = c.meeting.pk
    sec = c.secretary
    # Put a personal identity number in the confidential item's description (public: masked
    # AND withheld) and one in an open item's description (public: masked only).
    AgendaItem.objects.filter(pk=c.items[3].pk).update(
        description=f"Föreläggande mot fastighetsägare {PNR}. Hemlig uppgift XYZZY."
    )
    AgendaItem.objects.filter(pk=c.items[1].pk).update(
        description="Sökanden 800101-1234 ansöker om bygglov för en carport."
    )
    meeting_open(meeting_id=mid, actor=sec)
    chair, m2, m3, m4, m5 = c.members
    attendance_check_in(meeting_id=mid, actor=sec, user_id=chair.pk, remote=False)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=m2.pk, remote=True)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=m4.pk, remote=False)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=c.substitutes[0].pk, remote=True)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=sec.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=sec)
    for n, item in enumerate(c.items):
        item_activate(meeting_id=mid, actor=sec, item_id=item.pk)
        if n == 0:
            adjusters_choose(meeting_id=mid, actor=sec, user_ids=[m2.pk, m4.pk])
        if n == 1:
            attendance_check_in(meeting_id=mid, actor=sec, user_id=m5.pk, remote=False)
        if n == 2:
            attendance_check_out(meeting_id=mid, actor=sec, user_id=m4.pk)
        item_close(meeting_id=mid, actor=sec, item_id=item.pk, **UNDECIDED)
    if adjourn:
        meeting_adjourn(meeting_id=mid, actor=sec)
    return Held(c=c, late=m5, leaver=m4, absent=m3, adjusters=[m2, m4])


def klubba_settings() -> dict:
    from django.conf import settings

    return dict(settings.KLUBBA)


@dataclass
class Live:
    """A meeting with the live and voting commands: jäv, substitutes, proposals, votes."""

    c: Committee
    recused: object  # members[3]: jäv on item 2, substitutes[1] serves seat 4 for it
    reserver: object  # members[1]: votes nej and reserves
    noter: object  # members[4]: protocol note on item 2
    adjusters: list
    vote_id: int
    election_id: int


def hold_live_meeting(c: Committee) -> Live:
    from meetings.commands import (
        proposal_make,
        recusal_declare,
        substitute_call_in,
    )
    from voting.commands import (
        acclamation_decide,
        acclamation_put,
        ballot_cast,
        decision_record,
        proposition_order_approve,
        proposition_order_set,
        protocol_note_add,
        protocol_note_allow,
        reservation_register,
        vote_close,
        vote_open,
        vote_request,
    )

    mid = c.meeting.pk
    sec = c.secretary
    chair, m2, m3, m4, m5 = c.members
    e1, e2 = c.substitutes
    AgendaItem.objects.filter(pk=c.items[3].pk).update(
        description=f"Föreläggande mot fastighetsägare {PNR}. Hemlig uppgift XYZZY."
    )
    meeting_open(meeting_id=mid, actor=sec)
    for user, remote in ((chair, False), (m2, True), (m4, False), (m5, False), (e1, True),
                         (e2, False), (sec, False)):
        attendance_check_in(meeting_id=mid, actor=sec, user_id=user.pk, remote=remote)
    # m3 is absent: the first substitute serves seat 3 from the start.
    substitute_call_in(meeting_id=mid, actor=sec, seat_number=3, user_id=e1.pk)
    agenda_approve(meeting_id=mid, actor=sec)

    def activate(item) -> dict:
        return item_activate(meeting_id=mid, actor=sec, item_id=item.pk).payload

    def gavel(item, payload) -> None:
        pid = payload["prepared_proposal"]["proposal_id"]
        acclamation_put(meeting_id=mid, actor=sec, item_id=item.pk, proposal_id=pid)
        acclamation_decide(meeting_id=mid, actor=sec, item_id=item.pk, outcome="bifall")
        decision_record(meeting_id=mid, actor=sec, item_id=item.pk, proposal_id=pid)

    i1, i2, i3, i4 = c.items
    p = activate(i1)
    adjusters_choose(meeting_id=mid, actor=sec, user_ids=[m2.pk, m5.pk])
    gavel(i1, p)
    item_close(meeting_id=mid, actor=sec, item_id=i1.pk)

    # § 2: jäv, a substitute for that item, a counter-proposal, a named vote, a reservation
    # and a protocol note.
    p = activate(i2)
    recusal_declare(meeting_id=mid, actor=m4, item_id=i2.pk, reason="Granne till sökanden")
    substitute_call_in(meeting_id=mid, actor=sec, seat_number=4, user_id=e2.pk)
    prepared = p["prepared_proposal"]["proposal_id"]
    counter = proposal_make(meeting_id=mid, actor=m2, kind="avslag",
                            text="Avslag på ansökan").payload["proposal_id"]
    proposition_order_set(meeting_id=mid, actor=sec, item_id=i2.pk,
                          proposal_ids=[prepared, counter])
    proposition_order_approve(meeting_id=mid, actor=sec, item_id=i2.pk)
    acclamation_put(meeting_id=mid, actor=sec, item_id=i2.pk, proposal_id=prepared,
                    counter_proposal_id=counter)
    vote_request(meeting_id=mid, actor=m2, item_id=i2.pk)
    vote_id = vote_open(meeting_id=mid, actor=sec, item_id=i2.pk, kind="open",
                        main_proposal_id=prepared, counter_proposal_id=counter
                        ).payload["vote_id"]
    for voter, choice in ((m2, "nej"), (e1, "ja"), (e2, "avstar"), (m5, "ja"), (chair, "ja")):
        ballot_cast(meeting_id=mid, actor=voter, vote_id=vote_id, choice=choice)
    vote_close(meeting_id=mid, actor=sec, vote_id=vote_id)
    decision_record(meeting_id=mid, actor=sec, item_id=i2.pk, proposal_id=prepared)
    reservation_register(meeting_id=mid, actor=m2, item_id=i2.pk,
                         reason_text="Byggnaden är för hög för området.")
    protocol_note_allow(meeting_id=mid, actor=sec, item_id=i2.pk, user_id=m5.pk)
    protocol_note_add(meeting_id=mid, actor=m5, item_id=i2.pk,
                      text="Jag vill att grannarnas synpunkter beaktas.")
    item_close(meeting_id=mid, actor=sec, item_id=i2.pk)

    # § 3: an election by secret ballot (counts only), then the gavel on the proposal.
    p = activate(i3)
    election_id = vote_open(meeting_id=mid, actor=sec, item_id=i3.pk, kind="election",
                            candidates=["Kandidat Ett", "Kandidat Två"], posts=1
                            ).payload["vote_id"]
    for voter, choice in ((chair, ["Kandidat Ett"]), (m2, ["Kandidat Två"]),
                          (e1, ["Kandidat Ett"]), (m4, ["Kandidat Ett"]), (m5, [])):
        ballot_cast(meeting_id=mid, actor=voter, vote_id=election_id, choice=choice)
    vote_close(meeting_id=mid, actor=sec, vote_id=election_id)
    gavel(i3, p)
    item_close(meeting_id=mid, actor=sec, item_id=i3.pk)

    # § 4: confidential.
    p = activate(i4)
    gavel(i4, p)
    item_close(meeting_id=mid, actor=sec, item_id=i4.pk)
    meeting_adjourn(meeting_id=mid, actor=sec)
    return Live(c=c, recused=m4, reserver=m2, noter=m5, adjusters=[m2, m5], vote_id=vote_id,
                election_id=election_id)
