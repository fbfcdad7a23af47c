"""What a scan reports while it runs (``ScanProgress``) and when it ends (``ScanOutcome``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScanProgress:
    """Live counters, handed to the progress callback after every page."""

    target: str
    scan_id: int
    pages_done: int = 0
    pages_failed: int = 0
    documents: int = 0
    queued: int = 0
    in_flight: int = 0
    findings: int = 0
    resumed: bool = False


@dataclass(frozen=True)
class ScanOutcome:
    scan_id: int
    target: str
    status: str
    stopped_by: str | None
    failure_class: str | None
    summary: dict[str, Any] = field(default_factory=dict)
    transient: bool = False  # failed for a reason that may pass by itself (scanner.net.failures.is_transient)
