"""``govscan status``: queue depth, running scans, last scan age per target, failures by class.

Freshness is watched per target, not only as a queue length (GSA/site-scanning#1214): the age of
the newest completed scan says whether a target's data is current. Works on SQLite (local
runner, scheduler) and PostgreSQL; the queue exists only where procrastinate's tables do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.table import Table

from reports.labels import cli_text
from scanner.distributed.tasks import SCAN_TASK
from scanner.store.db import session
from scanner.store.job_queue import queue_depth
from scanner.store.models import Scan
from scanner.store.scans import ScanStatus, running_scan, scan_status, target_by_name
from scanner.store.schedule import utc
from scanner.store.status import status_rows
from scanner.text_safety import plain

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


@dataclass(frozen=True)
class TargetStatus:
    name: str
    schedule: str | None
    last_scan_id: int | None
    last_status: str | None
    last_failure_class: str | None
    last_completed_at: datetime | None
    age_hours: float | None  # since the newest completed scan ended; None: never completed


@dataclass(frozen=True)
class RunningScan:
    scan_id: int
    target: str
    started_at: datetime
    runner: str


@dataclass
class Status:
    queue: dict[str, int] | None  # None: no procrastinate tables (local mode)
    running: list[RunningScan] = field(default_factory=list)
    targets: list[TargetStatus] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # newest scan per target that failed, by class

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def collect_status(engine: Engine, now: datetime) -> Status:
    status = Status(queue=queue_depth(engine, SCAN_TASK))
    with session(engine) as db:
        rows = status_rows(db)
        live = _live_scans(db, rows.running, rows.names)
    names, schedules, newest, completed = rows.names, rows.schedules, rows.newest, rows.completed
    running = [scan for scan in rows.running if scan.id in live]
    for scan in running:
        runner = f"{scan.runner_host}:{scan.runner_pid}"
        status.running.append(RunningScan(scan.id, names[scan.target_id], utc(scan.started_at), runner))
    for target_id, name in sorted(names.items(), key=lambda item: item[1]):
        last, done = newest.get(target_id), completed.get(target_id)
        done_at = utc(done.finished_at) if done and done.finished_at else None
        status.targets.append(
            TargetStatus(
                name=name,
                schedule=schedules.get(target_id),
                last_scan_id=last.id if last else None,
                last_status=_shown_status(last, live) if last else None,
                last_failure_class=last.failure_class if last else None,
                last_completed_at=done_at,
                age_hours=round((now - done_at).total_seconds() / 3600, 1) if done_at else None,
            )
        )
    status.failures = dict(
        Counter(
            scan.failure_class or "unknown" for scan in newest.values() if scan.status == ScanStatus.FAILED
        )
    )
    return status


def _live_scans(db: Session, running: list[Scan], names: dict[int, str]) -> set[int]:
    """Ids of the "running" scans whose process still runs (the one-scan-per-target rule decides)."""
    live = set()
    for target_id in {scan.target_id for scan in running}:
        target = target_by_name(db, names[target_id])
        scan = running_scan(db, target) if target is not None else None
        if scan is not None:
            live.add(scan.id)
    return live


def _shown_status(scan: Scan, live: set[int]) -> str:
    """A scan stored as running whose process died (killed, machine rebooted) was interrupted."""
    if scan.status == ScanStatus.RUNNING and scan.id not in live:
        return ScanStatus.INTERRUPTED.value
    return scan_status(scan).value  # a stored "completed" that stopped early reads "incomplete"


def status_tables(status: Status) -> list[Table]:
    """The status for a terminal: queue, running scans, targets, failures."""
    text = cli_text()
    tables = []
    if status.queue is not None:
        queue = Table(title=text["queue_title"])
        for column in text["queue_columns"]:
            queue.add_column(column, justify="right")
        queue.add_row(
            *(str(status.queue[state]) for state in ("todo", "waiting_to_retry", "doing", "failed"))
        )
        tables.append(queue)
    running = Table(title=text["running_title"].format(n=len(status.running)))
    for column in text["running_columns"]:
        running.add_column(column)
    for scan in status.running:
        running.add_row(
            str(scan.scan_id), plain(scan.target), f"{scan.started_at:%Y-%m-%d %H:%M} UTC", plain(scan.runner)
        )
    tables.append(running)
    targets = Table(title=text["status_targets_title"])
    for column in text["status_targets_columns"]:
        targets.add_column(column)
    for target in status.targets:
        targets.add_row(
            plain(target.name),
            plain(target.schedule or ""),
            str(target.last_scan_id or ""),
            plain(target.last_status or text["never_scanned"]),
            plain(target.last_failure_class or ""),
            "" if target.age_hours is None else f"{target.age_hours:.1f}",
        )
    tables.append(targets)
    failures = Table(title=text["failures_title"])
    failure_column, count_column = text["failures_columns"]
    failures.add_column(failure_column)
    failures.add_column(count_column, justify="right")
    for failure_class, count in sorted(status.failures.items()):
        failures.add_row(plain(failure_class), str(count))
    tables.append(failures)
    return tables
