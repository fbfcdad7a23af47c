"""Parsing cookie lines (``Set-Cookie`` headers and ``document.cookie`` writes) into hashed evidence."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from scanner.redact import short_hash


@dataclass(frozen=True)
class CookieWrite:
    """One attempt to set a cookie; the value is kept only as hash and length."""

    name: str
    value_hash: str
    value_length: int
    domain: str | None  # the Domain attribute, None for a host-only cookie
    path: str | None
    lifetime_seconds: float | None  # from Max-Age or Expires; None for a session cookie
    partitioned: bool

    @property
    def is_deletion(self) -> bool:
        """Writing an expired or empty cookie removes it; it is not a new identifier."""
        return (self.lifetime_seconds is not None and self.lifetime_seconds <= 0) or self.value_length == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value_hash": self.value_hash,
            "value_length": self.value_length,
            "domain": self.domain,
            "path": self.path,
            "lifetime_seconds": self.lifetime_seconds,
            "partitioned": self.partitioned,
        }


def parse_cookie_line(line: str, now: float | None = None) -> CookieWrite | None:
    """``name=value; Domain=...; Max-Age=...`` -> CookieWrite; None for a line without a name."""
    pair, *attributes = line.split(";")
    name, _, value = pair.partition("=")
    name, value = name.strip(), value.strip()
    if not name:
        return None
    domain = path = None
    max_age: float | None = None
    expires: float | None = None
    partitioned = False
    for attribute in attributes:
        key, _, argument = attribute.partition("=")
        key, argument = key.strip().lower(), argument.strip()
        if key == "domain" and argument:
            domain = argument.lower()
        elif key == "path":
            path = argument or None
        elif key == "max-age":
            max_age = _number(argument)
        elif key == "expires":
            expires = _http_date(argument)
        elif key == "partitioned":
            partitioned = True
    lifetime = max_age
    if lifetime is None and expires is not None:
        lifetime = round(expires - (now if now is not None else time.time()))
    return CookieWrite(name, short_hash(value), len(value), domain, path, lifetime, partitioned)


def _number(text: str) -> float | None:
    try:
        return float(int(text))
    except ValueError:
        return None


def _http_date(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
