"""How a person and a proposal appear inside event payloads and snapshots: one shape each.

Payloads are kept for ever, so these shapes are declared once (``meetings.events`` uses them)
and built only here. Readers of old logs also meet the earlier voting shape of a proposal
reference, whose ``author`` was a plain name: ``author_name`` reads both.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.contrib.auth.models import User

from meetings.models import Proposal
from meetings.roles import display_name


class PersonRef(TypedDict):
    user_id: int
    name: str


class ProposalRef(TypedDict):
    proposal_id: int
    item_id: int
    number: int
    kind: str
    formal: bool
    text: str
    author: PersonRef | None
    entered_by: PersonRef | None
    withdrawn: bool


def person_ref(user: User | None) -> PersonRef | None:
    if user is None:
        return None
    return PersonRef(user_id=user.pk, name=display_name(user))


def proposal_ref(proposal: Proposal) -> ProposalRef:
    return ProposalRef(
        proposal_id=proposal.pk,
        item_id=proposal.item_id,
        number=proposal.number,
        kind=proposal.kind,
        formal=proposal.is_formal,
        text=proposal.text,
        author=person_ref(proposal.author),
        entered_by=person_ref(proposal.entered_by),
        withdrawn=proposal.withdrawn,
    )


def optional_proposal_ref(proposal: Proposal | None) -> ProposalRef | None:
    return None if proposal is None else proposal_ref(proposal)


def author_name(ref: dict[str, Any] | None) -> str:
    """The author's name from any proposal reference ever logged (dict or plain name)."""
    author = (ref or {}).get("author")
    if isinstance(author, dict):
        return str(author.get("name", ""))
    return str(author or "")
