"""Distributed mode: `govscan worker` processes on PostgreSQL, fed by the enqueuer.

Two workers scan 20 local targets on two "server IPs" (127.0.0.1 and 127.0.0.2, reached through
--connect-to). One worker is killed (SIGKILL) in the middle of a scan; a permanently failing and
a transiently failing target show the retry rule.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import pytest_asyncio
from sqlmodel import select

from scanner.cli.status import collect_status
from scanner.demo.server import VirtualHostServer
from scanner.distributed.enqueue import enqueue_targets
from scanner.net.network import NetworkSettings
from scanner.store.db import open_database, session
from scanner.store.models import Finding, Page, Scan, Target

from conftest import make_target
from localweb import LocalWeb, page

GOVSCAN = str(Path(sys.executable).with_name("govscan"))
BERLIN = ZoneInfo("Europe/Berlin")
DAILY = "0 3 * * *"
# Due times far from the real clock, so the workers' own periodic task (real time) never finds
# these targets due: only the enqueues of this test defer them.
FIRST_DUE = datetime(2030, 1, 7, 10, 0, tzinfo=BERLIN)
SLOW_PAGES = 8
WORKER_OPTIONS = [
    "--concurrency=1",
    "--poll-interval=0.2",
    "--stalled-after=10",
    "--retries=2",
    "--retry-wait=1",
    "--browser-pages=10",
    "--shutdown-timeout=5",
]


@pytest_asyncio.fixture(scope="module")
async def second_server(local_web: LocalWeb) -> AsyncIterator[VirtualHostServer]:
    """The same sites, served from another address: another server IP for the per-IP lock."""
    async with VirtualHostServer(local_web.root, ca=local_web.server.ca, address="127.0.0.2") as server:
        yield server


class Fleet:
    """Worker processes of one test, with their logs."""

    def __init__(self, db_url: str, network_arguments: list[str], logs: Path) -> None:
        self.command = [GOVSCAN, "worker", "--db", db_url, *WORKER_OPTIONS, *network_arguments]
        self.logs = logs
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self) -> asyncio.subprocess.Process:
        log = (self.logs / f"worker-{len(self.processes)}.log").open("wb")
        process = await asyncio.create_subprocess_exec(
            *self.command, stdout=log, stderr=log, env={**os.environ, "NO_COLOR": "1"}
        )
        self.processes.append(process)
        return process

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.logs.glob("worker-*.log")))


def job_counts(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            "SELECT status::text, count(*) FROM procrastinate_jobs "
            "WHERE task_name = 'govscan.scan_target' GROUP BY 1"
        ).fetchall()
    return dict(rows)


def scan_jobs_of(conninfo: str, target_id: int) -> list[tuple[str, int]]:
    """(status, attempts) of the target's scan jobs, oldest first."""
    with psycopg.connect(conninfo) as connection:
        return connection.execute(
            "SELECT status::text, attempts FROM procrastinate_jobs "
            "WHERE task_name = 'govscan.scan_target' AND (args->>'target_id')::int = %s ORDER BY id",
            (target_id,),
        ).fetchall()


async def wait_until_idle(conninfo: str, fleet: Fleet, timeout: float = 120.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        counts = job_counts(conninfo)
        if counts.get("todo", 0) == 0 and counts.get("doing", 0) == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"jobs still open after {timeout} s: {job_counts(conninfo)}\n{fleet.log_text()}")


