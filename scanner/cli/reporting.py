"""``govscan report`` and ``govscan export``: the report kinds and the export formats of a stored scan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reports.history import PREVIOUS, Baseline
from scanner.cli.app import DbOption, Exit, ScanOption, app, errors_to_exit_codes, output_file, output_folder
from scanner.store.db import DEFAULT_DB, open_database, session
from scanner.store.scans import ScanLookupError, get_scan, newest_scan_of_target, target_by_name

REPORT_KINDS = ("scan", "webteam", "trend", "portfolio")


def write_report(engine, scan_id: int | None, out: Path, language: str) -> Path:
    from reports.html import render_scan_report
    from scanner.store.db import session
    from scanner.store.scans import get_scan

    with session(engine) as db_session:
        scan_row = get_scan(db_session, scan_id)
    out.mkdir(parents=True, exist_ok=True)
    return render_scan_report(engine, scan_row.id, out, language=language)


@app.command()
def report(
    scan_id: ScanOption = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for the report.")] = Path("govscan-reports"),
    lang: Annotated[str, typer.Option("--lang", help="de or en.")] = "de",
    db: DbOption = DEFAULT_DB,
    kind: Annotated[str, typer.Option("--kind", help="scan, webteam, trend or portfolio.")] = "scan",
    target: Annotated[str | None, typer.Option("--target", help="Target name (trend; newest scan).")] = None,
    baseline: Annotated[
        int | None, typer.Option("--baseline", help="webteam: compare with this scan.")
    ] = None,
) -> None:
    """Write a self-contained HTML report (default: of the newest scan) and print its path."""

    with errors_to_exit_codes():
        check_language(lang)
        check_kind(kind, baseline)
        output_folder(out)
        path = write_report_of_kind(
            open_database(db, create=False),
            kind,
            scan_id=scan_id,
            target=target,
            baseline=baseline,
            out=out,
            language=lang,
        )
        typer.echo(str(path))


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", help="json, csv, earl (JSON-LD) or junit (XML).")
    ] = "json",
    scan_id: ScanOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write; default: stdout.")] = None,
    db: DbOption = DEFAULT_DB,
    baseline: Annotated[
        int | None, typer.Option("--baseline", help="Scan to compare with; default: the previous one.")
    ] = None,
) -> None:
    """Export the findings of a scan (docs/export.md)."""
    from scanner.store.db import session
    from scanner.store.scans import get_scan

    with errors_to_exit_codes():
        write = export_writer(format, baseline)
        if out is not None:
            output_file(out)
        engine = open_database(db, create=False)
        with session(engine) as db_session:
            scan_row = get_scan(db_session, scan_id)
            if baseline is not None:  # an unknown baseline is bad input, not an empty comparison
                check_baseline(db_session, baseline)
        if out is None:
            write(engine, scan_row.id, sys.stdout)
            return
        with out.open("w", encoding="utf-8", newline="") as handle:
            write(engine, scan_row.id, handle)
        typer.echo(str(out))


def check_language(lang: str) -> None:
    if lang not in ("de", "en"):
        raise Exit(2, f"--lang {lang}: expected 'de' or 'en'")


def check_kind(kind: str, baseline: int | None) -> None:
    if kind not in REPORT_KINDS:
        raise Exit(2, f"--kind {kind}: expected one of {', '.join(REPORT_KINDS)}")
    if baseline is not None and kind != "webteam":
        raise Exit(2, f"--baseline {baseline}: only --kind webteam compares with a baseline")


def check_baseline(db, baseline: int) -> None:
    try:
        get_scan(db, baseline)
    except ScanLookupError as error:
        raise Exit(2, f"--baseline {baseline}: {error}") from None


def baseline_option(value: int | None) -> Baseline:
    return PREVIOUS if value is None else value


def write_report_of_kind(
    engine,
    kind: str,
    *,
    scan_id: int | None,
    target: str | None,
    baseline: int | None,
    out: Path,
    language: str,
) -> Path:
    """``govscan report --kind ...``: the scan report, the web-team view, a trend or the portfolio."""
    if kind not in REPORT_KINDS:
        raise Exit(2, f"--kind {kind}: expected one of {', '.join(REPORT_KINDS)}")
    if kind == "trend":
        from reports.trend_report import render_trend_report

        return render_trend_report(engine, out, language, target_name=target, scan_id=scan_id)
    if kind == "portfolio":
        from reports.portfolio_report import render_portfolio_report

        return render_portfolio_report(engine, out, language)
    scan_id = resolve_scan(engine, scan_id, target)
    if baseline is not None:
        with session(engine) as db:
            check_baseline(db, baseline)
    if kind == "webteam":
        from reports.webteam import render_webteam_report

        return render_webteam_report(engine, scan_id, out, language, baseline=baseline_option(baseline))
    return write_report(engine, scan_id, out, language)


def resolve_scan(engine, scan_id: int | None, target: str | None) -> int:
    """The given scan, else the newest scan of ``target``, else the newest scan."""
    with session(engine) as db:
        if scan_id is not None or target is None:
            return get_scan(db, scan_id).id
        row = target_by_name(db, target)
        newest = newest_scan_of_target(db, row.id) if row else None
        if newest is None:
            raise Exit(2, f"there is no scan of target {target!r} in this database")
        return newest.id


def export_writer(fmt: str, baseline: int | None):
    """The function that writes ``fmt`` (json, csv, earl, junit) for ``(engine, scan_id, out)``."""
    from functools import partial

    from reports.earl import export_earl
    from reports.export import export_findings
    from reports.junit import export_junit

    chosen = baseline_option(baseline)
    writers = {
        "json": lambda engine, scan_id, out: export_findings(engine, scan_id, "json", out, baseline=chosen),
        "csv": lambda engine, scan_id, out: export_findings(engine, scan_id, "csv", out, baseline=chosen),
        "earl": partial(export_earl, baseline=chosen),
        "junit": partial(export_junit, baseline=chosen),
    }
    if fmt not in writers:
        raise Exit(2, f"--format {fmt}: expected one of {', '.join(writers)}")
    return writers[fmt]
