"""A proportional election (lag 2022:629) through the commands: requests reaching the
threshold, the election opened, closed list ballots (one blank), the count by d'Hondt, the
substitutes' own election, the decision and the minutes; the refusals on the way; secrecy."""

from __future__ import annotations

import pytest

from meetings.models import MeetingEvent
from minutes.inputs import minutes_of
from tests.support.committee import make_committee
from tests.support.voting import Live, refused, start_item
from voting.commands import (
    ballot_cast,
    decision_record_election,
    election_request_proportional,
    vote_close,
    vote_open,
)
from voting.models import Decision, ProportionalRequest, SecretBallot, Vote
from voting.sealing import unseal

S = {"label": "Socialdemokraterna", "names": ["Anna A", "Bo B", "Cia C"]}
M = {"label": "Moderaterna", "names": ["Dan D", "Eva E"]}


@pytest.fixture
def seven(db) -> Live:
    """Seven members present and serving: 3 seats need ceil(7 / 4) = 2 requests."""
    return start_item(make_committee(seats=7))


def _request(live: Live, member, *, seats: int, substitutes: bool = False) -> dict:
    return election_request_proportional(
        meeting_id=live.meeting_id, actor=member, item_id=live.item.pk, seats=seats,
        substitutes=substitutes).payload


def _cast(live: Live, vote_id: int, ballots: list) -> None:
    for member, choice in ballots:
        ballot_cast(meeting_id=live.meeting_id, actor=member, vote_id=vote_id, choice=choice)


def test_a_whole_proportional_election(seven):
    live, m = seven, seven.c.members
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    prop = {**kw, "kind": "proportional", "seats": 3}
    refused("proportional_not_requested", vote_open, **prop)

    first = _request(live, m[1], seats=3)
    assert (first["present"], first["required"], first["requests"], first["reached"]) == (
        7, 2, 1, False)
    refused("proportional_already_requested", election_request_proportional,
            **live.kw(actor=m[1], item_id=live.item.pk, seats=3))
    refused("proportional_seats_mismatch", election_request_proportional,
            **live.kw(actor=m[2], item_id=live.item.pk, seats=2))
    refused("proportional_not_requested", vote_open, **prop)
    second = _request(live, m[2], seats=3)
    assert (second["requests"], second["reached"]) == (2, True)

    # Now the election on the item must be proportional.
    refused("proportional_required", vote_open, **kw, kind="election",
            candidates=["Anna A", "Dan D"], posts=1)
    refused("proportional_seats_mismatch", vote_open, **{**prop, "seats": 4})
    refused("proportional_members_first", vote_open, **prop, substitutes=True)

    opened = vote_open(**prop, lists=[S, M]).payload
    assert (opened["kind"], opened["posts"], opened["substitutes"], opened["choices"]) == (
        "proportional", 3, False, None)
    assert opened["lists"] == [S, M]
    vote_id = opened["vote_id"]

    # Wrong kinds of ballot, and people who may not vote.
    for wrong in ("ja", ["Anna A"], {"label": "S", "names": []},
                  {"label": " ", "names": ["Anna A"]},
                  {"label": "S", "names": ["Anna A", "Anna A"]},
                  {"label": "S", "names": ["Anna A"], "voter": "m0"}):
        refused("invalid_choice", ballot_cast, **live.kw(actor=m[0], vote_id=vote_id,
                                                          choice=wrong))
    refused("not_serving", ballot_cast, **live.kw(actor=live.c.substitutes[0], vote_id=vote_id,
                                                   choice=S))
    refused("not_a_participant", ballot_cast, **live.kw(actor=live.c.outsider,
                                                         vote_id=vote_id, choice=S))

    # Three for S, two for M (one written by hand, with stray spaces), a own list, a blank.
    own = {"label": "  Vänsterpartiet ", "names": [" Fia  F", "Gus G "]}
    _cast(live, vote_id, [(m[0], S), (m[1], S), (m[2], S), (m[3], M),
                          (m[4], {"label": "Moderaterna", "names": ["Dan  D", " Eva E"]}),
                          (m[5], own), (m[6], None)])
    refused("already_voted", ballot_cast, **live.kw(actor=m[0], vote_id=vote_id, choice=M))
    # While the vote is open the ballots are sealed (voting.sealing): open them to look.
    rows = SecretBallot.objects.filter(vote_id=vote_id).values_list("choice", "sealed")
    assert all(choice is None and sealed for choice, sealed in rows)
    stored = sorted(repr(unseal(vote_id, sealed)[0]) for _choice, sealed in rows)
    assert stored.count(repr(None)) == 1
    assert repr({"label": "Vänsterpartiet", "names": ["Fia F", "Gus G"]}) in stored

    result = vote_close(**live.kw(actor=live.sec, vote_id=vote_id)).payload["result"]
    # d'Hondt: S 3, M 2, V 1 -> seat 1 S (3), seat 2 M (2), seat 3 S (3/2).
    assert [(g["label"], g["votes"], g["seats"]) for g in result["groups"]] == [
        ("Socialdemokraterna", 3, 2), ("Moderaterna", 2, 1), ("Vänsterpartiet", 1, 0)]
    assert [(s["seat"], s["name"], s["comparison"]) for s in result["seats"]] == [
        (1, "Anna A", "3"), (2, "Dan D", "2"), (3, "Bo B", "3/2")]
    assert result["elected"] == ["Anna A", "Dan D", "Bo B"]
    assert (result["blank"], result["invalid"], result["valid"], result["lots"]) == (1, 0, 6, [])
    assert result["substitutes_elected"] == []

    # The substitutes' own election: 2 seats need ceil(7 / 3) = 3 requests; a majority
    # election of substitutes stays allowed until they are reached.
    for member in m[:3]:
        _request(live, member, seats=2, substitutes=True)
    refused("proportional_required", vote_open, **kw, kind="election",
            candidates=["Cia C"], posts=1)
    sub = vote_open(**kw, kind="proportional", seats=2, substitutes=True).payload["vote_id"]
    _cast(live, sub, [(m[0], {"label": "S", "names": ["Cia C", "Ulf U"]}),
                      (m[1], {"label": "S", "names": ["Cia C", "Ulf U"]}),
                      (m[2], {"label": "S", "names": ["Cia C", "Ulf U"]}),
                      (m[3], {"label": "M", "names": ["Eva E"]})])
    subs = vote_close(**live.kw(actor=live.sec, vote_id=sub)).payload["result"]
    assert (subs["elected"], subs["substitutes_elected"]) == ([], ["Cia C", "Ulf U"])

    decision = decision_record_election(**kw, vote_id=vote_id, office="ledamöter i valnämnden",
                                        term="2027–2030").payload
    assert decision["elected"] == ["Anna A", "Dan D", "Bo B"]
    assert decision["substitutes"] == ["Cia C", "Ulf U"]
    assert decision["text"] == ("Till ledamöter i valnämnden för perioden 2027–2030 väljs "
                                "Anna A, Dan D och Bo B. Till ersättare väljs, i denna ordning, "
                                "Cia C och Ulf U.")
    assert Decision.objects.get(item=live.item).vote_id == vote_id

    (para,) = minutes_of(live.c.meeting).paragraphs
    members_table, subs_table = para.votes
    assert members_table.secret and members_table.rows == ()
    assert members_table.counts == (("Socialdemokraterna", 3), ("Moderaterna", 2),
                                    ("Vänsterpartiet", 1), ("Blanka", 1), ("Ogiltiga", 0))
    assert "mandat 3: Bo B (Socialdemokraterna) (3/2)" in members_table.result
    assert "Valda: Anna A, Dan D, Bo B." in members_table.result
    assert "ersättare" in subs_table.title
    assert "S: Cia C, Ulf U" in subs_table.result
    assert para.decision == decision["text"]


