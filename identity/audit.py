"""Writing the identity audit log (``AuditEntry``), and a log line for each entry."""

from __future__ import annotations

import logging
from typing import Any

from identity.models import AuditEntry

logger = logging.getLogger("klubba.identity")


def _user_id(user: Any) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def audit(action: str, *, actor: Any = None, subject: Any = None, **detail: Any) -> AuditEntry:
    """Record ``action`` (e.g. ``otp.enrolled``); ``detail`` must never hold a code or secret."""
    actor_id, subject_id = _user_id(actor), _user_id(subject)
    logger.info("identity %s actor=%s subject=%s %s", action, actor_id, subject_id, detail)
    return AuditEntry.objects.create(action=action, actor_id=actor_id, subject_id=subject_id,
                                     detail=detail)
