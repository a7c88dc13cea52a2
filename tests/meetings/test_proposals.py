"""Proposals (yrkanden) on the active item: the prepared proposal as number 1, who may
propose, standard texts, entering on a member's behalf, withdrawing."""

from meetings.commands import (
    proposal_make,
    proposal_withdraw,
    recusal_declare,
    substitute_call_in,
)
from meetings.models import AgendaItem, Proposal
from tests.meetings.live import activate, close, refused, start


def propose(c, who, kind, text="", **kw):
    return proposal_make(meeting_id=c.meeting.pk, actor=who, kind=kind, text=text, **kw)


def test_the_prepared_proposal_becomes_number_one_at_activation(committee):
    c = committee
    start(c)
    event = activate(c, 1)
    prepared = event.payload["prepared_proposal"]
    assert prepared == {
        "proposal_id": prepared["proposal_id"], "item_id": c.items[1].pk, "number": 1,
        "kind": "prepared", "formal": False, "text": "Förslag 2", "author": None,
        "entered_by": None, "withdrawn": False,
    }
    assert Proposal.objects.get(item=c.items[1]).kind == "prepared"


def test_an_item_without_prepared_text_has_no_proposal_one(committee):
    c = committee
    AgendaItem.objects.filter(pk=c.items[0].pk).update(prepared_proposal="  ")
    start(c)
    assert activate(c, 0).payload["prepared_proposal"] is None
    assert not Proposal.objects.filter(item=c.items[0]).exists()
    refused("invalid_argument", propose, c, c.members[1], "bifall")  # nothing to approve


def test_members_make_proposals_with_standard_texts(committee):
    c = committee
    m1, m2 = c.members[1:3]
    start(c)
    activate(c, 1)
    event = propose(c, m1, "avslag", command_id="p-1")
    assert event.type == "proposal.made"
    assert event.payload["number"] == 2 and event.payload["seat"] == 2
    assert event.payload["text"] == "Avslag på beslutsförslaget"
    assert event.payload["author"] == {"user_id": m1.pk, "name": m1.get_full_name()}
    assert event.payload["entered_by"] is None
    assert propose(c, m1, "avslag", command_id="p-1").pk == event.pk
    assert propose(c, m2, "bifall").payload["text"] == "Bifall till beslutsförslaget"
    formal = propose(c, m2, "aterremiss")
    assert formal.payload["text"] == "Ärendet återremitteras" and formal.payload["formal"]
    assert propose(c, m1, "bordlaggning").payload["text"] == "Ärendet bordläggs"
    own = propose(c, m2, "aterremiss", "Ärendet återremitteras för en trafikutredning.")
    assert own.payload["text"] == "Ärendet återremitteras för en trafikutredning."
    amend = propose(c, m1, "andring", "  Bygglov beviljas med villkor om bullerskydd. ")
    assert amend.payload["text"] == "Bygglov beviljas med villkor om bullerskydd."
    assert amend.payload["number"] == 7
    assert list(Proposal.objects.filter(item=c.items[1]).values_list("number", flat=True)) == [
        1, 2, 3, 4, 5, 6, 7]


def test_proposal_argument_refusals(committee):
    c = committee
    m1 = c.members[1]
    start(c)
    refused("item_not_active", propose, c, m1, "avslag")
    activate(c, 1)
    refused("invalid_argument", propose, c, m1, "andring")
    refused("invalid_argument", propose, c, m1, "tillagg", "   ")
    refused("invalid_argument", propose, c, m1, "prepared", "Eget beslutsförslag")
    refused("invalid_argument", propose, c, m1, "nonsense", "x")
    refused("invalid_argument", propose, c, m1, "andring", "x" * 10_001)


def test_only_serving_present_non_recused_members_may_propose(committee):
    c = committee
    e1, e2 = c.substitutes
    mid = start(c, present=c.members[:4], substitutes=[e1])
    recusal_declare(meeting_id=mid, actor=c.members[3], item_id=c.items[1].pk)
    activate(c, 1)
    refused("recused", propose, c, c.members[3], "avslag")
    refused("not_serving", propose, c, e1, "avslag")
    refused("not_present", propose, c, c.members[4], "avslag")
    refused("not_serving", propose, c, c.secretary, "avslag")
    refused("not_a_participant", propose, c, c.outsider, "avslag")
    # A substitute serving for the recused member may propose on this item.
    substitute_call_in(meeting_id=mid, actor=c.secretary, seat_number=4, user_id=e1.pk)
    assert propose(c, e1, "avslag").payload["seat"] == 4


def test_the_secretary_enters_a_proposal_on_a_members_behalf(committee):
    c = committee
    m1, e1 = c.members[1], c.substitutes[0]
    start(c, substitutes=[e1])
    activate(c, 1)
    event = propose(c, c.secretary, "tillagg", "Nämnden uppdrar åt förvaltningen att följa upp.",
                    on_behalf_of=m1.pk)
    assert event.payload["author"]["user_id"] == m1.pk
    assert event.payload["entered_by"] == {"user_id": c.secretary.pk,
                                           "name": c.secretary.get_full_name()}
    assert Proposal.objects.get(pk=event.payload["proposal_id"]).entered_by_id == c.secretary.pk
    refused("not_serving", propose, c, c.secretary, "avslag", on_behalf_of=e1.pk)
    refused("user_not_found", propose, c, c.secretary, "avslag", on_behalf_of=c.outsider.pk)
    refused("permission_denied", propose, c, c.members[2], "avslag", on_behalf_of=m1.pk)


def test_withdrawing_proposals(committee):
    c = committee
    m1, m2 = c.members[1:3]
    mid = start(c)
    prepared_id = activate(c, 1).payload["prepared_proposal"]["proposal_id"]
    p1 = propose(c, m1, "avslag").payload["proposal_id"]
    p2 = propose(c, m2, "aterremiss").payload["proposal_id"]
    refused("permission_denied", proposal_withdraw, meeting_id=mid, actor=m2, proposal_id=p1)
    event = proposal_withdraw(meeting_id=mid, actor=m1, proposal_id=p1)
    assert event.type == "proposal.withdrawn"
    assert event.payload["withdrawn"] is True and event.payload["by_author"] is True
    assert event.payload["text"] == "Avslag på beslutsförslaget"
    refused("proposal_withdrawn", proposal_withdraw, meeting_id=mid, actor=m1, proposal_id=p1)
    refused("proposal_not_withdrawable", proposal_withdraw, meeting_id=mid, actor=c.secretary,
            proposal_id=prepared_id)
    refused("proposal_not_found", proposal_withdraw, meeting_id=mid, actor=m1,
            proposal_id=999999)
    by_secretary = proposal_withdraw(meeting_id=mid, actor=c.secretary, proposal_id=p2)
    assert by_secretary.payload["by_author"] is False
    assert list(Proposal.objects.filter(item=c.items[1], withdrawn=False).values_list(
        "pk", flat=True)) == [prepared_id]
    p3 = propose(c, m1, "avslag").payload["proposal_id"]
    close(c, 1)
    refused("item_not_active", proposal_withdraw, meeting_id=mid, actor=m1, proposal_id=p3)