def test_a_request_counts_the_members_present_at_that_moment(db):
    c = make_committee(seats=7)
    live = start_item(c, absent=(c.members[5], c.members[6]))
    # Five present, 1 seat: ceil(5 / 2) = 3 requests.
    payloads = [_request(live, member, seats=1) for member in c.members[1:4]]
    assert [(p["present"], p["required"], p["reached"]) for p in payloads] == [
        (5, 3, False), (5, 3, False), (5, 3, True)]
    assert [r.count for r in ProportionalRequest.objects.filter(item=live.item)] == [1, 2, 3]


def test_who_may_ask(seven):
    live = seven
    args = {"item_id": live.item.pk, "seats": 3}
    refused("not_serving", election_request_proportional,
            **live.kw(actor=live.c.substitutes[0], **args))
    refused("not_a_participant", election_request_proportional,
            **live.kw(actor=live.c.outsider, **args))
    refused("invalid_argument", election_request_proportional,
            **live.kw(actor=live.c.members[1], item_id=live.item.pk, seats=0))


def test_the_log_has_counts_only(seven):
    live, m = seven, seven.c.members
    for member in m[1:3]:
        _request(live, member, seats=3)
    vote_id = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk), kind="proportional",
                        seats=3).payload["vote_id"]
    before = MeetingEvent.objects.count()
    _cast(live, vote_id, [(m[0], S), (m[1], M)])
    casts = list(MeetingEvent.objects.order_by("seq")[before:])
    assert [e.type for e in casts] == ["ballot.cast", "ballot.cast"]
    for event in casts:
        assert event.actor_id is None and event.command_id is None
        assert set(event.payload) == {"item_id", "vote_id", "kind", "cast", "eligible_count"}
    field_names = {f.name for f in SecretBallot._meta.get_fields()}
    assert field_names == {"id", "vote", "choice", "sealed"}
    assert Vote.objects.get(pk=vote_id).kind == "proportional"


def test_the_members_form_and_state(seven, client):
    live, m = seven, seven.c.members
    for member in m[1:3]:
        _request(live, member, seats=3)
    vote_open(**live.kw(actor=live.sec, item_id=live.item.pk), kind="proportional", seats=3,
              lists=[S])
    client.force_login(m[0])
    page = client.get(f"/moten/{live.meeting_id}/").content.decode()
    assert 'id="proportional-ballot-form"' in page and 'id="proportional-request-form"' in page
    state = client.get(f"/moten/{live.meeting_id}/state.json").json()
    vote = state["panel"]["vote"]
    assert (vote["kind"], vote["lists"], vote["me"]["eligible"]) == ("proportional", [S], True)
    assert state["voting"]["proportional_requests"] == [
        {"substitutes": False, "seats": 3, "requests": 2, "required": 2, "reached": True}]
    client.force_login(live.sec)
    console = client.get(f"/moten/{live.meeting_id}/sekreterare/").content.decode()
    assert 'id="proportional-console"' in console and 'value="proportional"' in console
