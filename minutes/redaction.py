"""The public version of the minutes (for the notice board and the archive's public pages).

The one place where the public rules for a § live (``public_paragraph``):
- a confidential paragraph becomes "§ N Sekretess" with no content;
- a secret vote keeps only its counts and result, never ballot rows;
- a jäv keeps the name and the standard sentence, never the reason (personal data);
- Swedish personal identity numbers are masked in every string (over-masking a look-alike
  number is the safe error).
``public_violations`` checks a version against the same rules; the lock refuses to freeze a
public version that breaks them, and the public pages re-apply ``public_minutes`` to what
they load (idempotent), so a snapshot frozen before a rule existed follows it too.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from minutes.model import Minutes, NamedText, Paragraph, VoteTable

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


def public_paragraph(p: Paragraph) -> Paragraph:
    """One § as the public may see it (every rule but the identity-number mask)."""
    if p.confidential:
        return _withheld(p)
    return dataclasses.replace(
        p,
        votes=tuple(_public_vote(v) for v in p.votes),
        proceedings=tuple(
            dataclasses.replace(step, vote=_public_vote(step.vote)) if step.vote else step
            for step in p.proceedings
        ),
        recusals=tuple(NamedText(x.name) for x in p.recusals),
    )


def public_minutes(m: Minutes) -> Minutes:
    """The notice-board version: no confidential content, no identity numbers, no ballots
    of secret votes, no jäv reasons. Applying it twice changes nothing."""
    paragraphs = tuple(public_paragraph(p) for p in m.paragraphs)
    return _masked(dataclasses.replace(m, paragraphs=paragraphs, public=True))


def public_violations(m: Minutes) -> list[str]:
    """What in ``m`` breaks the public rules (empty: nothing); ``m`` should be public."""
    problems: list[str] = []
    for p in m.paragraphs:
        if p.confidential and not p.withheld:
            problems.append(f"§ {p.number}: confidential content")
        votes = list(p.votes) + [step.vote for step in p.proceedings if step.vote]
        if any(v.secret and v.rows for v in votes):
            problems.append(f"§ {p.number}: ballots of a secret vote")
        if any(x.text for x in p.recusals):
            problems.append(f"§ {p.number}: a reason for jäv")
    if public_minutes(m) != m:
        problems.append("not the public version (identity numbers or flags)")
    return problems
