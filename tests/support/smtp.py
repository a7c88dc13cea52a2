"""A real SMTP server for mail tests: aiosmtpd on 127.0.0.1 at a free port, and the
settings that make Django's SMTP backend talk to it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from django.test import override_settings


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return part.get_content()

    def attachment(self, filename: str) -> bytes:
        for part in self.message.iter_attachments():
            if part.get_filename() == filename:
                return part.get_payload(decode=True)
        raise AssertionError(f"no attachment {filename!r}")


@dataclass
class Inbox:
    """What the server received, in order. The SMTP reply (250) comes after the handler
    stored the message, so a sent mail is here when ``send`` returns."""

    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_settings(port: int) -> dict[str, Any]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": 10, "DEFAULT_FROM_EMAIL": "Klubba <kallelse@ekby.example.se>",
    }


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    """Start the server, point Django's mail at it, and stop it afterwards."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(**smtp_settings(port)):
            yield inbox
    finally:
        controller.stop()


def give_addresses(*users: Any, domain: str = "ekby.example.se") -> None:
    """Every user gets ``username@domain`` (the test committee has no addresses)."""
    for user in users:
        user.email = f"{user.username.lower()}@{domain}"
        user.save(update_fields=["email"])
