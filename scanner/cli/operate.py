"""Running govscan continuously: ``schedule``, ``worker``, ``enqueue`` and ``status``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reports.labels import cli_text
from scanner.cli.app import (
    CaBundleOption,
    ConnectToOption,
    DbOption,
    Exit,
    PostgresOption,
    TimezoneOption,
    app,
    console,
    errors_to_exit_codes,
    network_options,
    output_folder,
    print_json,
    stdout,
)
from scanner.config.targets import load_targets
from scanner.schedule.cron import DEFAULT_TIMEZONE
from scanner.store.db import DEFAULT_DB, normalise_db_url, open_database
from scanner.text_safety import TerminalLogFormatter, markup_text, plain


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
    from scanner.schedule.cron import timezone

    with errors_to_exit_codes():
        zone = timezone(timezone_name)
        network = network_options(connect_to, ca_bundle)
        normalise_db_url(db)  # also when only printing: the printed lines carry it
        project = load_targets(targets)
        planned = [target for target in project.targets if target.schedule]
        if not planned:
            raise Exit(2, f'{targets}: no target has a schedule (e.g. schedule = "0 3 * * 1")')
        if print_cron and print_systemd:
            raise Exit(2, "--print-cron and --print-systemd: choose one")
        if out is not None and not print_systemd:
            raise Exit(2, "--out is for --print-systemd")
        if out is not None:
            output_folder(out)
        if print_cron or print_systemd:
            print_os_schedule(planned, targets, db, network, timezone_name, systemd=print_systemd, out=out)
            return
        run_scheduler(project.targets, open_database(db), network, zone, once=once)


def print_os_schedule(planned, targets_file: Path, db: str, network, zone_name: str, *, systemd: bool, out):
    from scanner.schedule.units import ScanCommand, crontab, systemd_units

    command = ScanCommand(targets_file, db, network)
    if not systemd:
        typer.echo(crontab(planned, command, zone_name), nl=False)
        return
    units = systemd_units(planned, command, zone_name)
    if out is None:
        for name, content in units.items():
            typer.echo(f"# ==> {name} <==\n{content}")
        return
    out.mkdir(exist_ok=True)
    for name, content in units.items():
        (out / name).write_text(content, encoding="utf-8")
        typer.echo(str(out / name))


def run_scheduler(targets, engine, network, zone, *, once: bool) -> None:
    from scanner.schedule.scheduler import LocalScheduler

    scheduler = LocalScheduler(
        engine,
        targets,
        zone=zone,
        network=network,
        log=lambda line: console.print(markup_text(line), highlight=False),
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

    from scanner.distributed.database import postgres_conninfo
    from scanner.distributed.jobs import WorkerSettings
    from scanner.distributed.worker import run_worker
    from scanner.schedule.cron import timezone

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
        handler = logging.StreamHandler()
        handler.setFormatter(TerminalLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler])
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

    from scanner.distributed.database import postgres_conninfo
    from scanner.distributed.enqueue import enqueue_targets
    from scanner.schedule.cron import timezone

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
        print_json(result.__dict__)
        return
    text = cli_text()
    table = Table(title=text["enqueued_title"].format(n=len(result.deferred)))
    for column in text["enqueued_columns"]:
        table.add_column(column)
    for name, lock in result.deferred.items():
        table.add_row(plain(name), plain(lock))
    for name in result.already_queued:
        table.add_row(plain(name), text["already_queued"])
    stdout.print(table)


@app.command()
def status(
    db: DbOption = DEFAULT_DB,
    json_output: Annotated[bool, typer.Option("--json", help="Print the status as JSON on stdout.")] = False,
) -> None:
    """Queue depth, running scans, age of each target's newest complete scan, failures by class."""
    from datetime import UTC, datetime

    from scanner.cli.status import collect_status, status_tables

    with errors_to_exit_codes():
        current = collect_status(open_database(db, create=False), datetime.now(UTC))
    if json_output:
        print_json(current.as_json())
        return
    for table in status_tables(current):
        stdout.print(table)
