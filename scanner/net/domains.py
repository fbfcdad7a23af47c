"""Registrable domains (eTLD+1) from the Public Suffix List bundled with tldextract.

tldextract fetches a fresh list from the internet by default; a scanner must give the same answer
offline and on every run, so we use only the snapshot that ships inside the package.
"""

from __future__ import annotations

from functools import lru_cache

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """``www.google-analytics.com`` -> ``google-analytics.com``; an IP or bare name is returned as is."""
    host = host.lower().rstrip(".")
    parts = _EXTRACT(host)
    return parts.top_domain_under_public_suffix or host


def is_public_suffix(host: str) -> bool:
    """Whether ``host`` is itself a public suffix (``de``, ``co.uk``), under which anyone registers."""
    parts = _EXTRACT(host.lower().rstrip("."))
    return bool(parts.suffix) and not parts.domain
