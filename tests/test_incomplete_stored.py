"""Incomplete scans in a stored database: scans saved as "completed" by earlier versions although a
limit stopped them early are shown as incomplete without a migration, and a host beyond
``max_probed_hosts`` (stored as ``host_limit``) is never a fix."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from sqlmodel import select
from typer.testing import CliRunner

from reports.history import PREVIOUS, Change, scan_history
from reports.html import render_scan_report
from scanner.cli import app
from scanner.store.db import open_database, session
from scanner.store.models import Finding, HostResult, Scan
from scanner.store.scans import ScanStatus, scan_status

from populate import HOST, populate_scan

runner = CliRunner()


def stored_as(engine, scan_id: int, stopped_by: str, *, not_visited: int | None = None) -> None:
    """Rewrite how the stored scan ended, as an earlier govscan would have stored it."""
    with session(engine) as db:
        scan = db.get(Scan, scan_id)
        scan.status, scan.stopped_by = "completed", stopped_by
        if not_visited is not None:
            scan.summary = {**scan.summary, "not_visited": not_visited}
        db.add(scan)
        db.commit()


def status_of(engine, scan_id: int) -> ScanStatus:
    with session(engine) as db:
        return scan_status(db.get(Scan, scan_id))


def test_a_scan_stored_as_completed_that_a_limit_stopped_with_urls_left_is_shown_as_incomplete(
    engine, tmp_path
):
    scan_id = populate_scan(engine).scan_id  # stored: completed, max_pages, 4 URLs left

    assert status_of(engine, scan_id) is ScanStatus.INCOMPLETE
    stored_as(engine, scan_id, "time_budget")
    assert status_of(engine, scan_id) is ScanStatus.INCOMPLETE
    stored_as(engine, scan_id, "time_budget", not_visited=0)  # the budget ran out on the last page
    assert status_of(engine, scan_id) is ScanStatus.COMPLETED
    stored_as(engine, scan_id, "time_budget", not_visited=4)

    html = render_scan_report(engine, scan_id, tmp_path, "en").read_text(encoding="utf-8")
    notice = BeautifulSoup(html, "html.parser").select_one(".notice")
    assert notice is not None and "Incomplete scan" in notice.get_text()
    assert "time budget used up (time_budget)" in notice.get_text() and "4 addresses" in notice.get_text()


def test_a_stored_incomplete_scan_is_never_the_default_baseline(engine):
    first, short, again = (populate_scan(engine).scan_id for _ in range(3))
    stored_as(engine, first, "frontier_exhausted", not_visited=0)
    stored_as(engine, short, "time_budget", not_visited=4)
    stored_as(engine, again, "frontier_exhausted", not_visited=0)

    history = scan_history(engine, again, PREVIOUS)

    assert history.baseline is not None and history.baseline.id == first
    assert scan_history(engine, short, PREVIOUS).baseline.id == first


def test_findings_of_a_host_beyond_max_probed_hosts_are_not_rechecked(engine):
    before, after = (populate_scan(engine).scan_id for _ in range(2))
    for scan_id in (before, after):
        stored_as(
            engine, scan_id, "frontier_exhausted", not_visited=0
        )  # complete scans: only the host differs
    with session(engine) as db:
        for host in db.exec(select(HostResult).where(HostResult.scan_id == after, HostResult.host == HOST)):
            host.ok, host.failure_class, host.data = False, "host_limit", {}
            db.add(host)
        for finding in db.exec(select(Finding).where(Finding.scan_id == after, Finding.host == HOST)):
            db.delete(finding)
        db.commit()

    history = scan_history(engine, after, before)

    gone = {item.finding.check_id: item.change for item in history.gone}
    assert gone == {"security.https-redirect": Change.NOT_RECHECKED}


def test_govscan_diff_warns_when_a_compared_scan_is_incomplete(tmp_path):
    database = tmp_path / "diff.db"
    engine = open_database(f"sqlite:///{database}")
    full, short = (populate_scan(engine).scan_id for _ in range(2))
    stored_as(engine, full, "frontier_exhausted", not_visited=0)
    engine.dispose()  # the short one stays as populated: max_pages with 4 URLs left
    arguments = ["diff", str(full), str(short), "--db", f"sqlite:///{database}", "--out", str(tmp_path)]

    shown = runner.invoke(app, [*arguments, "--lang", "en"])
    as_json = runner.invoke(app, [*arguments, "--json"])

    assert shown.exit_code == 0, shown.output
    assert f"warning: Scan {short} is incomplete (page limit reached (max_pages); 4 addresses" in shown.stderr
    assert json.loads(as_json.stdout)["incomplete_scans"] == [short]
