"""What the public may see of the minutes' own events (meetings.visibility is default-deny).

Locking, signing and posting are public facts: who signed, when, the public PDF's hash and
the appeal dates. Review texts (``minutes.paragraph_text_set``) and paragraph extracts stay
with the participants: they may concern confidential items or contain personal data. So do
the justering loop's remarks and approvals (``minutes.remark_added``,
``minutes.paragraph_approved``): not registered here, so never public.
"""

from __future__ import annotations

from typing import Any

from meetings.visibility import register_public_event

_PUBLIC_KEYS = {
    "minutes.locked": ("log_seq", "log_hash", "public_sha256", "paragraphs", "version"),
    "minutes.signed": ("name", "role", "position", "signed_at", "public_sha256", "complete",
                       "version"),
    "minutes.posted": ("posted_on", "appeal_last_day", "taken_down_on", "kept_at",
                       "public_sha256", "publication_id"),
}


def _rule(keys: tuple[str, ...]):
    def public(payload: dict[str, Any], confidential: frozenset[int]) -> dict[str, Any]:
        return {key: payload.get(key) for key in keys}

    return public


def register() -> None:
    for event_type, keys in _PUBLIC_KEYS.items():
        register_public_event(event_type, _rule(keys))
