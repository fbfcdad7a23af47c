"""What a scan reports while it runs (``ScanProgress``) and when it ends (``ScanOutcome``), and the
status it ends with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scanner.net.failures import is_transient
from scanner.store.db import session
from scanner.store.scan_run import first_page, set_active_seconds, tested_page_count
from scanner.store.scans import ScanStatus, finish_scan, not_visited_count, stopped_early

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


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


def end_scan(
    engine: Engine, scan_id: int, target: str, active_seconds: float, stopped_by: str | None
) -> ScanOutcome:
    """Completed when at least one page was tested and no limit left URLs unvisited; incomplete when
    one did (a configured max_pages too: the site was not seen whole); else failed as the first page
    did."""
    with session(engine) as db:
        tested = tested_page_count(db, scan_id)
        first = first_page(db, scan_id)
        not_visited = not_visited_count(db, scan_id)
    if tested == 0:
        failure = first.failure_class if first else "nothing_in_scope"
        return mark_scan(
            engine,
            scan_id,
            target,
            active_seconds,
            ScanStatus.FAILED,
            stopped_by=stopped_by,
            failure_class=failure,
            detail=first.failure_detail if first else "no start URL was in scope",
            transient=is_transient(failure, first.http_status if first else None),
        )
    status = ScanStatus.INCOMPLETE if stopped_early(stopped_by, not_visited) else ScanStatus.COMPLETED
    return mark_scan(engine, scan_id, target, active_seconds, status, stopped_by=stopped_by)


def mark_scan(
    engine: Engine,
    scan_id: int,
    target: str,
    active_seconds: float,
    status: ScanStatus,
    *,
    stopped_by: str | None = None,
    failure_class: str | None = None,
    detail: str | None = None,
    transient: bool = False,
) -> ScanOutcome:
    """Store how the scan ended (with the seconds it was active) and say so."""
    with session(engine) as db:
        scan = set_active_seconds(db, scan_id, active_seconds)
        scan = finish_scan(
            db, scan, status, stopped_by=stopped_by, failure_class=failure_class, failure_detail=detail
        )
    return ScanOutcome(
        scan.id, target, scan.status, scan.stopped_by, scan.failure_class, scan.summary, transient=transient
    )
