"""curl-style ``--connect-to HOST:PORT:ADDR:PORT``: reach a name at another address.

The same mapping must apply to Chromium (``--host-resolver-rules``) and to every Python network
client, so that a scan sees one consistent network. Tests and the demo use it to serve many real
hostnames (www.google-analytics.com, fonts.googleapis.com, ...) from 127.0.0.1 without DNS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.net.hostnames import ascii_host

_HOST = r"[^:\[\]\s,]+|\[[0-9a-fA-F:.]+\]"
# As in curl, an empty HOST matches every host name on that port (":443:127.0.0.1:8443").
CONNECT_TO = re.compile(
    rf"^(?P<host>{_HOST})?:(?P<port>\d{{1,5}}):(?P<address>{_HOST}):(?P<address_port>\d{{1,5}})$"
)


class ConnectToError(ValueError):
    pass


@dataclass(frozen=True)
class ConnectTo:
    host: str
    port: int
    address: str
    address_port: int

    @classmethod
    def parse(cls, text: str) -> ConnectTo:
        match = CONNECT_TO.match(text.strip())
        if not match:
            example = "www.example.de:443:127.0.0.1:8443"
            raise ConnectToError(f'expected HOST:PORT:ADDRESS:PORT like "{example}", got "{text}"')
        port, address_port = int(match["port"]), int(match["address_port"])
        for value in (port, address_port):
            if not 1 <= value <= 65535:
                raise ConnectToError(f'port {value} out of range 1-65535 in "{text}"')
        host = match["host"] or ""
        host = ascii_host(host.strip("[]")) or host.lower()
        return cls(host, port, match["address"].strip("[]"), address_port)

    def __str__(self) -> str:
        address = f"[{self.address}]" if ":" in self.address else self.address
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}:{address}:{self.address_port}"


class HostMap:
    """The set of connect-to rules of one scan, looked up by (host, port)."""

    def __init__(self, rules: Iterable[ConnectTo] = ()) -> None:
        self._rules: dict[tuple[str, int], ConnectTo] = {}
        for rule in rules:
            self._rules.setdefault((rule.host, rule.port), rule)  # first rule wins, as in curl

    @classmethod
    def from_strings(cls, texts: Iterable[str]) -> HostMap:
        return cls(ConnectTo.parse(text) for text in texts)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def __iter__(self):
        return iter(self._rules.values())

    def resolve(self, host: str, port: int) -> tuple[str, int] | None:
        """Where to connect for ``host:port``, or None to use normal DNS."""
        rule = self._rules.get((ascii_host(host) or host, port)) or self._rules.get(("", port))
        return (rule.address, rule.address_port) if rule else None

    def chromium_host_resolver_rules(self) -> str:
        """The value of Chromium's ``--host-resolver-rules``.

        Chromium matches a MAP pattern against "host:port" as well as "host", and replaces both
        the host and the port, which is exactly curl's connect-to.
        """
        rules = []
        # Chromium applies the first matching rule: exact host names before wildcards.
        for rule in sorted(self._rules.values(), key=lambda rule: rule.host == ""):
            address = f"[{rule.address}]" if ":" in rule.address else rule.address
            rules.append(f"MAP {rule.host or '*'}:{rule.port} {address}:{rule.address_port}")
        return ", ".join(rules)
