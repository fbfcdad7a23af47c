"""Targets and scans: create, find the one to resume, finish, look up.

One scan per target at a time: ``create_scan`` first writes the target's row, which serialises two
processes starting a scan of the same target (SQLite's write lock, PostgreSQL's row lock), then
refuses while another scan of it is running (``running_scan``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scanner import __version__
from scanner.store.models import Finding, FrontierItem, HostResult, Page, Scan, Target, utc_now


class ScanStatus(StrEnum):
    RUNNING = "running"
    INTERRUPTED = "interrupted"  # stopped by a signal; resumable
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"  # a limit stopped it with URLs left in the frontier: usable, never clean
    FAILED = "failed"  # nothing could be tested; failure_class says why


RESUMABLE = (ScanStatus.RUNNING, ScanStatus.INTERRUPTED)
FINISHED = (ScanStatus.COMPLETED, ScanStatus.INCOMPLETE)  # scans with results to report, trend and compare
# Limits that end a scan before its frontier is exhausted (a signal is "interrupted", resumable).
STOPPING_LIMITS = frozenset({"time_budget", "max_pages"})
# A scan run by another machine, whose process we cannot ask, counts as running while it stored a
# page this recently (a page is given at most 600 s, settings included).
OTHER_HOST_QUIET = timedelta(minutes=15)


class ScanLookupError(LookupError):
    pass


class TargetRecord(Protocol):
    """What the store keeps of a target's configuration (``scanner.config.targets.TargetConfig`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def authority_level(self) -> str: ...

    @property
    def tags(self) -> Sequence[str]: ...

    @property
    def schedule(self) -> str | None: ...

    def to_json_dict(self) -> dict[str, Any]: ...

    def config_hash(self) -> str: ...


def upsert_target(session: Session, target: TargetRecord) -> Target:
    row = session.exec(select(Target).where(Target.name == target.name)).first()
    if row is None:
        row = _new_target(session, target.name)
    row.authority_level = target.authority_level
    row.tags = list(target.tags)
    row.schedule = target.schedule
    row.config_json = target.to_json_dict()
    row.updated_at = utc_now()
    session.add(row)
    session.commit()
    return row


def _new_target(session: Session, name: str) -> Target:
    """The target's row, inserted now; when another process inserted it at the same moment, that one."""
    try:
        row = Target(name=name)
        session.add(row)
        session.commit()
        return row
    except IntegrityError:  # the unique name: the other process won the race
        session.rollback()
        return session.exec(select(Target).where(Target.name == name)).one()


def create_scan(session: Session, target_row: Target, target: TargetRecord) -> Scan:
    """A new running scan of the target; ScanLookupError while another one runs."""
    # The write takes the lock that makes check-then-insert atomic across processes.
    session.execute(update(Target).where(Target.id == target_row.id).values(updated_at=utc_now()))
    running = running_scan(session, target_row)
    if running is not None:
        session.rollback()
        raise ScanLookupError(being_scanned(target_row.name, running))
    scan = Scan(
        target_id=target_row.id,
        govscan_version=__version__,
        config_hash=target.config_hash(),
        config_json=target.to_json_dict(),
        runner_host=socket.gethostname(),
        runner_pid=os.getpid(),
    )
    session.add(scan)
    session.commit()
    return scan


def find_resumable(session: Session, target_row: Target) -> Scan | None:
    """The newest unfinished scan of the target, unless a live process on this machine runs it."""
    scan = session.exec(
        select(Scan)
        .where(Scan.target_id == target_row.id, Scan.status.in_([status.value for status in RESUMABLE]))
        .order_by(Scan.id.desc())
    ).first()
    if scan is None:
        return None
    if scan.status == ScanStatus.RUNNING and runner_alive(scan.runner_host, scan.runner_pid):
        raise ScanLookupError(being_scanned(target_row.name, scan))
    return scan


def resumable_scan_of(session: Session, target_name: str) -> Scan | None:
    """The scan ``--resume`` would continue for the target named ``target_name``, if any."""
    row = target_by_name(session, target_name)
    return find_resumable(session, row) if row is not None else None


def running_scan(session: Session, target_row: Target) -> Scan | None:
    """The target's scan that a live process runs now: on this machine its process exists; on
    another, it stored a page (or started) within OTHER_HOST_QUIET."""
    candidates = session.exec(
        select(Scan)
        .where(Scan.target_id == target_row.id, Scan.status == ScanStatus.RUNNING.value)
        .order_by(Scan.id.desc())
    ).all()
    for scan in candidates:
        if scan.runner_host == socket.gethostname():
            if runner_alive(scan.runner_host, scan.runner_pid):
                return scan
        elif _recently_active(session, scan):
            return scan
    return None


def being_scanned(target_name: str, scan: Scan) -> str:
    return (
        f"target {target_name!r} is being scanned: scan {scan.id} by process {scan.runner_pid} "
        f"on {scan.runner_host}; wait for it to finish, or stop it and continue with 'govscan scan --resume'"
    )


