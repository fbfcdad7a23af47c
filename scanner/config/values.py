"""Parsers for single values of targets.toml.

Each parser takes the raw value tomllib produced and returns the clean value, or raises `Invalid`
with messages written for the person editing the file ("expected a positive integer, got -5").
List parsers check every element and report all bad ones at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from difflib import get_close_matches
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from croniter import croniter

from scanner.config.regex_safety import nested_quantifier
from scanner.dns.anchors import TrustAnchor, TrustAnchorError
from scanner.dns.servers import DnsServer, DnsServerError
from scanner.evidence.tls import TLS_PROFILES
from scanner.net.connect_to import ConnectTo, ConnectToError
from scanner.net.domains import is_public_suffix
from scanner.net.hostnames import ascii_host

T = TypeVar("T")

AUTHORITY_LEVELS = ("bund", "land", "kreis", "gemeinde")

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s)?$")


class Invalid(Exception):
    """A value is wrong. `problems` holds (element index or None, message) pairs."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.problems: list[tuple[int | None, str]] = [(index, message)]


def describe(value: Any) -> str:
    """How a raw TOML value is shown in messages: numbers as written, other types by name."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'a string ("{shown}")'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def suggestion(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """ "; did you mean 'x'?" for the closest choice, or "" when nothing is close."""
    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# --- scalars ---------------------------------------------------------------------------------------


def _integer(value: Any, minimum: int, wanted: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise Invalid(f"expected {wanted}, got {describe(value)}")
    return value


def positive_int(value: Any) -> int:
    return _integer(value, 1, "a positive integer")


def non_negative_int(value: Any) -> int:
    return _integer(value, 0, "a non-negative integer")


def at_most(parse: Callable[[Any], T], maximum: float, unit: str = "") -> Callable[[Any], T]:
    """``parse`` with an upper bound: a value far beyond any sane setting is a typo, not a wish."""

    def bounded(value: Any) -> T:
        result = parse(value)
        if result > maximum:  # type: ignore[operator]
            shown = f"{maximum:g}{unit}"
            raise Invalid(f"expected at most {shown}, got {describe(value)}")
        return result

    return bounded


def _seconds(value: Any, allow_zero: bool) -> float:
    wanted = "a non-negative number of seconds" if allow_zero else "a positive number of seconds"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(f"expected {wanted}, got {describe(value)}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise Invalid(f"expected {wanted}, got {describe(value)}")
    return float(value)


def positive_seconds(value: Any) -> float:
    return _seconds(value, allow_zero=False)


def non_negative_seconds(value: Any) -> float:
    return _seconds(value, allow_zero=True)


def positive_seconds_up_to(maximum: float) -> Callable[[Any], float]:
    return at_most(positive_seconds, maximum, " seconds")


def non_negative_seconds_up_to(maximum: float) -> Callable[[Any], float]:
    return at_most(non_negative_seconds, maximum, " seconds")


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {describe(value)}")
    return value


def duration(value: Any) -> float:
    """ "90s", "30m", "2h", "1h30m" or a plain number of seconds; always > 0."""
    wanted = 'expected a duration like "90s", "30m", "2h", "1h30m" or a number of seconds'
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = _seconds(value, allow_zero=False)
    elif isinstance(value, str):
        text = value.strip().lower()
        match = _DURATION.match(text)
        if not text or not match:
            raise Invalid(f"{wanted}, got {describe(value)}")
        hours, minutes, secs = (float(group or 0) for group in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    else:
        raise Invalid(f"{wanted}, got {describe(value)}")
    if seconds <= 0:
        raise Invalid(f"expected a duration greater than zero, got {describe(value)}")
    return seconds


def non_empty_string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a string, got {describe(value)}")
    if not value.strip():
        raise Invalid("must not be empty")
    return value.strip()


def authority_level(value: Any) -> str:
    choices = ", ".join(f'"{level}"' for level in AUTHORITY_LEVELS)
    if isinstance(value, str) and value in AUTHORITY_LEVELS:
        return value
    if isinstance(value, str):
        hint = suggestion(value.strip().lower(), AUTHORITY_LEVELS)
        raise Invalid(f'expected one of {choices}, got "{value}"{hint}')
    raise Invalid(f"expected one of {choices}, got {describe(value)}")


def tls_profile(value: Any) -> str:
    choices = ", ".join(f'"{name}"' for name in TLS_PROFILES)
    if isinstance(value, str) and value in TLS_PROFILES:
        return value
    hint = suggestion(value.strip().lower(), TLS_PROFILES) if isinstance(value, str) else ""
    shown = f'"{value}"' if isinstance(value, str) else describe(value)
    raise Invalid(f"expected one of {choices}, got {shown}{hint}")


def cron_schedule(value: Any) -> str:
    """A standard 5-field cron line; croniter also knows 6/7 fields, which we do not want here."""
    text = non_empty_string(value)
    fields = text.split()
    if len(fields) != 5:
        raise Invalid(
            "expected a cron expression with 5 fields (minute hour day-of-month month day-of-week), "
            f'got {len(fields)} field{"s" if len(fields) != 1 else ""} in "{text}"'
        )
    try:
        croniter(text)
    except (ValueError, KeyError) as error:  # croniter's errors derive from ValueError
        raise Invalid(f'invalid cron expression "{text}": {error}') from None
    return " ".join(fields)


def hostname(value: Any) -> str:
    """Lower-case IDNA form without trailing dot; "*.example.de" means the same as "example.de"."""
    text = non_empty_string(value).lower().rstrip(".")
    if "/" in text or ":" in text:
        raise Invalid(f'expected a hostname like "example.de" without scheme, port or path, got "{text}"')
    if text.startswith("*."):
        text = text[2:]
    ascii_name = ascii_host(text)
    if ascii_name is None:
        raise Invalid(f"not a valid hostname: {describe(value)}")
    if len(ascii_name) > 253 or not all(_LABEL.match(label) for label in ascii_name.split(".")):
        raise Invalid(f"not a valid hostname: {describe(value)}")
    return ascii_name


def first_party_host(value: Any) -> str:
    """A host the authority owns: never a public suffix ("de", "co.uk"), which would make every
    site under it first party."""
    host = hostname(value)
    if is_public_suffix(host):
        raise Invalid(
            f'"{host}" is a public suffix (a top-level or shared domain), not a host of the authority; '
            'expected a host such as "www.stadt-beispiel.de" or a domain such as "stadt-beispiel.de"'
        )
    return host


def url_host(url: str) -> str:
    """The IDNA host of an already validated start URL."""
    return hostname(urlsplit(url).hostname or "")


def http_url(value: Any) -> str:
    text = non_empty_string(value)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Invalid(f'expected an absolute http:// or https:// URL with a host, got "{text}"')
    try:
        parts.port  # noqa: B018 - raises ValueError for ports out of range or not numeric
        url_host(text)
    except (ValueError, Invalid):
        raise Invalid(f'invalid host or port in URL "{text}"') from None
    return text


def regex(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a regular expression string, got {describe(value)}")
    try:
        re.compile(value)
    except re.error as error:
        raise Invalid(f'invalid regular expression "{value}": {error}') from None
    if nested_quantifier(value):
        raise Invalid(
            f'regular expression "{value}" has a nested quantifier (a repeated group that itself '
            "repeats, as in (a+)+), which can take exponential time on some URLs; expected a pattern "
            "without one (or make the inner part atomic, (?>...), or possessive, a++)"
        )
    return value


def connect_to(value: Any) -> str:
    """curl --connect-to syntax HOST:PORT:ADDR:PORT, kept as the string; the scan parses it."""
    text = non_empty_string(value)
    try:
        ConnectTo.parse(text)
    except ConnectToError as error:
        raise Invalid(str(error)) from None
    return text


def dns_server(value: Any) -> str:
    """HOST:PORT of a DNS server (an IPv6 address in brackets), kept as the string."""
    text = non_empty_string(value)
    try:
        DnsServer.parse(text)
    except DnsServerError as error:
        raise Invalid(str(error)) from None
    return text


def trust_anchor_file(base: Path) -> Callable[[Any], Path]:
    """A file of DS or DNSKEY records in zone-file syntax, the start of DNSSEC validation."""
    existing = existing_file(base)

    def parse(value: Any) -> Path:
        path = existing(value)
        try:
            TrustAnchor.from_file(path)
        except TrustAnchorError as error:
            raise Invalid(f'{error}; expected lines like ". IN DS 20326 8 2 E06D44B8..."') from None
        return path

    return parse


def existing_file(base: Path) -> Callable[[Any], Path]:
    """Parser for a path relative to `base` (the config file's directory) that must exist."""

    def parse(value: Any) -> Path:
        text = non_empty_string(value)
        path = Path(text).expanduser()
        resolved = (path if path.is_absolute() else base / path).resolve()
        if not resolved.is_file():
            raise Invalid(f'file not found: "{text}" (looked for {resolved})')
        return resolved

    return parse


# --- lists ----------------------------------------------------------------------------------------


def list_of(element: Callable[[Any], T], *, non_empty: bool = False) -> Callable[[Any], tuple[T, ...]]:
    """Parser for a TOML array whose elements are all parsed by `element`; reports every bad one."""

    def parse(value: Any) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise Invalid(f"expected a list of strings, got {describe(value)}")
        if non_empty and not value:
            raise Invalid("must not be empty")
        results, failure = [], Invalid("")
        failure.problems = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                failure.problems.append((index, f"expected a string, got {describe(item)}"))
                continue
            try:
                results.append(element(item))
            except Invalid as error:
                failure.problems.extend((index, message) for _, message in error.problems)
        if failure.problems:
            raise failure
        return tuple(results)

    return parse


def unique(items: tuple[T, ...]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))