async def test_workers_scan_every_due_target_once_one_scan_per_server_ip_at_a_time(
    local_web: LocalWeb, second_server: VirtualHostServer, postgres_url: str, tmp_path: Path
) -> None:
    targets, address_of = [], {}
    for number in range(20):
        host = f"www.verteilt-{number:02d}.de"
        origin = local_web.site(host, {"/": page(f"Amt {number}")})
        targets.append(make_target(f"Verteilt {number:02d}", [origin + "/"], schedule=DAILY))
        address_of[targets[-1].name] = "127.0.0.2" if number % 2 else "127.0.0.1"
    slow_files = {"/": page("".join(f'<a href="/s{index}.html">{index}</a>' for index in range(SLOW_PAGES)))}
    slow_files |= {f"/s{index}.html": page(f"Seite {index}", lang=None) for index in range(SLOW_PAGES)}
    slow = local_web.site("www.verteilt-langsam.de", slow_files, host_toml="delay_ms = 150\n")
    hanging = local_web.site("www.verteilt-haengt.de", {"/": page("nie")}, host_toml="delay_ms = 4000\n")
    targets += [
        make_target("Langsam", [slow + "/"], schedule=DAILY),
        make_target(  # nothing listens there: refused, a permanent failure
            "Verweigert",
            ["https://www.verteilt-verweigert.de/"],
            schedule=DAILY,
            crawl={"connect_to": ("www.verteilt-verweigert.de:443:127.0.0.1:1",), "respect_robots": False},
        ),
        make_target(  # answers too late: a timeout, a transient failure
            "Haengt",
            [hanging + "/"],
            schedule=DAILY,
            crawl={"page_timeout": 1.0, "respect_robots": False, "use_sitemaps": False},
        ),
    ]
    address_of |= {"Langsam": "127.0.0.1", "Verweigert": "127.0.0.1", "Haengt": "127.0.0.2"}
    second_hosts = [
        target.start_urls[0].split("/")[2] for target in targets if address_of[target.name] == "127.0.0.2"
    ]
    rules = second_server.connect_to(second_hosts) + local_web.server.connect_all()
    network = NetworkSettings.build(rules, local_web.server.ca_bundle)
    network_arguments = [f"--connect-to={rule}" for rule in rules] + [
        "--ca-bundle",
        str(local_web.server.ca_bundle),
    ]
    conninfo = postgres_url

    first = await enqueue_targets(postgres_url, targets, [], network, BERLIN, FIRST_DUE)
    again = await enqueue_targets(postgres_url, targets, [], network, BERLIN, FIRST_DUE + timedelta(hours=1))
    assert len(first.deferred) == len(targets) and again.deferred == {}  # one job per due time
    assert {lock for name, lock in first.deferred.items()} == {"ip:127.0.0.1", "ip:127.0.0.2"}
    assert all(first.deferred[name] == f"ip:{address}" for name, address in address_of.items())

    engine = open_database(postgres_url)
    ids = {name: target_id for target_id, name in _target_ids(engine)}
    fleet = Fleet(postgres_url, network_arguments, tmp_path)
    try:
        await fleet.start()
        await fleet.start()
        victim_pid = await _pid_scanning(engine, ids["Langsam"], fleet, pages=3)
        victim = next(process for process in fleet.processes if process.pid == victim_pid)
        victim.kill()  # SIGKILL: no clean-up code runs, the job stays "doing"
        await victim.wait()
        await fleet.start()  # as systemd's Restart= would
        await wait_until_idle(conninfo, fleet)
    finally:
        await fleet.stop()

    with session(engine) as db:
        scans = db.exec(select(Scan).order_by(Scan.id)).all()
    scans_of = {
        name: [scan for scan in scans if scan.target_id == target_id] for name, target_id in ids.items()
    }
    for number in range(20):
        assert [scan.status for scan in scans_of[f"Verteilt {number:02d}"]] == ["completed"]

    # the killed worker's job was retried and resumed its scan: no page lost, none twice
    killed = scans_of["Langsam"][0]
    assert killed.status == "completed" and killed.resumed_count >= 1
    with session(engine) as db:
        urls = db.exec(select(Page.url).where(Page.scan_id == killed.id)).all()
        fingerprints = db.exec(
            select(Finding.fingerprint).where(
                Finding.scan_id == killed.id, Finding.check_id == "accessibility.document-lang"
            )
        ).all()
    assert sorted(urls) == sorted({slow + "/"} | {f"{slow}/s{index}.html" for index in range(SLOW_PAGES)})
    assert len(fingerprints) == len(set(fingerprints)) == SLOW_PAGES  # one lang finding per sub-page

    # permanent failure: stored with its class, the job succeeded, never retried
    assert [(scan.status, scan.failure_class) for scan in scans_of["Verweigert"]] == [
        ("failed", "connection_refused")
    ]
    assert scan_jobs_of(conninfo, ids["Verweigert"]) == [("succeeded", 1)]  # attempts: runs of the job
    # transient failure: tried 1 + 2 times with backoff, then given up
    assert [(scan.status, scan.failure_class) for scan in scans_of["Haengt"]] == [("failed", "timeout")] * 3
    assert scan_jobs_of(conninfo, ids["Haengt"]) == [("failed", 3)]

    # never two scans of one server IP at once: recorded start and end times prove it
    for address in ("127.0.0.1", "127.0.0.2"):
        intervals = sorted(
            (scan.started_at, scan.finished_at)
            for name, target_scans in scans_of.items()
            if address_of[name] == address
            for scan in target_scans
        )
        for (_, previous_end), (next_start, _) in itertools.pairwise(intervals):
            assert previous_end <= next_start, f"overlapping scans on {address}"

    status = collect_status(engine, datetime.now(UTC))
    assert status.queue == {"todo": 0, "waiting_to_retry": 0, "doing": 0, "failed": 1}
    assert status.failures == {"connection_refused": 1, "timeout": 1}
    assert status.running == []
    assert "browser retired after" in fleet.log_text()  # 10 pages per browser, then a fresh one

    # the next due time: every target once more, exactly once
    second = await enqueue_targets(postgres_url, targets, [], network, BERLIN, FIRST_DUE + timedelta(days=1))
    repeated = await enqueue_targets(
        postgres_url, targets, [], network, BERLIN, FIRST_DUE + timedelta(days=1)
    )
    assert len(second.deferred) == len(targets) and repeated.deferred == {}
    assert job_counts(conninfo)["todo"] == len(targets)
    engine.dispose()


def _target_ids(engine) -> list[tuple[int, str]]:
    with session(engine) as db:
        return list(db.exec(select(Target.id, Target.name)).all())


async def _pid_scanning(engine, target_id: int, fleet: Fleet, *, pages: int) -> int:
    """The worker process scanning the target, once the scan has stored ``pages`` pages."""
    for _ in range(600):
        with session(engine) as db:
            scan = db.exec(select(Scan).where(Scan.target_id == target_id)).first()
            stored = db.exec(select(Page.id).where(Page.scan_id == scan.id)).all() if scan else []
        if scan is not None and len(stored) >= pages:
            return scan.runner_pid
        await asyncio.sleep(0.1)
    pytest.fail(f"the slow target's scan never got under way\n{fleet.log_text()}")
