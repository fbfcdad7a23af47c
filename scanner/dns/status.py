"""The outcome of DNSSEC validation: one of four states (RFC 4033 §5) and the reason for it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DnssecStatus(StrEnum):
    SECURE = "secure"  # a chain of signatures from the trust anchor validates the name's zone
    INSECURE = "insecure"  # proven (signed denial of a DS) that the chain ends above the name
    BOGUS = "bogus"  # signatures are there but do not validate (wrong key, altered data, expired)
    INDETERMINATE = "indeterminate"  # could not be decided: no answer, SERVFAIL, an unvalidated proof


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

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status.value,
            "reason": self.reason,
            "zone": self.zone,
            "steps": [
                {"zone": step.zone, "status": step.status.value, "detail": step.detail} for step in self.steps
            ],
        }
