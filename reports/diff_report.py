"""``govscan diff SCAN_A SCAN_B``: the change between two scans of one target, as rows and as HTML.

Scans of different targets are refused (``ScanMismatch``, exit code 2). SCAN_A is the earlier
state, SCAN_B the later one; any two scans of the target can be compared, also failed or
incomplete ones (whose missing findings then count as not re-checked, never as fixed; the page
says so in a note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reports.history import Change, ScanHistory, scan_history
from reports.incomplete import history_notes
from reports.labels import ViewTexts
from reports.queries import FAMILIES, load_scan_data
from reports.views import Cell, Table, TocEntry, file_name, format_date, frame, render, texts_for, write
from reports.webteam import group_table, version_table
from scanner.findings.registry import CheckRegistry, load_all_checks

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CHANGE_ORDER = (Change.NEW, Change.FIXED, Change.NOT_RECHECKED, Change.PERSISTING)


@dataclass(frozen=True)
class DiffView:
    intro: str
    counts: Table
    versions: Table | None
    lists: list[Table]


def diff_history(engine: Engine, before_id: int, after_id: int) -> ScanHistory:
    return scan_history(engine, after_id, baseline=before_id)


def count_rows(history: ScanHistory) -> list[tuple[str, dict[str, int]]]:
    """Per family (and a total): how many findings are new, fixed, not re-checked, persisting, suppressed."""
    rows = []
    for family in (*FAMILIES, None):
        later = [item for item in history.findings if family is None or item.finding.family == family]
        earlier = [item for item in history.gone if family is None or item.finding.family == family]
        counts = {change.value: 0 for change in CHANGE_ORDER}
        for item in later + earlier:
            counts[item.change.value] += 1
        counts["suppressed"] = sum(1 for item in later if item.suppressed)
        rows.append((family or "total", counts))
    return rows


def render_diff_report(
    engine: Engine,
    before_id: int,
    after_id: int,
    out_dir: Path,
    language: str = "de",
    *,
    registry: CheckRegistry | None = None,
    now: datetime | None = None,
) -> Path:
    texts = texts_for(language)
    registry = registry if registry is not None else load_all_checks()
    history = diff_history(engine, before_id, after_id)
    target = load_scan_data(engine, after_id).target_name
    view = build_diff_view(history, registry, texts)
    heading = texts["diff_heading"].format(target=target, before=before_id, after=after_id)
    lines = [
        texts["scan_line"].format(scan=before_id, date=format_date(history.baseline.started_at)),
        texts["scan_line"].format(scan=after_id, date=format_date(history.scan.started_at)),
    ]
    toc = [TocEntry("counts", texts["summary"]), TocEntry("lists", texts["diff_lists"])]
    if view.versions is not None:
        toc.append(TocEntry("versions", texts["version_heading"]))
    page = frame(texts, "diff", heading, lines, toc, now, history_notes(history, texts))
    name = file_name("diff", f"{before_id}-{after_id}-{target}", language)
    return write(out_dir, name, render("diff.html.j2", page, view))


def build_diff_view(history: ScanHistory, registry: CheckRegistry, texts: ViewTexts) -> DiffView:
    columns = [
        Cell(texts["family"]),
        *(Cell(texts["changes"][change.value], numeric=True) for change in CHANGE_ORDER),
        Cell(texts["suppressed"], numeric=True),
    ]
    rows = [
        [
            Cell(texts["total"] if family == "total" else texts["families"][family]),
            *(Cell(texts.number(counts[change.value]), numeric=True) for change in CHANGE_ORDER),
            Cell(texts.number(counts["suppressed"]), numeric=True),
        ]
        for family, counts in count_rows(history)
    ]
    lists = []
    for change in CHANGE_ORDER:
        items = history.gone if change in (Change.FIXED, Change.NOT_RECHECKED) else history.findings
        members = [item for item in items if item.change is change]
        if members:
            caption = f"{texts['changes'][change.value]}: {texts.plural('n_occurrences_plain', len(members))}"
            lists.append(group_table(f"diff-{change.value}", caption, members, registry, texts))
    return DiffView(
        intro=texts["diff_intro"],
        counts=Table("diff-counts", texts["count_caption"], columns, rows),
        versions=version_table(history, texts),
        lists=lists,
    )
