"""Trend numbers: per target, one point per finished scan; across targets, one point per day.

A point counts the scan's *open* findings (every finding, defect or to review, that no current
review decision suppresses; decisions apply to the whole history, so a false positive judged today
does not look like an improvement since yesterday), what is new and fixed against the target's
previous completed scan, the pages tested (more pages, more findings) and the tool versions that
changed since that scan, so that an engine upgrade can be told apart from a change of the site.
Failed and unfinished scans are kept aside: they are listed, never plotted as zero. A scan stopped
early by a limit (incomplete) is plotted and marked (``TrendPoint.incomplete``): it is compared with
the previous complete scan but is never the baseline of the next one, and the portfolio and the
ranking count a target by its latest complete scan while it has one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from reports.history import Change, ScanHistory, VersionChange, compare
from scanner.findings.registry import SEVERITY_ORDER
from scanner.store.db import session as open_session
from scanner.store.models import Scan, Target
from scanner.store.report_queries import all_targets, scans_of_target
from scanner.store.scans import (
    FINISHED,
    ScanLookupError,
    get_scan,
    is_complete,
    scan_status,
    target_by_name,
    target_of,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


@dataclass(frozen=True)
class TrendPoint:
    scan: Scan
    tested_pages: int
    open_by_family: Counter[str]
    open_by_severity: Counter[str]
    open_defects_by_severity: Counter[str]  # result "fail" only: what the ranking orders by
    open_reviews: int
    suppressed: int
    new: int | None  # None: no earlier completed scan to compare with
    new_by_added_checks: int | None
    fixed: int | None
    not_rechecked: int | None
    version_changes: list[VersionChange]
    incomplete: bool = False  # stopped early by a limit: fewer pages seen, so fewer findings counted

    @property
    def open_total(self) -> int:
        return sum(self.open_by_family.values())

    @property
    def day(self) -> date:
        return (self.scan.finished_at or self.scan.started_at).date()


@dataclass(frozen=True)
class TargetTrend:
    target: Target
    points: list[TrendPoint]  # finished scans (complete or incomplete), oldest first
    other_scans: list[Scan]  # failed, running or interrupted

    @property
    def latest(self) -> TrendPoint | None:
        """The latest complete point (an incomplete scan saw less of the site), else the latest one."""
        return latest_complete(self.points)


def latest_complete(points: list[TrendPoint]) -> TrendPoint | None:
    complete = [point for point in points if not point.incomplete]
    return (complete or points or [None])[-1]


@dataclass(frozen=True)
class DayPoint:
    """All targets on one day: each counted with its latest completed scan up to that day."""

    day: date
    open_by_family: Counter[str]
    open_by_severity: Counter[str]
    new: int
    fixed: int
    not_rechecked: int
    version_changes: list[tuple[str, VersionChange]]  # (target name, change) of scans that day


def trend_for_scan(engine: Engine, scan_id: int | None) -> TargetTrend:
    """The trend of the target of a scan (default: the newest scan)."""
    with open_session(engine) as db:
        scan = get_scan(db, scan_id)
        return target_trend(db, target_of(db, scan))


def trend_for_target(engine: Engine, target_name: str) -> TargetTrend:
    with open_session(engine) as db:
        target = target_by_name(db, target_name)
        if target is None:
            raise ScanLookupError(f"there is no target {target_name!r} in this database")
        return target_trend(db, target)


def all_trends(engine: Engine) -> list[TargetTrend]:
    with open_session(engine) as db:
        targets = all_targets(db)
        return sorted((target_trend(db, target) for target in targets), key=lambda trend: trend.target.name)


def target_trend(db: Session, target: Target) -> TargetTrend:
    scans = scans_of_target(db, target.id)
    points: list[TrendPoint] = []
    previous: Scan | None = None
    for scan in scans:
        if scan_status(scan) not in FINISHED:
            continue
        points.append(_point(compare(db, previous, scan)))
        if is_complete(scan):  # an incomplete scan is never the baseline of the next one
            previous = scan
    others = [scan for scan in scans if scan_status(scan) not in FINISHED]
    return TargetTrend(target, points, others)


def _point(history: ScanHistory) -> TrendPoint:
    open_items = history.open
    compared = history.baseline is not None
    return TrendPoint(
        incomplete=not is_complete(history.scan),
        scan=history.scan,
        tested_pages=int((history.scan.summary or {}).get("pages", {}).get("html:ok", 0)),
        open_by_family=Counter(item.finding.family for item in open_items),
        open_by_severity=Counter(item.finding.severity for item in open_items),
        open_defects_by_severity=Counter(
            item.finding.severity for item in open_items if item.finding.result == "fail"
        ),
        open_reviews=sum(1 for item in open_items if item.finding.result != "fail"),
        suppressed=len(history.suppressed),
        new=history.new_in_site if compared else None,
        new_by_added_checks=history.new_by_added_checks if compared else None,
        fixed=history.count(Change.FIXED) if compared else None,
        not_rechecked=history.count(Change.NOT_RECHECKED) if compared else None,
        version_changes=history.version_changes,
    )


def ranking_key(trend: TargetTrend) -> tuple:
    """Most open defects first, by severity (critical before serious ...), then all open findings."""
    latest = trend.latest
    if latest is None:
        return (1,)
    defects = tuple(-latest.open_defects_by_severity[severity] for severity in SEVERITY_ORDER)
    return (0, *defects, -latest.open_total, trend.target.name)


def days(trends: list[TargetTrend]) -> list[DayPoint]:
    """One point per day on which any target completed a scan, summed over all targets."""
    all_days = sorted({point.day for trend in trends for point in trend.points})
    result = []
    for day in all_days:
        by_family: Counter[str] = Counter()
        by_severity: Counter[str] = Counter()
        new = fixed = not_rechecked = 0
        changes: list[tuple[str, VersionChange]] = []
        for trend in trends:
            upto = [point for point in trend.points if point.day <= day]
            if not upto:
                continue
            counted = latest_complete(upto)  # a short scan does not make the portfolio look better
            by_family.update(counted.open_by_family)
            by_severity.update(counted.open_by_severity)
            for point in upto:
                if point.day == day:
                    new += point.new or 0
                    fixed += point.fixed or 0
                    not_rechecked += point.not_rechecked or 0
                    changes += [(trend.target.name, change) for change in point.version_changes]
        result.append(DayPoint(day, by_family, by_severity, new, fixed, not_rechecked, changes))
    return result
