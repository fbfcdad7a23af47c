"""The deployment gate: ``--fail-on`` rules checked before a scan and judged after it (exit 4)."""

from __future__ import annotations

import typer

from reports.gate import GATE_EXIT_CODE, GateRule, GateVerdict, judge, parse_rules
from reports.history import scan_history
from scanner.cli.app import (
    Exit,
    console,
)
from scanner.cli.reporting import baseline_option
from scanner.store.db import session
from scanner.store.scans import get_scan, is_complete, scan_status, target_of
from scanner.text_safety import markup_text


def prepare_gate(engine, fail_on: list[str], baseline: int | None, targets: list) -> list[GateRule]:
    """Check the gate's options before anything is scanned (bad input: exit 2, nothing written)."""
    try:
        rules = parse_rules(fail_on)
    except ValueError as error:
        raise Exit(2, str(error)) from None
    if baseline is None:
        return rules
    if not rules:
        raise Exit(2, "--baseline needs --fail-on")
    if len(targets) != 1:
        raise Exit(2, "--baseline needs exactly one --target (a baseline belongs to one target)")
    with session(engine) as db:
        scan = get_scan(db, baseline)
        target = target_of(db, scan)
    if target is None or target.name != targets[0].name:
        raise Exit(2, f"--baseline {baseline}: that scan belongs to another target, not {targets[0].name!r}")
    if not is_complete(scan):
        # An incomplete baseline would make every finding on a page it never reached "new".
        raise Exit(2, f"--baseline {baseline}: that scan did not complete whole ({scan_status(scan).value})")
    return rules


def enforce_gate(engine, outcomes, rules: list[GateRule], baseline: int | None, *, quiet: bool) -> None:
    """Judge every scanned target; exit with GATE_EXIT_CODE if any rule found something."""
    verdicts: list[GateVerdict] = []
    for outcome in outcomes:
        history = scan_history(engine, outcome.scan_id, baseline_option(baseline))
        verdicts += judge(history, rules)
    tripped = [verdict for verdict in verdicts if verdict.tripped]
    if not quiet:
        for verdict in verdicts:
            against = (
                f"scan {verdict.baseline_scan_id}" if verdict.baseline_scan_id else "no baseline: all new"
            )
            console.print(
                f"--fail-on {markup_text(verdict.rule.text)}: {len(verdict.findings)} finding(s) "
                f"in scan {verdict.scan_id} (against {against})",
                highlight=False,
            )
            for item in verdict.findings[:20]:
                finding = item.finding
                console.print(
                    f"  {markup_text(finding.severity)} {markup_text(finding.check_id)} "
                    f"{markup_text(finding.page_url or finding.host or 'site')} {finding.fingerprint}",
                    highlight=False,
                )
    if tripped:
        raise typer.Exit(GATE_EXIT_CODE)
