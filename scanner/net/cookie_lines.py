"""Cookie lines (``Set-Cookie`` headers and ``document.cookie`` writes): one parser for every family."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from scanner.evidence.redact import short_hash


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


def split_cookie_line(line: str) -> tuple[str, str, dict[str, str | None]] | None:
    """``"SID=x; Path=/; Secure"`` -> ``("SID", "x", {"path": "/", "secure": None})``; None without a name.

    Attribute names are lower-cased (the last of a repeated one wins); an attribute without "="
    maps to None.
    """
    pair, *attributes = line.split(";")
    name, _, value = pair.partition("=")
    name = name.strip()
    if not name:
        return None
    values: dict[str, str | None] = {}
    for attribute in attributes:
        key, separator, argument = attribute.partition("=")
        values[key.strip().lower()] = argument.strip() if separator else None
    return name, value.strip(), values


def parse_set_cookie(header: str) -> tuple[str, dict[str, str | None]] | None:
    """Name and attributes of a Set-Cookie value, for flag checks; None without "name=".

    The value is dropped: it is never evidence, and may identify a person.
    """
    parts = split_cookie_line(header)
    if parts is None or "=" not in header.split(";", 1)[0]:
        return None
    name, _, attributes = parts
    return name, attributes


def parse_cookie_line(line: str, now: float | None = None) -> CookieWrite | None:
    """``name=value; Domain=...; Max-Age=...`` -> CookieWrite; None for a line without a name."""
    parts = split_cookie_line(line)
    if parts is None:
        return None
    name, value, attributes = parts
    domain = (attributes.get("domain") or "").lower() or None
    path = attributes.get("path") or None
    lifetime = _number(attributes.get("max-age") or "")
    expires = _http_date(attributes.get("expires") or "")
    if lifetime is None and expires is not None:
        lifetime = round(expires - (now if now is not None else time.time()))
    return CookieWrite(
        name, short_hash(value), len(value), domain, path, lifetime, "partitioned" in attributes
    )


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
