"""One parser for Set-Cookie header values, shared by the header grade and the cookie-flag check."""

from __future__ import annotations


def parse_set_cookie(header: str) -> tuple[str, dict[str, str | None]] | None:
    """``"SID=x; Path=/; Secure"`` -> ``("SID", {"path": "/", "secure": None})``; None without a name.

    Attribute names are lower-cased; an attribute without "=" maps to None. The value is dropped:
    it is never evidence, and may identify a person.
    """
    first, *attributes = header.split(";")
    name = first.split("=", 1)[0].strip()
    if "=" not in first or not name:
        return None
    values: dict[str, str | None] = {}
    for attribute in attributes:
        key, separator, value = attribute.partition("=")
        values[key.strip().lower()] = value.strip() if separator else None
    return name, values
