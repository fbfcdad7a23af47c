"""What the history views (web team, trend, portfolio, diff) share: the page frame, tables, charts, files.

Every view is a frozen dataclass built from the store and rendered through ``layout.html.j2`` with
autoescaping; values from scanned pages stay plain strings. Charts come as SVG ``Markup`` from
``reports.charts`` and always travel with the table that is their text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from reports.charts import VERSION_MARK, Series, bar_chart
from reports.formatting import format_datetime, slug
from reports.html import template_environment
from reports.labels import LANGUAGES, ViewTexts
from scanner import PROJECT_URL, __version__


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    label: str


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    code: bool = False


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    columns: Sequence[Cell]
    rows: Sequence[Sequence[Cell]]  # the first cell of a row is its header


@dataclass(frozen=True)
class ChartView:
    id: str
    caption: str
    note: str
    svg: Markup
    table: Table


@dataclass(frozen=True)
class Frame:
    """The parts every view page has: language, title, heading, table of contents, footer."""

    language: str
    labels: dict[str, Any]
    kind_label: str
    page_title: str
    heading: str
    status_lines: Sequence[str]
    toc: Sequence[TocEntry]
    generated: str
    project_url: str = PROJECT_URL
    notes: Sequence[str] = field(default_factory=tuple)


def texts_for(language: str) -> ViewTexts:
    if language not in LANGUAGES:
        raise ValueError(
            f"report language {language!r} is not available; choose one of {', '.join(LANGUAGES)}"
        )
    return ViewTexts(language)


def frame(
    texts: ViewTexts,
    kind: str,
    heading: str,
    status_lines: Sequence[str],
    toc: Sequence[TocEntry],
    now: datetime | None,
    notes: Sequence[str] = (),
) -> Frame:
    kind_label = texts["kinds"][kind]
    return Frame(
        language=texts.language,
        labels=texts.labels,
        kind_label=kind_label,
        page_title=f"{heading} – govscan",
        heading=heading,
        status_lines=status_lines,
        toc=toc,
        generated=texts["generated"].format(
            version=__version__, time=format_datetime(now or datetime.now(UTC))
        ),
        notes=notes,
    )


def render(template: str, page: Frame, view: Any) -> str:
    return template_environment().get_template(template).render(page=page, view=view, L=page.labels)


def write(out_dir: Path, name: str, html: str) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_text(html, encoding="utf-8")
    return path


def file_name(kind: str, subject: str, language: str) -> str:
    """``govscan-<kind>-<subject>.html``; other languages than German add their suffix."""
    suffix = "" if language == "de" else f"-{language}"
    return f"govscan-{kind}-{slug(subject)}{suffix}.html"


def format_date(value: datetime | None) -> str:
    if value is None:
        return ""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.strftime("%Y-%m-%d")


def point_label(text: str, version_changed: bool) -> str:
    return f"{text} {VERSION_MARK}" if version_changed else text


def chart_with_table(
    chart_id: str,
    caption: str,
    texts: ViewTexts,
    x_title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    marked: Sequence[str] = (),
    stacked: bool = True,
    horizontal: bool = False,
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
) -> ChartView:
    """A bar chart and the table with the same numbers (plus extra text columns, e.g. version changes)."""
    caption_id = f"{chart_id}-caption"
    columns = [Cell(x_title), *(Cell(item.label, numeric=True) for item in series)]
    columns += [Cell(title) for title, _ in extra_columns]
    rows = []
    for index, label in enumerate(x_labels):
        cells = [Cell(label)]
        cells += [_number_cell(item.values[index], texts) for item in series]
        cells += [Cell(values[index]) for _, values in extra_columns]
        rows.append(cells)
    svg = bar_chart(caption_id, x_labels, series, stacked=stacked, marked=marked, horizontal=horizontal)
    table = Table(f"{chart_id}-data", caption, columns, rows)
    return ChartView(chart_id, caption, texts["chart_note"], svg, table)


def _number_cell(value: float | None, texts: ViewTexts) -> Cell:
    if value is None:
        return Cell(texts["none"])  # not known (e.g. new/fixed of a target's first scan), not zero
    return Cell(texts.number(int(value)), numeric=True)
