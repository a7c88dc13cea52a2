"""Log formatting: expected refusals are one line, real failures keep their traceback.

Django logs a ``PermissionDenied`` (403) and a ``SuspiciousOperation`` (400) with the exception
attached, so a routine refusal printed a full traceback and buried real errors. A record that
carries an HTTP status below 500 (Django's ``log_response`` sets ``status_code``) is an
expected answer to a client: it is printed as its message plus the exception's class and
text, on one line. Websocket refusals are already logged as one line where they happen.
"""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Formatter):
    """The project's plain formatter, minus tracebacks of client errors (4xx)."""

    def format(self, record: logging.LogRecord) -> str:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and status < 500:
            exc = record.exc_info[1]
            line = logging.LogRecord(
                record.name, record.levelno, record.pathname, record.lineno,
                "%s (%s: %s)", (record.getMessage(), type(exc).__name__, exc), None,
                func=record.funcName,
            )
            line.created, line.msecs = record.created, record.msecs
            return super().format(line).replace("\n", " ")
        return super().format(record)
