"""The procrastinate app of govscan: its two tasks, and when a failed job is tried again.

- ``govscan.scan_target`` scans one target. Deferred with a queueing lock per target (one waiting
  job per target) and a lock per resolved server IP (one running scan per server, anywhere).
- ``govscan.enqueue_due`` runs periodically on the workers and defers the targets that are due.

Retries: a scan that failed for a transient reason (``scanner.net.failures.is_transient``) is tried
again after ``retry_wait`` seconds, doubling each time, at most ``retries`` times; a permanent
failure is stored as the scan's status and its job succeeds, so it is never retried. A job
cancelled because its worker shut down goes back to the queue at once, for any worker to resume.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import procrastinate
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision

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


def build_app(conninfo: str) -> procrastinate.App:
    """The app; a worker registers its tasks on it (``scanner.distributed.worker.register_tasks``)."""
    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