def _recently_active(session: Session, scan: Scan) -> bool:
    newest_page = session.exec(select(func.max(Page.fetched_at)).where(Page.scan_id == scan.id)).one()
    last = max((moment for moment in (newest_page, scan.started_at) if moment is not None), key=_aware)
    return utc_now() - _aware(last) < OTHER_HOST_QUIET


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes (stored as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def runner_alive(host: str | None, pid: int | None) -> bool:
    """Whether another live process on this machine is the runner recorded as (host, pid)."""
    if host != socket.gethostname() or not pid or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim_for_resume(session: Session, scan: Scan) -> Scan:
    scan.status = ScanStatus.RUNNING.value
    scan.resumed_count += 1
    scan.runner_host = socket.gethostname()
    scan.runner_pid = os.getpid()
    scan.finished_at = None
    session.add(scan)
    session.commit()
    return scan


def finish_scan(
    session: Session,
    scan: Scan,
    status: ScanStatus,
    *,
    stopped_by: str | None = None,
    failure_class: str | None = None,
    failure_detail: str | None = None,
) -> Scan:
    scan.status = status.value
    scan.stopped_by = stopped_by
    scan.failure_class = failure_class
    scan.failure_detail = failure_detail
    scan.finished_at = utc_now()
    scan.summary = scan_summary(session, scan.id)
    session.add(scan)
    session.commit()
    return scan


def stopped_early(stopped_by: str | None, not_visited: int) -> bool:
    """Whether a limit ended the scan while URLs were still queued (it did not see the whole site)."""
    return stopped_by in STOPPING_LIMITS and not_visited > 0


def scan_status(scan: Scan) -> ScanStatus:
    """The scan's status as reports, exports and listings show it.

    Scans stored before "incomplete" existed were stored as completed even when a limit stopped them
    early; they are derived as incomplete here from ``stopped_by`` and the stored summary, so that no
    migration has to rewrite history.
    """
    status = ScanStatus(scan.status)
    not_visited = int((scan.summary or {}).get("not_visited") or 0)
    if status is ScanStatus.COMPLETED and stopped_early(scan.stopped_by, not_visited):
        return ScanStatus.INCOMPLETE
    return status


def is_complete(scan: Scan) -> bool:
    """Completed and whole: the only kind of scan that can say a finding is fixed site-wide."""
    return scan_status(scan) is ScanStatus.COMPLETED


def scan_summary(session: Session, scan_id: int) -> dict[str, Any]:
    """Counts for listings and the report header: pages by kind and status, findings by family."""
    pages = session.exec(
        select(Page.kind, Page.status, func.count())
        .where(Page.scan_id == scan_id)
        .group_by(Page.kind, Page.status)
    ).all()
    findings = session.exec(
        select(Finding.family, Finding.result, func.count())
        .where(Finding.scan_id == scan_id)
        .group_by(Finding.family, Finding.result)
    ).all()
    hosts = session.exec(
        select(HostResult.ok, func.count()).where(HostResult.scan_id == scan_id).group_by(HostResult.ok)
    ).all()
    return {
        "pages": {f"{kind}:{status}": count for kind, status, count in pages},
        "findings": {f"{family}:{result}": count for family, result, count in findings},
        "host_probes": {"ok" if ok else "not_tested": count for ok, count in hosts},
        "not_visited": not_visited_count(session, scan_id),
        "reviews_per_page": review_load(review_counts(session, scan_id)),
    }


def review_counts(session: Session, scan_id: int) -> dict[str, int]:
    """Review findings per first-visit HTML page tested (0 included): how much a person must look at.

    A number to watch on clean pages: a review that does not say what to look at, or one repeated on
    every page, makes reviewers stop reading."""
    pages = session.exec(
        select(Page.id, Page.url).where(
            Page.scan_id == scan_id, Page.scenario == "first-visit", Page.kind == "html", Page.status == "ok"
        )
    ).all()
    reviews = dict(
        session.exec(
            select(Finding.page_id, func.count())
            .where(Finding.scan_id == scan_id, Finding.result == "review", Finding.page_id.is_not(None))
            .group_by(Finding.page_id)
        ).all()
    )
    return {url: reviews.get(page_id, 0) for page_id, url in pages}


def review_load(counts: dict[str, int]) -> dict[str, Any]:
    """Pages, review findings on them, and the most and the mean per page."""
    values = list(counts.values())
    return {
        "pages": len(values),
        "reviews": sum(values),
        "max": max(values, default=0),
        "mean": round(sum(values) / len(values), 2) if values else 0.0,
    }


def not_visited_count(session: Session, scan_id: int) -> int:
    """URLs found but left in the frontier."""
    return session.exec(
        select(func.count()).where(FrontierItem.scan_id == scan_id, FrontierItem.state != "done")
    ).one()


def get_scan(session: Session, scan_id: int | None = None) -> Scan:
    """A scan by id, or the newest one."""
    if scan_id is not None:
        scan = session.get(Scan, scan_id)
        if scan is None:
            raise ScanLookupError(f"there is no scan {scan_id} in this database")
        return scan
    scan = session.exec(select(Scan).order_by(Scan.id.desc())).first()
    if scan is None:
        raise ScanLookupError("this database holds no scan yet; run 'govscan scan' or 'govscan demo' first")
    return scan


def target_names(session: Session) -> dict[int, str]:
    """Target id -> name, for every stored target."""
    return {target_id: name for target_id, name in session.exec(select(Target.id, Target.name)).all()}


def target_by_name(session: Session, name: str) -> Target | None:
    return session.exec(select(Target).where(Target.name == name)).first()


def target_of(session: Session, scan: Scan) -> Target | None:
    return session.get(Target, scan.target_id)


def newest_scan_of_target(session: Session, target_id: int) -> Scan | None:
    """The target's newest scan, whatever its status."""
    return session.exec(select(Scan).where(Scan.target_id == target_id).order_by(Scan.id.desc())).first()


def target_by_id(session: Session, target_id: int) -> Target | None:
    return session.get(Target, target_id)


def targets_named(session: Session, names: Sequence[str]) -> list[Target]:
    """The stored targets among ``names`` (unknown names are left out)."""
    return list(session.exec(select(Target).where(Target.name.in_(names))).all())


def set_stopped_by(session: Session, scan: Scan, stopped_by: str) -> None:
    """Record why the scan stopped (not committed)."""
    scan.stopped_by = stopped_by
    session.add(scan)
