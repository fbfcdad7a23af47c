"""``govscan worker``: a procrastinate worker process with one shared, recycled browser.

Besides running jobs, every worker looks for stalled jobs: jobs still marked as running whose
worker has sent no heartbeat for ``stalled_after`` seconds (it was killed, or its machine died).
Such a job goes back to the queue ahead of its server's other jobs, and its next attempt resumes
the unfinished scan. A job that stalled more often than it may be retried is marked failed
instead, so a site that kills its worker cannot start a retry storm.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import procrastinate
from procrastinate.exceptions import ConnectorException
from procrastinate.jobs import Status

from scanner.distributed.browsers import RecyclingBrowser
from scanner.distributed.database import prepare_database
from scanner.distributed.enqueue import enqueue_due
from scanner.distributed.jobs import WorkerRuntime, WorkerSettings, run_scan_job
from scanner.distributed.tasks import ENQUEUE_TASK, QUEUE, SCAN_TASK, ScanRetry, build_app
from scanner.net.network import NetworkSettings

log = logging.getLogger(__name__)


async def run_worker(db_url: str, network: NetworkSettings, zone: ZoneInfo, settings: WorkerSettings) -> None:
    engine, conninfo = prepare_database(db_url)
    async with RecyclingBrowser(network, settings.browser_pages) as browsers:
        runtime = WorkerRuntime(engine, network, zone, settings, browsers)
        app = build_app(conninfo)
        register_tasks(app, runtime)
        async with app.open_async():
            recovery = asyncio.create_task(recover_stalled_jobs(app, settings))
            try:
                await app.run_worker_async(
                    queues=[QUEUE],
                    name=f"govscan@{socket.gethostname()}:{os.getpid()}",
                    concurrency=settings.concurrency,
                    fetch_job_polling_interval=settings.poll_interval,
                    update_heartbeat_interval=settings.stalled_after / 4,
                    stalled_worker_timeout=settings.stalled_after,
                    shutdown_graceful_timeout=settings.shutdown_timeout,
                )
            finally:
                recovery.cancel()
    engine.dispose()


async def recover_stalled_jobs(app: procrastinate.App, settings: WorkerSettings) -> None:
    while True:
        await asyncio.sleep(settings.stalled_after / 2)
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                queue=QUEUE, seconds_since_heartbeat=settings.stalled_after
            )
            for job in stalled:
                await _recover(app, job, settings)
        except ConnectorException as error:  # the database is away for a moment: try next round
            log.warning("could not look for stalled jobs: %s", error)


async def _recover(app: procrastinate.App, job, settings: WorkerSettings) -> None:
    try:
        if job.attempts >= settings.retries:  # as ScanRetry counts: 1 + retries runs at most
            log.warning("job %s stalled %d times; marked failed", job.id, job.attempts + 1)
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            return
        log.info("job %s (%s) stalled: its worker is gone; queued again to resume", job.id, job.lock)
        await app.job_manager.retry_job(job, priority=job.priority + 1)
    except ConnectorException:
        pass  # another worker recovered it a moment earlier


def register_tasks(app: procrastinate.App, runtime: WorkerRuntime) -> None:
    """The two tasks, run in this worker with its shared browser and settings."""
    settings = runtime.settings

    @app.task(
        name=SCAN_TASK,
        queue=QUEUE,
        pass_context=True,
        retry=ScanRetry(retries=settings.retries, retry_wait=settings.retry_wait),
    )
    async def scan_target_job(context: procrastinate.JobContext, target_id: int, slot: str | None) -> None:
        await run_scan_job(runtime, target_id, slot, attempt=context.job.attempts)

    @app.periodic(cron=settings.enqueue_cron, periodic_id="due")
    @app.task(name=ENQUEUE_TASK, queue=QUEUE, queueing_lock=ENQUEUE_TASK, lock=ENQUEUE_TASK)
    async def enqueue_due_job(timestamp: int) -> None:
        now = datetime.fromtimestamp(timestamp, UTC)
        await enqueue_due(app, runtime.engine, runtime.network, runtime.zone, now)
