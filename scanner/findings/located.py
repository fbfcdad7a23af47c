"""What running checks produces, as plain data: located findings and records, and the tally per check.

The check runner (``scanner.findings.runner``) builds them; the store (``scanner.store``) writes
them. This module imports nothing at run time, so the store depends on plain data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.evidence import Scenario
    from scanner.findings.registry import Check, Finding


@dataclass(frozen=True)
class LocatedFinding:
    """A finding with everything the store needs to place it."""

    check: Check
    finding: Finding
    fingerprint: str
    page_url: str | None = None
    host: str | None = None
    scenario: Scenario | None = None


@dataclass(frozen=True)
class LocatedRecord:
    """A check's ``Record`` with the check and the host it is about (host checks) or None."""

    check_id: str
    kind: str
    data: dict[str, Any]
    host: str | None = None
    port: int | None = None


@dataclass
class TallyDelta:
    evaluated: int = 0
    with_findings: int = 0
    findings: int = 0
    errors: int = 0


@dataclass
class CheckOutcome:
    findings: list[LocatedFinding] = field(default_factory=list)
    tallies: dict[str, TallyDelta] = field(default_factory=dict)
    records: list[LocatedRecord] = field(default_factory=list)

    def extend(self, other: CheckOutcome) -> None:
        self.findings.extend(other.findings)
        self.records.extend(other.records)
        for check_id, delta in other.tallies.items():
            mine = self.tallies.setdefault(check_id, TallyDelta())
            mine.evaluated += delta.evaluated
            mine.with_findings += delta.with_findings
            mine.findings += delta.findings
            mine.errors += delta.errors
