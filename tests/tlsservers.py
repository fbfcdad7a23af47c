"""Small TLS servers on 127.0.0.1 with chosen configurations, for the TLS probe's tests.

Each server is Python's ``ssl`` in a thread (sslyze connects from its own threads, so the event
loop is not involved). OpenSSL 3 refuses TLS 1.0/1.1 and weak suites at its default security
level; ``@SECLEVEL=0`` in the cipher string re-enables them, as old servers still have them.
"""

from __future__ import annotations

import contextlib
import datetime
import socket
import ssl
import threading
import warnings

import trustme

NOW = datetime.datetime.now(datetime.UTC)


def server_context(
    ca: trustme.CA,
    name: str,
    *,
    ciphers: str = "ECDHE+AESGCM",
    key_type: trustme.KeyType = trustme.KeyType.ECDSA,
    oldest: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    valid_days: tuple[int, int] = (-1, 90),
) -> ssl.SSLContext:
    """A server context; the defaults make a configuration that no profile objects to."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    not_before, not_after = (NOW + datetime.timedelta(days=days) for days in valid_days)
    ca.issue_cert(name, key_type=key_type, not_before=not_before, not_after=not_after).configure_cert(context)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 on purpose
        context.minimum_version = oldest
    context.set_ciphers(ciphers)
    context.set_ecdh_curve("prime256v1")  # one group: OpenSSL's defaults include X448 and P-521
    return context


class TlsServer:
    """Accepts TLS connections, answers one HTTP request with 204 and closes."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.socket.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError), connection:
            connection.settimeout(5)
            with self.context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(4096)
                tls.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.socket.close()
