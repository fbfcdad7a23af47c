"""The trend report of one target: open findings by family and severity, new and fixed, per scan.

Scans whose tool versions changed against the previous one carry a mark on the time axis (and the
change in the data table), so an engine upgrade is not read as a regression of the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reports.charts import CHANGE_COLOURS, FAMILY_COLOURS, SEVERITY_COLOURS, VERSION_MARK, Series
from reports.history import VersionChange
from reports.incomplete import incomplete_scan_note
from reports.labels import ViewTexts
from reports.queries import FAMILIES
from reports.trends import TargetTrend, TrendPoint, trend_for_scan, trend_for_target
from reports.views import (
    Cell,
    ChartView,
    Table,
    TocEntry,
    chart_with_table,
    file_name,
    format_date,
    frame,
    point_label,
    render,
    texts_for,
    write,
)
from scanner.findings.registry import SEVERITY_ORDER
from scanner.store.scans import scan_status

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class TrendView:
    intro: str
    charts: list[ChartView]
    scans: Table
    failed_note: str


def render_trend_report(
    engine: Engine,
    out_dir: Path,
    language: str = "de",
    *,
    target_name: str | None = None,
    scan_id: int | None = None,
    now: datetime | None = None,
) -> Path:
    """The trend of a target, by name or as the target of a scan (default: of the newest scan)."""
    texts = texts_for(language)
    trend = trend_for_target(engine, target_name) if target_name else trend_for_scan(engine, scan_id)
    view = build_trend_view(trend, texts)
    heading = texts["trend_heading"].format(target=trend.target.name)
    toc = [TocEntry("trend", texts["trend_charts"]), TocEntry("scans", texts["scans_heading"])]
    notes = [] if trend.points else [texts["no_scans"]]
    if trend.points and trend.points[-1].incomplete:
        notes.append(incomplete_scan_note(trend.points[-1].scan, texts))
    page = frame(texts, "trend", heading, [], toc, now, notes)
    html = render("trend.html.j2", page, view)
    return write(out_dir, file_name("trend", trend.target.name, language), html)


def build_trend_view(trend: TargetTrend, texts: ViewTexts) -> TrendView:
    points = trend.points
    labels = [trend_point_label(point, texts) for point in points]
    marked = [
        label
        for label, point in zip(labels, points, strict=True)
        if point.version_changes or point.incomplete
    ]
    versions = [version_text(point.version_changes, texts) for point in points]
    charts = trend_charts("trend", labels, points, marked, versions, texts, texts["scan"])
    intro = (
        texts["trend_intro"].format(
            scans=texts.plural("n_scans", len(points)),
            first=format_date(points[0].scan.started_at),
            last=format_date(points[-1].scan.started_at),
            mark=VERSION_MARK,
        )
        if points
        else texts["no_scans"]
    )
    if any(point.incomplete for point in points):
        intro += " " + texts["trend_incomplete_intro"].format(mark=texts["incomplete_mark"])
    return TrendView(
        intro, charts, scans_table(trend, texts), texts["failed_scans"] if trend.other_scans else ""
    )


def trend_point_label(point: TrendPoint, texts: ViewTexts) -> str:
    """``#id date``, with the version mark and, for a scan stopped early, the incomplete mark."""
    label = point_label(f"#{point.scan.id} {format_date(point.scan.started_at)}", bool(point.version_changes))
    return f"{label} {texts['incomplete_mark']}" if point.incomplete else label


def trend_charts(
    prefix: str,
    labels: Sequence[str],
    points: Sequence,
    marked: Sequence[str],
    versions: Sequence[str],
    texts: ViewTexts,
    x_title: str,
) -> list[ChartView]:
    """Three charts over a time axis of scans or days: by family, by severity, new vs fixed.

    ``points`` are TrendPoints or DayPoints: both have open_by_family, open_by_severity, new, fixed
    and not_rechecked.
    """
    if not points:
        return []
    version_column = [(texts["versions_changed"], versions)]
    by_family = [
        Series(
            texts["families"][family],
            [point.open_by_family[family] for point in points],
            FAMILY_COLOURS[family],
        )
        for family in FAMILIES
    ]
    by_severity = [
        Series(
            texts["severities"][severity],
            [point.open_by_severity[severity] for point in points],
            SEVERITY_COLOURS[severity],
        )
        for severity in SEVERITY_ORDER
    ]
    changes = [
        Series(texts["new"], [point.new for point in points], CHANGE_COLOURS["new"]),
        Series(texts["fixed"], [point.fixed for point in points], CHANGE_COLOURS["fixed"]),
        Series(
            texts["not_rechecked"], [point.not_rechecked for point in points], CHANGE_COLOURS["not-rechecked"]
        ),
    ]
    return [
        chart_with_table(
            f"{prefix}-family", texts["chart_family"], texts, x_title, labels, by_family,
            marked=marked, extra_columns=version_column,
        ),
        chart_with_table(
            f"{prefix}-severity", texts["chart_severity"], texts, x_title, labels, by_severity,
            marked=marked, extra_columns=version_column,
        ),
        chart_with_table(
            f"{prefix}-changes", texts["chart_changes"], texts, x_title, labels, changes,
            marked=marked, stacked=False, extra_columns=version_column,
        ),
    ]  # fmt: skip


def version_text(changes: Sequence[VersionChange], texts: ViewTexts) -> str:
    if not changes:
        return texts["none"]
    return "; ".join(
        f"{change.name}: {change.before or texts['none']} → {change.after or texts['none']}"
        for change in changes
    )


def scans_table(trend: TargetTrend, texts: ViewTexts) -> Table:
    """Every scan of the target, completed or not, with its coverage and counts."""
    columns = [
        Cell(texts["scan"]),
        Cell(texts["date"]),
        Cell(texts["status"]),
        Cell(texts["tested_pages"], numeric=True),
        Cell(texts["open"], numeric=True),
        Cell(texts["suppressed"], numeric=True),
        Cell(texts["new"], numeric=True),
        Cell(texts["fixed"], numeric=True),
        Cell(texts["versions_changed"]),
    ]
    by_scan: dict[int, TrendPoint] = {point.scan.id: point for point in trend.points}
    scans = sorted([point.scan for point in trend.points] + trend.other_scans, key=lambda scan: scan.id)
    rows = []
    for scan in scans:
        point = by_scan.get(scan.id)
        status = texts["statuses"][scan_status(scan).value]
        if point is None:
            rows.append(
                [
                    Cell(f"#{scan.id}"),
                    Cell(format_date(scan.started_at)),
                    Cell(status),
                    *[Cell(texts["none"])] * 6,
                ]
            )
            continue
        rows.append(
            [
                Cell(f"#{scan.id}"),
                Cell(format_date(scan.started_at)),
                Cell(status),
                Cell(texts.number(point.tested_pages), numeric=True),
                Cell(texts.number(point.open_total), numeric=True),
                Cell(texts.number(point.suppressed), numeric=True),
                _optional_number(point.new, texts),
                _optional_number(point.fixed, texts),
                Cell(version_text(point.version_changes, texts)),
            ]
        )
    return Table("scans", texts["scans_caption"], columns, rows)


def _optional_number(value: int | None, texts: ViewTexts) -> Cell:
    return Cell(texts["none"] if value is None else texts.number(value), numeric=value is not None)
