"""Live progress on the terminal while a scan runs, and the summary table when it ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from reports.labels import cli_text
from scanner.run.outcome import ScanOutcome, ScanProgress
from scanner.text_safety import plain, terminal_text


def progress_line(progress: ScanProgress) -> Text:
    resumed = " (fortgesetzt)" if progress.resumed else ""
    return Text.assemble(
        (terminal_text(progress.target), "bold"),
        f" · Scan {progress.scan_id}{resumed}: ",
        (f"{progress.pages_done} Seiten geprüft", "green"),
        " · ",
        (f"{progress.pages_failed} nicht prüfbar", "yellow" if progress.pages_failed else ""),
        f" · {progress.documents} Dokumente · {progress.queued} in der Warteschlange"
        f" · {max(progress.in_flight, 0)} in Arbeit · ",
        (f"{progress.findings} Befunde", "bold"),
    )


@contextmanager
def live_progress(console: Console, enabled: bool) -> Iterator:
    """Yields a callback for ``scan_target(on_progress=...)``; silent when not ``enabled``."""
    if not enabled:
        yield lambda progress: None
        return
    with Live(Text("Starte Browser …"), console=console, refresh_per_second=4, transient=False) as live:
        yield lambda progress: live.update(progress_line(progress))


def summary_table(outcomes: list[ScanOutcome]) -> Table:
    text = cli_text()
    table = Table(title=text["summary_title"], show_lines=False)
    for column in text["summary_columns"]:
        table.add_column(column)
    for outcome in outcomes:
        pages = outcome.summary.get("pages", {})
        findings = sum(outcome.summary.get("findings", {}).values())
        table.add_row(
            plain(outcome.target),
            str(outcome.scan_id),
            plain(outcome.status + (f" ({outcome.failure_class})" if outcome.failure_class else "")),
            str(pages.get("html:ok", 0)),
            str(sum(count for key, count in pages.items() if key.startswith("html:") and key != "html:ok")),
            str(sum(count for key, count in pages.items() if key.startswith("document:"))),
            str(findings),
            plain(outcome.stopped_by or ""),
        )
    return table
