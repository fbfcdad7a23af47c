"""Evidence of the ``http-redirect`` host probe: every hop from http://host/ (port 80)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.evidence.typed import TypedEvidence

HTTP_REDIRECT_PROBE = "http-redirect"


@dataclass(frozen=True)
class HttpRedirectEvidence(TypedEvidence):
    """``hops``: {"url", "status", "location"}, or {"url", "failure_class", "detail"} when a hop failed."""

    KIND = HTTP_REDIRECT_PROBE

    http_available: bool  # False: port 80 refused the connection, nothing to redirect
    hops: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> HttpRedirectEvidence:
        return cls(bool(fields.get("http_available")), tuple(fields.get("hops") or ()))
