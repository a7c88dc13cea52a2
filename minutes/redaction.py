"""The public version of the minutes (for the notice board and the archive's public pages).

Confidential paragraphs become "§ N Sekretess" with no content, secret votes keep only their
counts, and Swedish personal identity numbers are masked in every string. Over-masking a
look-alike number is the safe error.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from minutes.model import Minutes, Paragraph, VoteTable

# Swedish personal identity and co-ordination numbers: (YY)YYMMDD[-+]NNNN, with or without
# the separator. Day 61-91 is a samordningsnummer. Over-masking a look-alike is the safe error.
PERSONNUMMER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
    r"[-+ ]?\d{4}(?!\d)"
)
MASK = "ÅÅMMDD-XXXX"


def mask_identity_numbers(text: str) -> str:
    return PERSONNUMMER.sub(MASK, text)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_identity_numbers(value)
    if isinstance(value, tuple):
        return tuple(_masked(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _masked(getattr(value, f.name)) for f in dataclasses.fields(value)
                      if isinstance(getattr(value, f.name), (str, tuple))
                      or dataclasses.is_dataclass(getattr(value, f.name))}
        )
    return value


def _withheld(p: Paragraph) -> Paragraph:
    return Paragraph(item_id=p.item_id, number=p.number, title="Sekretess", confidential=True,
                     withheld=True)


def _public_vote(v: VoteTable) -> VoteTable:
    # A secret vote never carries names; keep only counts and the result.
    return dataclasses.replace(v, rows=()) if v.secret else v


def public_minutes(m: Minutes) -> Minutes:
    """The notice-board version: no confidential content, no identity numbers, no ballots."""
    paragraphs = tuple(
        _withheld(p) if p.confidential
        else dataclasses.replace(p, votes=tuple(_public_vote(v) for v in p.votes))
        for p in m.paragraphs
    )
    return _masked(dataclasses.replace(m, paragraphs=paragraphs, public=True))
