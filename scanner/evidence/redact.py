"""Evidence hygiene: keep lengths and keys of values that may carry personal data, hash the rest."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def short_hash(value: str) -> str:
    """A hash that shows whether two values are equal, without storing the value."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def redact_url(url: str) -> str:
    """Replace every query value by ``~<hash>``, keeping keys and order; drop the fragment.

    Tracking requests carry client ids, page titles and sometimes e-mail addresses in the query;
    the keys are the evidence (``cid``, ``tid``), the values are not needed to prove anything.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return url if len(url) <= 200 else url[:200] + "…"
    if not parts.query:
        return urlunsplit(parts._replace(fragment=""))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    redacted = [(key, f"~{short_hash(value)}" if value else "") for key, value in pairs]
    return urlunsplit(parts._replace(query=urlencode(redacted, safe="~"), fragment=""))
