"""Evidence of the ``security-txt`` host probe: the file as fetched, for the check to validate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.evidence.typed import VERSION_KEY, TypedEvidence

SECURITY_TXT_PROBE = "security-txt"


@dataclass(frozen=True)
class SecurityTxtEvidence(TypedEvidence):
    """Found or not, and every URL tried; the rest is set only when a security.txt was found."""

    KIND = SECURITY_TXT_PROBE

    found: bool
    tried: tuple[dict[str, Any], ...] = ()  # {"url", "status", "final_url"} or {"url", "failure_class"}
    url: str | None = None
    final_url: str | None = None
    location: str | None = None  # "well-known" | "root"
    content_type: str | None = None
    content: str = ""
    utf8: bool = True

    def to_json(self) -> dict[str, Any]:
        """A file not found stores only ``found`` and ``tried``, as the probe always did."""
        data = super().to_json()
        if self.found:
            return data
        return {VERSION_KEY: data[VERSION_KEY], "found": False, "tried": data["tried"]}

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> SecurityTxtEvidence:
        return cls(
            found=bool(fields.get("found")),
            tried=tuple(fields.get("tried") or ()),
            url=fields.get("url"),
            final_url=fields.get("final_url"),
            location=fields.get("location"),
            content_type=fields.get("content_type"),
            content=fields.get("content") or "",
            utf8=fields.get("utf8", True),
        )
