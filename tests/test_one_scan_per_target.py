"""One scan per target at a time: a second ``govscan scan`` of a target being scanned says so,
names the process, exits 2 and writes nothing; once that process is gone, ``--resume`` takes over."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlmodel import select
from typer.testing import CliRunner

from scanner.cli import app
from scanner.store.db import open_database, session
from scanner.store.models import Scan
from scanner.store.scans import resumable_scan_of, running_scan, target_by_name

from populate import fresh_database, populate_scan

ROOT = Path(__file__).resolve().parents[1]
NAME = "Gemeinde Beispielhausen"
TARGETS = f"""
[[target]]
name = "{NAME}"
start_urls = ["https://www.beispielhausen.de/"]
authority_level = "gemeinde"
"""

runner = CliRunner()


def scan_ids(database: Path) -> list[int]:
    engine = open_database(f"sqlite:///{database}")
    with session(engine) as db:
        ids = list(db.exec(select(Scan.id).order_by(Scan.id)).all())
    engine.dispose()
    return ids


def test_a_second_scan_of_a_target_being_scanned_is_refused_naming_the_process(tmp_path: Path) -> None:
    database = tmp_path / "govscan.db"
    engine = fresh_database(database)
    scan_id = populate_scan(engine, status="running").scan_id
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with session(engine) as db:  # the running scan belongs to that live process on this machine
            scan = db.get(Scan, scan_id)
            scan.runner_host, scan.runner_pid = socket.gethostname(), other.pid
            db.add(scan)
            db.commit()
        (tmp_path / "targets.toml").write_text(TARGETS, encoding="utf-8")

        result = runner.invoke(
            app, ["scan", "--targets", str(tmp_path / "targets.toml"), "--db", str(database)]
        )

        assert result.exit_code == 2, result.output
        assert f"is being scanned: scan {scan_id} by process {other.pid} on {socket.gethostname()}" in (
            result.output.replace("\n", "")
        )
        assert scan_ids(database) == [scan_id]  # nothing written
        resumed = runner.invoke(
            app, ["scan", "--targets", str(tmp_path / "targets.toml"), "--db", str(database), "--resume"]
        )
        assert resumed.exit_code == 2 and f"process {other.pid}" in resumed.output  # no take-over while alive
    finally:
        other.kill()
        other.wait()
    with session(engine) as db:  # the process is gone: nothing runs, and --resume would continue it
        target = target_by_name(db, NAME)
        assert running_scan(db, target) is None
        assert resumable_scan_of(db, NAME).id == scan_id
    engine.dispose()


STARTER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from scanner.config.targets import parse_targets
    from scanner.store import scans
    from scanner.store.db import open_database, session

    checked = scans.running_scan

    def slow_check(*args):  # widen the window between the check and the insert
        found = checked(*args)
        time.sleep(1.0)
        return found

    scans.running_scan = slow_check
    target = parse_targets(sys.argv[2], Path("targets.toml")).targets[0]
    engine = open_database(sys.argv[1])
    with session(engine) as db:
        row = scans.upsert_target(db, target)
        try:
            scan = scans.create_scan(db, row, target)
        except scans.ScanLookupError as error:
            print("refused:", error, flush=True)
        else:
            print("started", scan.id, flush=True)
            time.sleep(3)  # stay alive, as a scan does
    """
)


def start_two_at_once(database: str) -> list[str]:
    """Two processes create a scan of the same target at the same moment; what each said."""
    open_database(database).dispose()
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, database, TARGETS],
            cwd=ROOT,  # this checkout's scanner package
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [starter.communicate(timeout=60) for starter in starters]
    said = sorted(out.strip().split(" ", 1)[0] for out, _ in outputs)
    assert said == ["refused:", "started"], outputs
    return said


def count_scans(database: str) -> int:
    engine = open_database(database)
    with session(engine) as db:
        count = len(db.exec(select(Scan)).all())
    engine.dispose()
    return count


def test_two_scans_started_at_the_same_moment_make_one_scan_on_sqlite(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'govscan.db'}"
    start_two_at_once(database)
    assert count_scans(database) == 1


def test_two_scans_started_at_the_same_moment_make_one_scan_on_postgresql(postgres_url: str) -> None:
    start_two_at_once(postgres_url)
    assert count_scans(postgres_url) == 1
