"""One job: scan one target with ``scanner.run.scan.scan_target``, the coroutine the local runner uses.

The job carries ids only; the target is read from the database as ``govscan enqueue`` stored
it. A retried job (its worker died, or it was cancelled at shutdown) resumes the target's
unfinished scan, so no page is visited or stored twice. Each job has a wall-clock budget: the
crawl stops early enough to leave the pages in flight, the host probes and the site checks their
time (``reserve``), and a job still running at the end of its budget is cancelled and not retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from scanner.config.targets import TargetConfig
from scanner.distributed.browsers import BrowserLease, RecyclingBrowser
from scanner.distributed.tasks import TransientScanFailure
from scanner.net.network import NetworkSettings
from scanner.run.scan import ScanOutcome, scan_target
from scanner.store.db import session
from scanner.store.scans import (
    FINISHED,
    ScanLookupError,
    ScanStatus,
    newest_scan_of_target,
    set_stopped_by,
    target_by_id,
)
from scanner.store.schedule import ScheduleState, mark_running, release_runner, schedule_state, utc

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

PROBES_AND_SITE_CHECKS = 60.0  # seconds kept after the crawl for host probes and site checks


class JobBudgetExceeded(Exception):
    """The job ran out of its wall-clock budget; its scan is left interrupted, not retried."""


@dataclass(frozen=True)
class WorkerSettings:
    concurrency: int = 2  # scans at once in one worker process (one browser)
    job_budget: float = 3600.0  # wall-clock seconds per job
    browser_pages: int = 500  # relaunch Chromium after this many pages
    retries: int = 2  # further attempts after a transient failure
    retry_wait: int = 30  # seconds before the first retry, doubled for each further one
    poll_interval: float = 5.0  # seconds between looks at the queue (new jobs also notify)
    stalled_after: float = 60.0  # a worker silent this long is dead; its jobs are retried
    shutdown_timeout: float = 60.0  # on SIGTERM, wait this long for running scans, then requeue them
    enqueue_cron: str = "* * * * *"  # how often the periodic task looks for due targets


@dataclass
class WorkerRuntime:
    """What every job of one worker process shares."""

    engine: Engine
    network: NetworkSettings
    zone: ZoneInfo
    settings: WorkerSettings
    browsers: RecyclingBrowser


async def run_scan_job(
    runtime: WorkerRuntime, target_id: int, slot: str | None, *, attempt: int
) -> ScanOutcome | None:
    """Scan the target; raise ``TransientScanFailure`` when it failed for a reason worth a retry.

    Returns None when there was nothing to do: a retried job whose slot an earlier attempt has
    completed, or whose scan a live process on this machine still runs (its worker only looked
    stalled); either way a second scan would duplicate the first.
    """
    with session(runtime.engine) as db:
        row = target_by_id(db, target_id)
        if row is None:
            raise LookupError(f"target {target_id} is not in the database (deleted since it was queued?)")
        target = TargetConfig.from_json_dict(row.config_json)
        if attempt > 0 and _slot_completed(schedule_state(db, target_id), slot):
            log.info("%s: slot %s was completed by an earlier attempt", target.name, slot)
            return None
        mark_running(db, target_id, _now())
    try:
        outcome = await _scan(runtime, target, resume=attempt > 0)
    except ScanLookupError as error:
        log.warning("%s", error)
        return None
    except JobBudgetExceeded:
        _finish_run(runtime.engine, target_id, None)
        raise
    _finish_run(runtime.engine, target_id, outcome)
    log.info("%s: scan %s %s %s", target.name, outcome.scan_id, outcome.status, outcome.failure_class or "")
    if outcome.status == ScanStatus.FAILED and outcome.transient:
        raise TransientScanFailure(
            f"{target.name}: scan {outcome.scan_id} failed with {outcome.failure_class}"
        )
    return outcome


async def _scan(runtime: WorkerRuntime, target: TargetConfig, *, resume: bool) -> ScanOutcome:
    """``scan_target`` within the job's wall-clock budget."""
    budget = runtime.settings.job_budget
    crawl_until = time.monotonic() + budget - reserve(budget, target)
    budget_scope = asyncio.timeout(budget)
    try:
        async with budget_scope, _browser_for(runtime, target) as lease:
            return await scan_target(
                target,
                engine=runtime.engine,
                network=runtime.network,
                browser=lease.browser if lease else None,
                resume=resume,
                on_progress=lease.on_progress if lease else None,
                deadline=crawl_until,
            )
    except TimeoutError:
        if not budget_scope.expired():
            raise
        raise JobBudgetExceeded(
            f"{target.name}: still running after the job budget of {budget:.0f} s"
        ) from None


def reserve(budget: float, target: TargetConfig) -> float:
    """What the job keeps after its crawl: a page in flight, then probes and site checks."""
    return min(budget / 2, target.crawl.page_timeout + target.crawl.settle_cap + PROBES_AND_SITE_CHECKS)


@contextlib.asynccontextmanager
async def _browser_for(runtime: WorkerRuntime, target: TargetConfig) -> AsyncIterator[BrowserLease | None]:
    """The worker's shared browser, unless the target brings a network of its own (then None:
    ``scan_target`` launches a browser with the merged network for this scan)."""
    if target.crawl.connect_to or target.crawl.ca_bundle:
        yield None
        return
    async with runtime.browsers.lease() as lease:
        yield lease


def _slot_completed(state: ScheduleState | None, slot: str | None) -> bool:
    return (
        state is not None
        and slot is not None
        and state.slot_finished
        and state.last_status in FINISHED
        and utc(state.last_slot) == datetime.fromisoformat(slot)
    )


def _finish_run(engine: Engine, target_id: int, outcome: ScanOutcome | None) -> None:
    """Record how the run ended; a run cut off by the job budget leaves its scan interrupted."""
    with session(engine) as db:
        scan = newest_scan_of_target(db, target_id)
        if outcome is None and scan is not None and scan.status == ScanStatus.INTERRUPTED:
            set_stopped_by(db, scan, "job_budget")
        status = outcome.status if outcome else ScanStatus.INTERRUPTED.value
        release_runner(
            db, target_id, finished=True, scan_id=scan.id if scan else None, status=status, now=_now()
        )


def _now() -> datetime:
    return datetime.now(UTC)
