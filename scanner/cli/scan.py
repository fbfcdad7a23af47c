"""``govscan scan`` and ``govscan demo``: crawl, audit, store, and print the outcome."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from scanner.cli.app import (
    INCOMPLETE_EXIT_CODE,
    CaBundleOption,
    ConnectToOption,
    DbOption,
    DnsServerOption,
    Exit,
    app,
    console,
    errors_to_exit_codes,
    network_options,
    output_folder,
    print_json,
    stdout,
)
from scanner.cli.reporting import write_report
from scanner.config.targets import TargetConfig, load_targets
from scanner.net.network import NetworkSettings
from scanner.store.db import DEFAULT_DB, open_database, session
from scanner.store.scans import (
    ScanStatus,
    being_scanned,
    resumable_scan_of,
    running_scan,
    target_by_name,
)
from scanner.text_safety import markup_text


@app.command()
def scan(
    targets: Annotated[Path, typer.Option("--targets", help="The targets file.")] = Path("targets.toml"),
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Scan only this target (repeatable).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    connect_to: ConnectToOption = None,
    ca_bundle: CaBundleOption = None,
    dns_server: DnsServerOption = None,
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
    from scanner.cli.gate import enforce_gate, prepare_gate

    with errors_to_exit_codes():
        network = network_options(connect_to, ca_bundle, dns_server)
        selected = load_targets(targets).select(target or [])
        engine = open_database(db)
        if resume:
            check_resumable(engine, selected)
        else:
            check_not_running(engine, selected)
        gate = prepare_gate(engine, fail_on or [], baseline, selected)
        outcomes = run_scans(selected, engine, network, resume=resume, quiet=quiet or json_output)
        finish(outcomes, quiet=quiet, json_output=json_output)
        if gate:
            enforce_gate(engine, outcomes, gate, baseline, quiet=quiet)
        exit_if_incomplete(outcomes)


def check_resumable(engine, selected: list[TargetConfig]) -> None:
    """``--resume`` with nothing to resume is bad input, not a reason to start afresh."""
    with session(engine) as db:
        nothing = [target.name for target in selected if resumable_scan_of(db, target.name) is None]
    if nothing:
        names = ", ".join(repr(name) for name in nothing)
        raise Exit(2, f"--resume: there is no unfinished scan of {names}; scan without --resume")


def check_not_running(engine, selected: list[TargetConfig]) -> None:
    """One scan per target at a time: refuse before anything is written (the store refuses again,
    atomically, when the scan is created)."""
    with session(engine) as db:
        for target in selected:
            row = target_by_name(db, target.name)
            running = running_scan(db, row) if row is not None else None
            if running is not None:
                raise Exit(2, being_scanned(target.name, running))


def run_scans(selected: list[TargetConfig], engine, network: NetworkSettings, *, resume: bool, quiet: bool):
    from scanner.cli.progress import live_progress
    from scanner.run.scan import scan_target

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
    from scanner.cli.progress import summary_table

    if json_output:
        document = [outcome.__dict__ for outcome in outcomes]
        if report is not None:
            document = {"scans": document, "report": str(report)}
        print_json(document)
    elif not quiet:
        console.print(summary_table(outcomes))
    warn_incomplete(outcomes)
    if any(outcome.status == ScanStatus.FAILED for outcome in outcomes):
        raise typer.Exit(1)


def warn_incomplete(outcomes) -> None:
    """One warning line per scan a limit stopped early, on stderr (also with --quiet and --json)."""
    for outcome in outcomes:
        if outcome.status == ScanStatus.INCOMPLETE:
            console.print(
                f"[yellow]govscan: warning:[/yellow] scan {outcome.scan_id} of {markup_text(outcome.target)} "
                f"is incomplete: stopped by {markup_text(outcome.stopped_by or '')} with "
                f"{outcome.summary.get('not_visited', 0)} URL(s) not visited; findings on pages and hosts "
                "it did not reach are 'not re-checked', never fixed",
                highlight=False,
            )


def exit_if_incomplete(outcomes) -> None:
    """Exit 5 when a scan stopped early: after a failed scan (1) and the gate (4), which take precedence."""
    if any(outcome.status == ScanStatus.INCOMPLETE for outcome in outcomes):
        raise typer.Exit(INCOMPLETE_EXIT_CODE)


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
        output_folder(out)
        engine = open_database(db)
        with serving_demo() as server:
            network = NetworkSettings.build(server.connect_to(), server.ca_bundle)
            outcomes = run_scans([demo_target()], engine, network, resume=False, quiet=quiet or json_output)
        path = write_report(engine, outcomes[0].scan_id, out, "de")
        finish(outcomes, quiet=quiet, json_output=json_output, report=path)
        if not json_output:
            typer.echo(str(path))
        exit_if_incomplete(outcomes)
