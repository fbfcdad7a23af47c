"""Small formatting helpers shared by the HTML views: CSS tokens, slugs, dates and durations."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime


def css_token(value: str | None, known: tuple[str, ...]) -> str:
    """A value from the database used in a class attribute: only known words, else 'unknown'."""
    return value if value in known else "unknown"


def slug(name: str) -> str:
    """A file-name-safe form of a target name: 'Stadt Müllheim (Baden)' -> 'stadt-muellheim-baden'."""
    text = name.lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
    return text or "target"


def format_datetime(value: datetime | None) -> str:
    """'2025-03-03 08:00:00 UTC'. SQLite returns naive datetimes; they are UTC."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.strftime("%Y-%m-%d %H:%M:%S UTC")


def format_duration(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02d} s"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
