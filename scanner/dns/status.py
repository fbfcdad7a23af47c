"""The outcome of DNSSEC validation: one of four states (RFC 4033 §5) and the reason for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.evidence.dns import DnssecStatus

__all__ = ["DnssecResult", "DnssecStatus", "ZoneStep"]


@dataclass(frozen=True)
class ZoneStep:
    """One zone on the way from the root: how far the chain got there."""

    zone: str
    status: DnssecStatus
    detail: str


@dataclass(frozen=True)
class DnssecResult:
    name: str
    status: DnssecStatus
    reason: str
    zone: str | None = None  # the deepest zone reached that holds the name
    steps: tuple[ZoneStep, ...] = ()
    unreachable: bool = False  # indeterminate because the servers did not answer at all

    def steps_json(self) -> list[dict[str, Any]]:
        return [
            {"zone": step.zone, "status": step.status.value, "detail": step.detail} for step in self.steps
        ]
