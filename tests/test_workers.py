"""The parts of a worker, in-process: the retry rule, the recycled browser, the job budget, the CLI."""

from __future__ import annotations

import contextlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from procrastinate.jobs import Job
from sqlmodel import select
from typer.testing import CliRunner

from scanner.cli import app
from scanner.distributed.browsers import RecyclingBrowser
from scanner.distributed.jobs import JobBudgetExceeded, WorkerRuntime, WorkerSettings, run_scan_job
from scanner.distributed.tasks import ScanRetry, TransientScanFailure
from scanner.net.failures import is_transient
from scanner.run.scan import ScanProgress
from scanner.store.db import session
from scanner.store.models import Scan
from scanner.store.schedule import ScheduleState, sync_schedules

from conftest import make_target
from localweb import LocalWeb, page

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def worker_runtime(engine, browser, network):
    """A worker's runtime on the test database, its recycled browser being the session's."""

    @contextlib.asynccontextmanager
    async def session_browser(_network):
        yield browser

    @contextlib.asynccontextmanager
    async def build(settings: WorkerSettings):
        async with RecyclingBrowser(network, 100, launch=session_browser) as browsers:
            yield WorkerRuntime(engine, network, BERLIN, settings, browsers)

    return build


def job(attempts: int) -> Job:
    return Job(
        id=1, queue="scans", lock=None, queueing_lock=None, task_name="t", attempts=attempts, task_kwargs={}
    )


def test_only_transient_failures_are_retried_with_doubling_waits() -> None:
    retry = ScanRetry(retries=2, retry_wait=30)
    transient = TransientScanFailure("timeout")

    waits = [retry.get_retry_decision(exception=transient, job=job(attempts)) for attempts in range(3)]

    assert [decision.retry_at for decision in waits[:2]] != [None, None]
    assert [round((decision.retry_at - waits[0].retry_at).total_seconds()) for decision in waits[:2]] == [
        0,
        30,
    ]
    assert waits[2] is None  # given up after two retries
    assert retry.get_retry_decision(exception=ValueError("a bug"), job=job(0)) is None
    assert [is_transient(failure) for failure in ("timeout", "connection_reset", "browser_error")] == [
        True
    ] * 3
    permanent = ("dns_error", "connection_refused", "tls_error", "blocked_by_robots", "too_many_redirects")
    assert [is_transient(failure) for failure in permanent] == [False] * 5
    assert is_transient("http_error", 503) and not is_transient("http_error", 404)
    # what the page itself does is no reason to come back
    assert not is_transient("renderer_crash") and not is_transient("self_navigating")


async def test_the_shared_browser_is_relaunched_after_its_page_budget(network) -> None:
    async with RecyclingBrowser(network, max_pages=2) as browsers:
        async with browsers.lease() as first:
            first.on_progress(ScanProgress("A", 1, pages_done=1, pages_failed=1))
            async with browsers.lease() as second:
                assert second.browser is not first.browser  # the worn one is not handed out again
                assert first.browser.browser.is_connected()  # ... but its job keeps it to the end
            worn = first.browser
        assert not worn.browser.is_connected()  # closed with its last job
        async with browsers.lease() as third:
            assert third.browser is second.browser
        assert browsers.launches == 2


async def test_a_job_ends_its_crawl_within_its_wall_clock_budget(
    local_web: LocalWeb, engine, worker_runtime
) -> None:
    files = {"/": page("".join(f'<a href="/s{index}.html">{index}</a>' for index in range(30)))}
    files |= {f"/s{index}.html": page(f"Seite {index}") for index in range(30)}
    origin = local_web.site("www.budget-amt.de", files, host_toml="delay_ms = 300\n")
    with session(engine) as db:
        target_id = sync_schedules(db, [make_target("Budget", [origin + "/"])])["Budget"]

    # the crawl stops after 5 s: time for the start page even on a loaded machine, not for all 31
    async with worker_runtime(WorkerSettings(job_budget=10.0)) as runtime:
        outcome = await run_scan_job(runtime, target_id, None, attempt=0)

    assert outcome.status == "incomplete" and outcome.stopped_by == "time_budget"  # URLs were left
    assert 1 <= outcome.summary["pages"]["html:ok"] < 31
    assert outcome.summary["not_visited"] > 0


async def test_a_job_still_running_at_the_end_of_its_budget_is_cut_off(
    local_web: LocalWeb, engine, worker_runtime
) -> None:
    origin = local_web.site("www.budget-haengt.de", {"/": page("spät")}, host_toml="delay_ms = 5000\n")
    with session(engine) as db:
        target_id = sync_schedules(db, [make_target("Haengt", [origin + "/"])])["Haengt"]

    async with worker_runtime(WorkerSettings(job_budget=2.0)) as runtime:
        with pytest.raises(JobBudgetExceeded, match="job budget of 2 s"):
            await run_scan_job(runtime, target_id, None, attempt=0)

    with session(engine) as db:
        scan = db.exec(select(Scan)).one()
        state = db.get(ScheduleState, target_id)
    assert (scan.status, scan.stopped_by) == ("interrupted", "job_budget")
    assert state.running_since is None and state.last_status == "interrupted"


def test_worker_and_enqueue_refuse_bad_input_with_exit_code_2(tmp_path: Path, postgres_url: str) -> None:
    runner = CliRunner()
    targets = tmp_path / "targets.toml"
    targets.write_text('[[target]]\nname = "A"\nstart_urls = ["https://a.de/"]\nauthority_level = "kreis"\n')

    sqlite_worker = runner.invoke(app, ["worker", "--db", f"sqlite:///{tmp_path / 'w.db'}"])
    sqlite_enqueue = runner.invoke(app, ["enqueue", "--db", str(tmp_path / "w.db")])
    unknown = runner.invoke(
        app, ["enqueue", "--db", postgres_url, "--targets", str(targets), "--target", "B"]
    )
    not_stored = runner.invoke(app, ["enqueue", "--db", postgres_url, "--target", "A"])
    no_server = runner.invoke(app, ["enqueue", "--db", "postgresql://govscan@127.0.0.1:1/nirgends"])

    assert sqlite_worker.exit_code == 2 and "distributed mode needs PostgreSQL" in sqlite_worker.output
    assert sqlite_enqueue.exit_code == 2 and "distributed mode needs PostgreSQL" in sqlite_enqueue.output
    assert not (tmp_path / "w.db").exists()
    assert unknown.exit_code == 2 and 'unknown target "B"' in unknown.output
    assert not_stored.exit_code == 2 and "unknown target(s) 'A': not in the database" in not_stored.output
    assert no_server.exit_code == 3 and "cannot reach PostgreSQL" in no_server.output
