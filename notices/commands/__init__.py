"""The commands of the time before a meeting (see ``meetings.contract``)."""

from notices.commands.absence import (
    absence_report,
    absence_withdraw,
    substitute_answer,
)
from notices.commands.notice import notice_send
from notices.commands.remote import remote_decide, remote_request

__all__ = [
    "absence_report", "absence_withdraw", "notice_send", "remote_decide", "remote_request",
    "substitute_answer",
]
