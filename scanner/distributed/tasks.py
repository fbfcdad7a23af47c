"""The procrastinate app of govscan: its two tasks, and when a failed job is tried again.

- ``govscan.scan_target`` scans one target. Deferred with a queueing lock per target (one waiting
  job per target) and a lock per resolved server IP (one running scan per server, anywhere).
- ``govscan.enqueue_due`` runs periodically on the workers and defers the targets that are due.

Retries: a scan that failed for a transient reason (``scanner.failures.is_transient``) is tried
again after ``retry_wait`` seconds, doubling each time, at most ``retries`` times; a permanent
failure is stored as the scan's status and its job succeeds, so it is never retried. A job
cancelled because its worker shut down goes back to the queue at once, for any worker to resume.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import procrastinate
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision

if TYPE_CHECKING:
    from scanner.distributed.jobs import WorkerRuntime

SCAN_TASK = "govscan.scan_target"
ENQUEUE_TASK = "govscan.enqueue_due"
QUEUE = "scans"


class TransientScanFailure(Exception):
    """The scan could not test anything, for a reason that may pass by itself: try again later."""


@dataclass(frozen=True)
class ScanRetry(BaseRetryStrategy):
    retries: int
    retry_wait: int

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, asyncio.CancelledError):
            return RetryDecision(retry_in={"seconds": 0})
        if not isinstance(exception, TransientScanFailure) or job.attempts >= self.retries:
            return None
        return RetryDecision(retry_in={"seconds": self.retry_wait * 2**job.attempts})


def build_app(conninfo: str, runtime: WorkerRuntime | None = None) -> procrastinate.App:
    """The app; with a ``runtime`` (a worker) its tasks are registered to run there."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
    if runtime is not None:
        _register_tasks(app, runtime)
    return app


def _register_tasks(app: procrastinate.App, runtime: WorkerRuntime) -> None:
    from scanner.distributed.enqueue import enqueue_due
    from scanner.distributed.jobs import run_scan_job

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
