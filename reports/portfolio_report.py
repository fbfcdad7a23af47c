"""The portfolio view: every target side by side, ranked, and all of them over time.

The ranking uses each target's latest completed scan (``reports.trends.ranking_key``); the time
series sums, for every day on which any scan completed, each target's latest completed scan up to
that day. Days with tool-version changes are marked on the time axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reports.charts import SEVERITY_COLOURS, VERSION_MARK, Series
from reports.labels import ViewTexts
from reports.trend_report import trend_charts, version_text
from reports.trends import TargetTrend, all_trends, days, ranking_key
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

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class PortfolioView:
    ranking_intro: str
    ranking: Table
    ranking_chart: ChartView | None
    over_time_intro: str
    charts: list[ChartView]
    without_scans: str


def render_portfolio_report(
    engine: Engine, out_dir: Path, language: str = "de", *, now: datetime | None = None
) -> Path:
    texts = texts_for(language)
    trends = all_trends(engine)
    view = build_portfolio_view(trends, texts)
    heading = texts["portfolio_heading"].format(n=texts.number(len(trends)))
    toc = [TocEntry("ranking", texts["ranking_heading"]), TocEntry("over-time", texts["portfolio_charts"])]
    page = frame(texts, "portfolio", heading, [], toc, now)
    return write(
        out_dir, file_name("portfolio", "alle-ziele", language), render("portfolio.html.j2", page, view)
    )


def build_portfolio_view(trends: list[TargetTrend], texts: ViewTexts) -> PortfolioView:
    ranked = sorted((trend for trend in trends if trend.points), key=ranking_key)
    without = [trend.target.name for trend in trends if not trend.points]
    day_points = days(ranked)
    labels = [point_label(point.day.isoformat(), bool(point.version_changes)) for point in day_points]
    marked = [label for label, point in zip(labels, day_points, strict=True) if point.version_changes]
    versions = [
        "; ".join(f"{name}: {version_text([change], texts)}" for name, change in point.version_changes)
        or texts["none"]
        for point in day_points
    ]
    return PortfolioView(
        ranking_intro=texts["ranking_intro"],
        ranking=ranking_table(ranked, texts),
        ranking_chart=ranking_chart(ranked, texts) if ranked else None,
        over_time_intro=texts["portfolio_intro"].format(mark=VERSION_MARK),
        charts=trend_charts("portfolio", labels, day_points, marked, versions, texts, texts["day"]),
        without_scans=texts["targets_without_scans"].format(names=", ".join(without)) if without else "",
    )


def ranking_table(ranked: list[TargetTrend], texts: ViewTexts) -> Table:
    columns = [
        Cell(texts["rank"], numeric=True),
        Cell(texts["target"]),
        Cell(texts["scan"]),
        Cell(texts["tested_pages"], numeric=True),
        *(
            Cell(f"{texts['fails']}: {texts['severities'][severity]}", numeric=True)
            for severity in SEVERITY_ORDER
        ),
        Cell(texts["reviews"], numeric=True),
        Cell(texts["per_page"], numeric=True),
        Cell(texts["new"], numeric=True),
        Cell(texts["fixed"], numeric=True),
        Cell(texts["suppressed"], numeric=True),
    ]
    rows = []
    for rank, trend in enumerate(ranked, 1):
        latest = trend.latest
        per_page = latest.open_total / latest.tested_pages if latest.tested_pages else 0.0
        rows.append(
            [
                Cell(str(rank), numeric=True),
                Cell(trend.target.name),
                Cell(f"#{latest.scan.id} {format_date(latest.scan.started_at)}"),
                Cell(texts.number(latest.tested_pages), numeric=True),
                *(
                    Cell(texts.number(latest.open_defects_by_severity[s]), numeric=True)
                    for s in SEVERITY_ORDER
                ),
                Cell(texts.number(latest.open_reviews), numeric=True),
                Cell(texts.decimal(per_page), numeric=True),
                Cell(texts["none"] if latest.new is None else texts.number(latest.new), numeric=True),
                Cell(texts["none"] if latest.fixed is None else texts.number(latest.fixed), numeric=True),
                Cell(texts.number(latest.suppressed), numeric=True),
            ]
        )
    return Table("ranking", texts["ranking_caption"], columns, rows)


def ranking_chart(ranked: list[TargetTrend], texts: ViewTexts) -> ChartView:
    names = [trend.target.name for trend in ranked]
    series = [
        Series(
            texts["severities"][severity],
            [trend.latest.open_defects_by_severity[severity] for trend in ranked],
            SEVERITY_COLOURS[severity],
        )
        for severity in SEVERITY_ORDER
    ]
    return chart_with_table(
        "ranking-chart", texts["chart_ranking"], texts, texts["target"], names, series, horizontal=True
    )
