"""Commands for review, locking, justering (signing) and anslag (posting) of the minutes.

Every command is on the meetings contract (``meetings.contract.meeting_command``): one
transaction holding the meeting's row lock, the command-id replay, typed events
(``minutes.events``). Locking and signing render and sign *before* taking the lock and use it
only to check and append (see ``minutes.commands.documents``).
"""

from __future__ import annotations

from minutes.commands.dispatch import extract_dispatch, minutes_recipients_set
from minutes.commands.documents import CHAIR_FIELD, render_both, sha256, signers_of
from minutes.commands.extracts import extract_certify
from minutes.commands.justering import minutes_sign, minutes_sign_paragraph, require_item_handled
from minutes.commands.lock import minutes_lock
from minutes.commands.posting import appeal_dates, minutes_post
from minutes.commands.remarks import MAX_REMARK, minutes_approve, minutes_remark
from minutes.commands.review import (
    MAX_PARAGRAPH_TEXT,
    minutes_justering_set,
    minutes_paragraph_text_set,
)

__all__ = [
    "CHAIR_FIELD", "MAX_PARAGRAPH_TEXT", "MAX_REMARK", "appeal_dates", "extract_certify",
    "extract_dispatch", "minutes_approve", "minutes_justering_set", "minutes_lock",
    "minutes_paragraph_text_set", "minutes_post", "minutes_recipients_set", "minutes_remark",
    "minutes_sign", "minutes_sign_paragraph",
    "render_both", "require_item_handled", "sha256", "signers_of",
]
