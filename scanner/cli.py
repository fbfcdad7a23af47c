"""The ``govscan`` command.

Exit codes: 0 done; 1 a scan could not test anything (its failure class is stored); 2 bad input
(configuration, options, unknown scan or target): nothing was written; 3 the environment lacks
something (Chromium, certutil); 4 ``--fail-on`` found findings (``reports.gate``); 130 interrupted
(resume with ``govscan scan --resume``).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scanner import __version__
from scanner.browser import ChromiumNotFound
from scanner.config import ConfigError, TargetConfig, load_targets
from scanner.connect_to import ConnectToError
from scanner.cron import DEFAULT_TIMEZONE, CronError
from scanner.distributed.database import DatabaseUnavailable
from scanner.network import NetworkSettings
from scanner.store.db import DEFAULT_DB, DatabaseUrlError, open_database
from scanner.store.scans import ScanLookupError, ScanStatus
from scanner.trust import CaBundleError, TrustStoreError, read_ca_bundle

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Audit public-sector websites: "
    "accessibility (BITV 2.0/WCAG), privacy (TDDDG §25, DSGVO) and security in one crawl.",
)
config_app = typer.Typer(no_args_is_help=True, help="Work with targets.toml.")
app.add_typer(config_app, name="config")
data_app = typer.Typer(no_args_is_help=True, help="Reference data downloaded into the user's cache.")
app.add_typer(data_app, name="data")

console = Console(stderr=True, soft_wrap=True)  # error lines stay whole, to copy and grep
stdout = Console()

DbOption = Annotated[
    str, typer.Option("--db", help="Database URL or SQLite file (postgresql://... for scale-out).")
]
ScanOption = Annotated[int | None, typer.Option("--scan", help="Scan id; default: the newest scan.")]
ConnectToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--connect-to", metavar="HOST:PORT:ADDR:PORT", help="Reach HOST:PORT at ADDR:PORT (repeatable)."
    ),
]
CaBundleOption = Annotated[
    Path | None, typer.Option("--ca-bundle", help="PEM file with an extra CA to trust.")
]
TimezoneOption = Annotated[
    str, typer.Option("--timezone", help="Time zone of the cron lines in targets.toml.")
]
PostgresOption = Annotated[str, typer.Option("--db", help="postgresql://USER@HOST/DB shared by all workers.")]


class Exit(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def errors_to_exit_codes() -> Iterator[None]:
    """Every error a user can cause or fix becomes one clear line and an exit code."""
    try:
        yield
    except Exit as error:
        console.print(f"[red]govscan:[/red] {escape(str(error))}")
        raise typer.Exit(error.code) from None
    except ConfigError as error:
        console.print(f"[red]govscan: the configuration has {len(error.problems)} problem(s):[/red]")
        for problem in error.problems:
            console.print(f"  {escape(str(problem))}", highlight=False)
        raise typer.Exit(2) from None
    except (DatabaseUrlError, ConnectToError, ScanLookupError, CaBundleError, CronError) as error:
        console.print(f"[red]govscan:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    except (ChromiumNotFound, TrustStoreError, DatabaseUnavailable) as error:
        console.print(f"[red]govscan:[/red] {escape(str(error))}")
        raise typer.Exit(3) from None


def network_options(connect_to: list[str] | None, ca_bundle: Path | None) -> NetworkSettings:
    if ca_bundle is not None:
        if not ca_bundle.is_file():
            raise Exit(2, f"--ca-bundle {ca_bundle}: file not found")
        read_ca_bundle(ca_bundle)  # fails early with a clear message when it holds no certificate
    return NetworkSettings.build(connect_to or [], ca_bundle.resolve() if ca_bundle else None)


@app.command()
def scan(
    targets: Annotated[Path, typer.Option("--targets", help="The targets file.")] = Path("targets.toml"),
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Scan only this target (repeatable).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the target's unfinished scan.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON on stdout.")] = False,
    fail_on: Annotated[
        list[str] | None,
        typer.Option("--fail-on", help="Exit 4 on findings, e.g. new:serious, new:any, any:critical."),
    ] = None,
    baseline: Annotated[
        int | None,
        typer.Option("--baseline", help="Scan id for --fail-on new:...; default: the previous one."),
    ] = None,
) -> None:
    """Crawl and audit the targets of a targets.toml (all of them unless --target is given)."""
    from scanner.cli_history import enforce_gate, prepare_gate

    with errors_to_exit_codes():
        network = network_options(connect_to, ca_bundle)
        selected = load_targets(targets).select(target or [])
        engine = open_database(db)
        gate = prepare_gate(engine, fail_on or [], baseline, selected)
        outcomes = run_scans(selected, engine, network, resume=resume, quiet=quiet or json_output)
        finish(outcomes, quiet=quiet, json_output=json_output)
        if gate:
            enforce_gate(engine, outcomes, gate, baseline, quiet=quiet)


def run_scans(selected: list[TargetConfig], engine, network: NetworkSettings, *, resume: bool, quiet: bool):
    from scanner.progress import live_progress
    from scanner.run import scan_target

    outcomes = []
    try:
        for target in selected:
            with live_progress(console, enabled=not quiet) as on_progress:
                outcome = asyncio.run(
                    scan_target(
                        target, engine=engine, network=network, resume=resume, on_progress=on_progress
                    )
                )
            outcomes.append(outcome)
    except KeyboardInterrupt:
        console.print("[yellow]Interrupted.[/yellow] Continue with: govscan scan --resume")
        raise typer.Exit(130) from None
    return outcomes


def finish(outcomes, *, quiet: bool, json_output: bool, report: Path | None = None) -> None:
    from scanner.progress import summary_table

    if json_output:
        document = [outcome.__dict__ for outcome in outcomes]
        if report is not None:
            document = {"scans": document, "report": str(report)}
        stdout.print_json(json.dumps(document, default=str))
    elif not quiet:
        console.print(summary_table(outcomes))
    if any(outcome.status == ScanStatus.FAILED for outcome in outcomes):
        raise typer.Exit(1)


@app.command()
def demo(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", help="Where to write the report.")] = Path("govscan-reports"),
    serve: Annotated[bool, typer.Option("--serve", help="Only serve the demo portal until Ctrl-C.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Serve the bundled demo portal on 127.0.0.1, scan it and write the HTML report."""
    from scanner.demo.run import demo_target, serve_forever, serving_demo

    with errors_to_exit_codes():
        if serve:
            asyncio.run(serve_forever(stdout))
            return
        engine = open_database(db)
        with serving_demo() as server:
            network = NetworkSettings.build(server.connect_to(), server.ca_bundle)
            outcomes = run_scans([demo_target()], engine, network, resume=False, quiet=quiet or json_output)
        path = write_report(engine, outcomes[0].scan_id, out, "de")
        finish(outcomes, quiet=quiet, json_output=json_output, report=path)
        if not json_output:
            typer.echo(str(path))


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
    from scanner.cli_history import write_report_of_kind

    with errors_to_exit_codes():
        if lang not in ("de", "en"):
            raise Exit(2, f"--lang {lang}: expected 'de' or 'en'")
        path = write_report_of_kind(
            open_database(db), kind, scan_id=scan_id, target=target, baseline=baseline, out=out, language=lang
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
    from scanner.cli_history import export_writer
    from scanner.store.db import session
    from scanner.store.scans import get_scan

    with errors_to_exit_codes():
        write = export_writer(format, baseline)
        engine = open_database(db)
        with session(engine) as db_session:
            scan_row = get_scan(db_session, scan_id)
        if out is None:
            write(engine, scan_row.id, sys.stdout)
            return
        with out.open("w", encoding="utf-8", newline="") as handle:
            write(engine, scan_row.id, handle)
        typer.echo(str(out))


@app.command("checks")
def list_checks(
    check_id: Annotated[str | None, typer.Argument(help="Show the documentation of one check.")] = None,
    lang: Annotated[str, typer.Option("--lang")] = "de",
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List every check with its id, family, scope, severity and references."""
    from scanner.registry import load_all_checks

    registry = load_all_checks()
    with errors_to_exit_codes():
        if check_id is not None:
            if check_id not in registry:
                raise Exit(2, f"unknown check {check_id!r}; 'govscan checks' lists them")
            show_check(registry.get(check_id), lang)
            return
    if json_output:
        stdout.print_json(json.dumps([check_as_dict(check) for check in registry]))
        return
    table = Table(title=f"govscan {__version__}: {len(registry)} Prüfungen")
    for column in ("id", "Familie", "Umfang", "Schwere", "Titel", "Bezüge"):
        table.add_column(column)
    for check in registry:
        references = "; ".join(
            f"{key}: {', '.join(values)}" for key, values in check.references.as_dict().items()
        )
        table.add_row(
            check.id, check.family, check.scope, check.severity, check.doc.title.get(lang), references
        )
    stdout.print(table)


def check_as_dict(check) -> dict:
    doc = check.doc
    return {
        "id": check.id,
        "family": check.family.value,
        "scope": check.scope.value,
        "severity": check.severity.value,
        "references": check.references.as_dict(),
        "doc": {part: getattr(doc, part).__dict__ for part in ("title", "what", "why", "how_to_fix")}
        | {"example": doc.example},
    }


def show_check(check, lang: str) -> None:
    doc = check.doc
    labels = {
        "de": ("Was", "Warum", "Beispiel", "So beheben"),
        "en": ("What", "Why", "Example", "How to fix"),
    }["en" if lang == "en" else "de"]
    stdout.print(f"[bold]{escape(check.id)}[/bold] ({check.family}, {check.scope}, {check.severity})")
    stdout.print(f"[bold]{escape(doc.title.get(lang))}[/bold]\n")
    for label, text in zip(
        labels, (doc.what.get(lang), doc.why.get(lang), doc.example, doc.how_to_fix.get(lang)), strict=True
    ):
        if text:
            stdout.print(f"[bold]{label}[/bold]\n{escape(text)}\n")


@config_app.command("check")
def config_check(
    targets: Annotated[Path, typer.Argument(help="The file to check.")] = Path("targets.toml"),
) -> None:
    """Validate a targets file; every problem is reported with its line."""
    with errors_to_exit_codes():
        project = load_targets(targets)
    table = Table(title=f"{targets}: {len(project.targets)} Ziele, keine Fehler")
    for column in ("Name", "Start", "Ebene", "max. Seiten", "Zeitplan"):
        table.add_column(column)
    for target in project.targets:
        table.add_row(
            target.name,
            ", ".join(target.start_urls),
            target.authority_level,
            str(target.max_pages),
            target.schedule or "",
        )
    stdout.print(table)


@data_app.command("list")
def data_list() -> None:
    """Show the datasets checks can use, and which are downloaded."""
    from scanner.datasets import DATASETS, data_dir, installed
    from scanner.registry import load_all_checks

    load_all_checks()  # check modules register the datasets they use
    table = Table(title=f"Datasets in {data_dir()}")
    for column in ("Name", "Beschreibung", "Lizenz", "Stand"):
        table.add_column(column)
    for name, dataset in sorted(DATASETS.items()):
        copy = installed(name)
        state = f"{copy.version or copy.sha256[:12]} ({copy.downloaded_at})" if copy else "nicht geladen"
        table.add_row(name, dataset.description, dataset.licence, state)
    stdout.print(table)


@data_app.command("update")
def data_update(
    names: Annotated[list[str] | None, typer.Argument(help="Datasets to fetch; default: all.")] = None,
) -> None:
    """Download reference data (filter lists, HSTS preload list) into the user's cache."""
    from scanner.datasets import DATASETS, DatasetError, update
    from scanner.net import NetClient
    from scanner.registry import load_all_checks

    load_all_checks()
    with errors_to_exit_codes():
        unknown = sorted(set(names or []) - set(DATASETS))
        if unknown:
            raise Exit(
                2, f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(sorted(DATASETS)) or 'none'}"
            )

    async def fetch_all() -> list[str]:
        problems = []
        async with NetClient(user_agent=f"govscan/{__version__}", timeout=120) as client:
            for name in names or sorted(DATASETS):
                try:
                    copy = await update(DATASETS[name], client)
                    typer.echo(f"{name}: {copy.version or copy.sha256[:12]} -> {copy.path}")
                except DatasetError as error:
                    problems.append(str(error))
        return problems

    problems = asyncio.run(fetch_all())
    for problem in problems:
        console.print(f"[red]govscan:[/red] {escape(problem)}")
    if problems:
        raise typer.Exit(1)


@app.command("schedule")
def schedule_scans(
    targets: Annotated[Path, typer.Option("--targets", help="The targets file.")] = Path("targets.toml"),
    db: DbOption = DEFAULT_DB,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    timezone_name: TimezoneOption = DEFAULT_TIMEZONE,
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    print_cron: Annotated[bool, typer.Option("--print-cron", help="Print crontab lines instead.")] = False,
    print_systemd: Annotated[
        bool, typer.Option("--print-systemd", help="Print systemd timers and services instead.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="With --print-systemd: write the unit files into this folder."),
    ] = None,
) -> None:
    """Run each target's scan when its cron line (schedule = "...") says, in the foreground, one at a time."""
    from scanner.cron import timezone

    with errors_to_exit_codes():
        zone = timezone(timezone_name)
        network = network_options(connect_to, ca_bundle)
        project = load_targets(targets)
        planned = [target for target in project.targets if target.schedule]
        if not planned:
            raise Exit(2, f'{targets}: no target has a schedule (e.g. schedule = "0 3 * * 1")')
        if print_cron and print_systemd:
            raise Exit(2, "--print-cron and --print-systemd: choose one")
        if out is not None and not print_systemd:
            raise Exit(2, "--out is for --print-systemd")
        if print_cron or print_systemd:
            print_os_schedule(planned, targets, db, network, timezone_name, systemd=print_systemd, out=out)
            return
        run_scheduler(project.targets, open_database(db), network, zone, once=once)


def print_os_schedule(planned, targets_file: Path, db: str, network, zone_name: str, *, systemd: bool, out):
    from scanner.schedule_units import ScanCommand, crontab, systemd_units

    command = ScanCommand(targets_file, db, network)
    if not systemd:
        typer.echo(crontab(planned, command, zone_name), nl=False)
        return
    units = systemd_units(planned, command, zone_name)
    if out is None:
        for name, content in units.items():
            typer.echo(f"# ==> {name} <==\n{content}")
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, content in units.items():
        (out / name).write_text(content, encoding="utf-8")
        typer.echo(str(out / name))


def run_scheduler(targets, engine, network, zone, *, once: bool) -> None:
    from scanner.schedule import LocalScheduler

    scheduler = LocalScheduler(
        engine,
        targets,
        zone=zone,
        network=network,
        log=lambda line: console.print(escape(line), highlight=False),
    )
    try:
        asyncio.run(scheduler.run_due() if once else scheduler.run_forever())
    except KeyboardInterrupt:
        console.print(
            "[yellow]Interrupted.[/yellow] The scan continues when 'govscan schedule' starts again."
        )
        raise typer.Exit(130) from None


@app.command()
def worker(
    db: PostgresOption,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    timezone_name: TimezoneOption = DEFAULT_TIMEZONE,
    concurrency: Annotated[int, typer.Option(min=1, help="Scans at once in this process.")] = 2,
    job_budget: Annotated[float, typer.Option(min=1, help="Wall-clock seconds per job.")] = 3600.0,
    browser_pages: Annotated[int, typer.Option(min=1, help="Relaunch Chromium after this many pages.")] = 500,
    retries: Annotated[int, typer.Option(min=0, help="Retries of a transient failure.")] = 2,
    retry_wait: Annotated[int, typer.Option(min=0, help="Seconds before the first retry (doubling).")] = 30,
    poll_interval: Annotated[float, typer.Option(min=0.05, help="Seconds between queue polls.")] = 5.0,
    stalled_after: Annotated[
        float, typer.Option(min=1, help="Seconds without heartbeat after which a worker's jobs are requeued.")
    ] = 60.0,
    shutdown_timeout: Annotated[
        float, typer.Option(min=0, help="On SIGTERM, seconds to let running scans finish before requeueing.")
    ] = 60.0,
) -> None:
    """Run scan jobs from the PostgreSQL queue (procrastinate) until stopped (SIGTERM, Ctrl-C)."""
    import logging

    from scanner.cron import timezone
    from scanner.distributed.database import postgres_conninfo
    from scanner.distributed.jobs import WorkerSettings
    from scanner.distributed.worker import run_worker

    with errors_to_exit_codes():
        zone = timezone(timezone_name)
        network = network_options(connect_to, ca_bundle)
        postgres_conninfo(db)  # refuse SQLite before anything starts
        settings = WorkerSettings(
            concurrency=concurrency,
            job_budget=job_budget,
            browser_pages=browser_pages,
            retries=retries,
            retry_wait=retry_wait,
            poll_interval=poll_interval,
            stalled_after=stalled_after,
            shutdown_timeout=shutdown_timeout,
        )
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        asyncio.run(run_worker(db, network, zone, settings))


@app.command()
def enqueue(
    db: PostgresOption,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="Store this targets file's targets and schedules first.")
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Queue this target now, due or not (repeatable).")
    ] = None,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    timezone_name: TimezoneOption = DEFAULT_TIMEZONE,
    json_output: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON on stdout.")] = False,
) -> None:
    """Queue scan jobs for the workers: every target whose schedule is due (or those named)."""
    from datetime import UTC, datetime

    from scanner.cron import timezone
    from scanner.distributed.database import postgres_conninfo
    from scanner.distributed.enqueue import enqueue_targets

    with errors_to_exit_codes():
        zone = timezone(timezone_name)
        network = network_options(connect_to, ca_bundle)
        postgres_conninfo(db)
        names = [*dict.fromkeys(target or [])]
        project = load_targets(targets) if targets is not None else None
        if project is not None:
            project.select(names)  # unknown names: exit 2 before anything is written
        result = asyncio.run(
            enqueue_targets(db, project.targets if project else None, names, network, zone, datetime.now(UTC))
        )
    if json_output:
        stdout.print_json(json.dumps(result.__dict__))
        return
    table = Table(title=f"{len(result.deferred)} Scan-Aufträge eingereiht")
    for column in ("Ziel", "Server (Sperre)"):
        table.add_column(column)
    for name, lock in result.deferred.items():
        table.add_row(name, lock)
    for name in result.already_queued:
        table.add_row(name, "wartet bereits")
    stdout.print(table)


@app.command()
def status(
    db: DbOption = DEFAULT_DB,
    json_output: Annotated[bool, typer.Option("--json", help="Print the status as JSON on stdout.")] = False,
) -> None:
    """Queue depth, running scans, age of each target's newest complete scan, failures by class."""
    from datetime import UTC, datetime

    from scanner.status import collect_status, status_tables

    with errors_to_exit_codes():
        current = collect_status(open_database(db), datetime.now(UTC))
    if json_output:
        stdout.print_json(json.dumps(current.as_json(), default=str))
        return
    for table in status_tables(current):
        stdout.print(table)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        stdout.print(f"govscan {__version__}")
        raise typer.Exit(0)


from scanner import cli_history  # noqa: E402, F401  (registers diff, review, reviews on the app)
