"""SMTP servers with STARTTLS on 127.0.0.1 for the mail transport tests (aiosmtpd in a thread).

``tls_context=None`` is a server that does not offer STARTTLS; a context from
``tlsservers.server_context`` chooses the protocols and the certificate. aiosmtpd logs a traceback
for every TLS handshake a probe breaks off on purpose: its ``mail.log`` logger is silenced.
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.CRITICAL)


class _Sink:
    async def handle_DATA(self, server, session, envelope) -> str:
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(tls_context: ssl.SSLContext | None, name: str = "mx.test") -> Iterator[int]:
    """An SMTP server offering STARTTLS with ``tls_context`` (None: no STARTTLS); yields its port."""
    controller = Controller(
        _Sink(),
        hostname="127.0.0.1",
        port=free_port(),
        server_hostname=name,
        tls_context=tls_context,
        require_starttls=False,
        ready_timeout=10.0,
    )
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
