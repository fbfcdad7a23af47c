"""CLI commands about history: ``diff``, ``review`` and ``reviews``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reports.history import ScanHistory
from reports.labels import cli_text
from scanner.cli.app import (
    DbOption,
    Exit,
    app,
    console,
    errors_to_exit_codes,
    output_folder,
    print_json,
    stdout,
)
from scanner.cli.reporting import check_language
from scanner.store.db import DEFAULT_DB, open_database, session
from scanner.store.reviews import (
    Decision,
    ReviewError,
    decision_state,
    latest_decisions,
    record_decision,
)
from scanner.store.scans import target_names
from scanner.text_safety import markup_text, plain

LangOption = Annotated[str, typer.Option("--lang", help="de or en.")]
OutOption = Annotated[Path, typer.Option("--out", help="Directory for the report.")]


@app.command()
def diff(
    scan_a: Annotated[int, typer.Argument(help="The earlier scan.")],
    scan_b: Annotated[int, typer.Argument(help="The later scan (same target).")],
    out: OutOption = Path("govscan-reports"),
    lang: LangOption = "de",
    db: DbOption = DEFAULT_DB,
    json_output: Annotated[bool, typer.Option("--json", help="Print the counts as JSON instead.")] = False,
) -> None:
    """Show what changed between two scans of one target and write it as an HTML report."""
    from reports.diff_report import count_rows, diff_history, render_diff_report
    from reports.incomplete import history_notes, is_incomplete
    from reports.views import texts_for

    with errors_to_exit_codes():
        check_language(lang)
        output_folder(out)
        engine = open_database(db, create=False)
        history = diff_history(engine, scan_a, scan_b)
        path = render_diff_report(engine, scan_a, scan_b, out, lang)
    rows = count_rows(history)
    notes = history_notes(history, texts_for(lang))
    if json_output:
        incomplete = [scan.id for scan in (history.baseline, history.scan) if scan and is_incomplete(scan)]
        document = {"before": scan_a, "after": scan_b, "counts": dict(rows), "report": str(path)}
        print_json({**document, "incomplete_scans": incomplete})
        return
    stdout.print(diff_table(history, rows))
    for change in history.version_changes:
        stdout.print(
            f"[yellow]Version geändert:[/yellow] {markup_text(change.name)}: "
            f"{markup_text(change.before or '—')} → {markup_text(change.after or '—')}"
        )
    for note in notes:
        console.print(f"[yellow]govscan: warning:[/yellow] {markup_text(note)}", highlight=False)
    typer.echo(str(path))


def diff_table(history: ScanHistory, rows: list[tuple[str, dict[str, int]]]) -> Table:
    table = Table(title=f"Scan {history.baseline.id} → Scan {history.scan.id}")
    for index, column in enumerate(cli_text()["diff_columns"]):
        table.add_column(column, justify="left" if index == 0 else "right")
    for family, counts in rows:
        table.add_row(
            family,
            *(str(counts[key]) for key in ("new", "fixed", "not-rechecked", "persisting", "suppressed")),
        )
    return table


@app.command()
def review(
    fingerprint: Annotated[
        str, typer.Argument(help="The finding's fingerprint (or a unique prefix, 8+ chars).")
    ],
    decision: Annotated[str, typer.Option("--decision", help="confirmed, false-positive or accepted.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; shown beside the finding in reports.")],
    by: Annotated[str, typer.Option("--by", help="Who decides.")],
    scan_id: Annotated[
        int | None, typer.Option("--scan", help="Judge the finding as seen in this scan.")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record a review decision on a finding; it holds across scans until the finding changes."""
    with errors_to_exit_codes():
        try:
            chosen = Decision(decision)
        except ValueError:
            raise Exit(2, f"--decision {decision}: expected {', '.join(d.value for d in Decision)}") from None
        engine = open_database(db, create=False)
        with session(engine) as db_session:
            try:
                row = record_decision(
                    db_session, fingerprint, chosen, reason=reason, decided_by=by, scan_id=scan_id
                )
            except ReviewError as error:
                raise Exit(2, str(error)) from None
    typer.echo(f"{row.fingerprint} {row.decision} ({row.check_id}, scan {row.scan_id})")


@app.command()
def reviews(
    target: Annotated[str | None, typer.Option("--target", help="Only decisions on this target.")] = None,
    db: DbOption = DEFAULT_DB,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List review decisions (the newest per fingerprint) and whether they still hold."""
    with errors_to_exit_codes():
        engine = open_database(db, create=False)
        with session(engine) as db_session:
            targets = target_names(db_session)
            if target is not None and target not in targets.values():
                raise Exit(2, f"there is no target {target!r} in this database")
            decisions = [
                row
                for row in latest_decisions(db_session).values()
                if target is None or targets.get(row.target_id) == target
            ]
            states = {row.fingerprint: decision_state(db_session, row) for row in decisions}
    if json_output:
        document = [
            {
                "fingerprint": row.fingerprint,
                "check_id": row.check_id,
                "decision": row.decision,
                "reason": row.reason,
                "decided_by": row.decided_by,
                "decided_at": row.decided_at.isoformat(),
                "target": targets.get(row.target_id),
                "state": states[row.fingerprint],
            }
            for row in decisions
        ]
        print_json(document)
        return
    text = cli_text()
    table = Table(title=text["reviews_title"].format(n=len(decisions)))
    fingerprint, *columns = text["reviews_columns"]
    table.add_column(fingerprint, overflow="fold", min_width=32)
    for column in columns:
        table.add_column(column)
    for row in decisions:
        table.add_row(
            plain(row.fingerprint),
            plain(row.check_id),
            plain(row.decision),
            plain(row.reason),
            plain(row.decided_by),
            row.decided_at.strftime("%Y-%m-%d"),
            plain(targets.get(row.target_id, "")),
            plain(states[row.fingerprint]),
        )
    stdout.print(table)
