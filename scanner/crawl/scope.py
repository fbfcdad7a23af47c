"""Who is "us": the first-party set of a target, and which URLs the crawler may visit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from scanner.net.hostnames import ascii_host


def normalise_host(host: str) -> str:
    """A first-party entry or a URL's host in the one spelling used for comparisons."""
    host = host.strip().lower().removeprefix("*.")
    return ascii_host(host) or host


class FirstPartySet:
    """An authority's own hosts. An entry ``example.de`` covers example.de and every subdomain.

    Authorities often run several domains (portal, service portal, tourism site): all of them are
    "us"; everything else is a third party.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries: tuple[str, ...] = tuple(sorted({normalise_host(entry) for entry in entries}))

    def contains_host(self, host: str | None) -> bool:
        if not host:
            return False
        host = normalise_host(host)
        return any(host == entry or host.endswith("." + entry) for entry in self.entries)

    def contains_url(self, url: str) -> bool:
        return self.contains_host(urlsplit(url).hostname)

    def is_third_party_url(self, url: str) -> bool:
        """True for http(s)/ws(s) URLs of a host outside the set; data:, blob:, about: are neither."""
        parts = urlsplit(url)
        return parts.scheme in {"http", "https", "ws", "wss"} and not self.contains_host(parts.hostname)

    def __repr__(self) -> str:
        return f"FirstPartySet({list(self.entries)!r})"


class CrawlScope:
    """First-party hosts, narrowed by include/exclude regular expressions on the absolute URL."""

    def __init__(self, first_party: FirstPartySet, include: Iterable[str] = (), exclude: Iterable[str] = ()):
        self.first_party = first_party
        self.include = tuple(re.compile(pattern) for pattern in include)
        self.exclude = tuple(re.compile(pattern) for pattern in exclude)

    def allows(self, url: str) -> bool:
        if urlsplit(url).scheme not in {"http", "https"} or not self.first_party.contains_url(url):
            return False
        if self.include and not any(pattern.search(url) for pattern in self.include):
            return False
        return not any(pattern.search(url) for pattern in self.exclude)
