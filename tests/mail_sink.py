"""A real SMTP server for tests (aiosmtpd on 127.0.0.1): mail that matters is
sent over SMTP and read back, not only checked in Django's in-memory outbox."""

import email
import email.policy
import socket

import pytest


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def parsed(self):
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.messages
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1; Django's mail goes there."""
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    yield sink
    controller.stop()
