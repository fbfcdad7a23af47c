"""One spelling of a host name everywhere: lower case, IDNA as browsers do it, no trailing dot."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import idna

_ASCII_HOST = re.compile(r"^[a-z0-9_.-]+$")


def ascii_host(host: str) -> str | None:
    """``Straße.de`` -> ``xn--strae-oqa.de``; an IPv6 literal in canonical form; None if invalid."""
    host = host.strip().lower().rstrip(".")
    if not host:
        return None
    if ":" in host:  # an IPv6 literal (without brackets)
        try:
            return str(ipaddress.IPv6Address(host.strip("[]")))
        except ValueError:
            return None
    if host.isascii():
        # ASCII names pass unchanged: IDNA 2008 would reject real-world names such as "my_host".
        return host if _ASCII_HOST.match(host) else None
    try:
        # UTS 46 non-transitional, like browsers and yarl/aiohttp: "straße.de" -> "xn--strae-oqa.de",
        # where Python's own "idna" codec (IDNA 2003) would say "strasse.de", another domain.
        return idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return None


def host_of(url: str) -> str:
    """The host of a URL in lower case ("" when it has none), as fingerprints and politeness key it."""
    return (urlsplit(url).hostname or "").lower()


def is_ip(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address (without brackets), not a name."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
