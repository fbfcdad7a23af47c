"""Host-level work beside the browsing: each probe runs once per first-party host and scan.

Probes start as soon as the crawler first visits a host and never block page visits. A probe that
cannot finish is stored as "not tested" with its failure class, never as a pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from scanner.evidence import FailureClass, HostProbeResult
from scanner.findings.registry import CheckContext, CheckRegistry
from scanner.findings.runner import run_host_checks
from scanner.net.client import NetClient
from scanner.probes import HostProbe
from scanner.store.db import session
from scanner.store.evidence_rows import add_findings, add_host_result
from scanner.store.scan_run import probed_hosts

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

MAX_PROBES_AT_ONCE = 4
MAX_CONNECTIONS_PER_SERVER = 2  # probes of one host share this; German federal servers refuse more


class ConnectionBudget:
    """At most ``size`` probe connections to one server at a time; a probe takes what it declares."""

    def __init__(self, size: int) -> None:
        self.size = self.free = size
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def take(self, connections: int) -> AsyncIterator[None]:
        wanted = min(max(connections, 1), self.size)
        async with self._changed:
            await self._changed.wait_for(lambda: self.free >= wanted)
            self.free -= wanted
        try:
            yield
        finally:
            async with self._changed:
                self.free += wanted
                self._changed.notify_all()


class HostProbeRunner:
    def __init__(
        self,
        engine: Engine,
        scan_id: int,
        probes: list[HostProbe],
        client: NetClient,
        context: CheckContext,
        registry: CheckRegistry,
        on_findings: Callable[[int], None] = lambda count: None,
    ) -> None:
        self.engine = engine
        self.scan_id = scan_id
        self.probes = probes
        self.client = client
        self.context = context
        self.registry = registry
        self.on_findings = on_findings
        self._limit = asyncio.Semaphore(MAX_PROBES_AT_ONCE)
        self._budgets: dict[str, ConnectionBudget] = defaultdict(
            lambda: ConnectionBudget(MAX_CONNECTIONS_PER_SERVER)
        )
        self._tasks: dict[tuple[str, int, str], asyncio.Task] = {}
        with session(engine) as db:  # a resumed scan does not probe a host twice
            self._done = probed_hosts(db, scan_id)

    def ensure(self, host: str) -> None:
        """Start every probe for ``host`` that has not run in this scan yet."""
        for probe in self.probes:
            key = (host, probe.port, probe.name)
            if key not in self._done and key not in self._tasks:
                self._tasks[key] = asyncio.create_task(self._run(probe, host))

    async def finish(self, timeout: float) -> None:
        """Wait for running probes; those still running after ``timeout`` are stored as not tested."""
        pending = [task for task in self._tasks.values() if not task.done()]
        if pending:
            _, still_running = await asyncio.wait(pending, timeout=max(timeout, 0.1))
            for task in still_running:
                task.cancel()
            await asyncio.gather(*still_running, return_exceptions=True)
        for (host, port, name), task in self._tasks.items():
            if task.cancelled():
                self._store(
                    HostProbeResult(
                        host,
                        port,
                        name,
                        False,
                        {},
                        FailureClass.TIMEOUT,
                        "the scan's time budget ended before the probe finished",
                    )
                )

    async def _run(self, probe: HostProbe, host: str) -> None:
        async with self._budgets[host].take(probe.connections), self._limit:
            try:
                result = await probe.run(host, probe.port, self.client)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a probe bug must not end the scan
                log.exception("probe %s crashed on %s", probe.name, host)
                result = HostProbeResult(
                    host,
                    probe.port,
                    probe.name,
                    False,
                    {},
                    FailureClass.NETWORK_ERROR,
                    f"probe error: {type(error).__name__}: {error}",
                )
        self._store(result)

    def _store(self, result: HostProbeResult) -> None:
        outcome = run_host_checks(result, self.context, self.registry)
        with session(self.engine) as db:
            add_host_result(db, self.scan_id, result)
            add_findings(db, self.scan_id, None, outcome)
            db.commit()
        self._done.add((result.host, result.port, result.probe))
        self.on_findings(len(outcome.findings))
