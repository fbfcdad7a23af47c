"""Host-level work beside the browsing: each probe runs once per first-party host and scan.

Every first-party host the browser contacted gets the probes: hosts that served pages, hosts shown
in frames (online forms, where citizens type personal data), hosts that only served assets or
received beacons. They start as soon as a page first contacts the host and never block page
visits. Hosts beyond the target's ``max_probed_hosts`` and probes that cannot finish are stored as
"not tested" with their failure class, never as a pass. Probes of a domain (DNS) run once per
registrable domain of the hosts within the limit, and are stored under the domain's name. The
mail probes also run for the mail domains pages name (``ensure_mail_domain``: ``mailto:`` on
contact and legal pages, and in security.txt ``Contact:``), up to ``MAX_MAIL_DOMAINS`` of them;
such a domain counts as no host.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from scanner.crawl.politeness import HostPoliteness
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import FailureClass, HostProbeResult, PageCapture
from scanner.findings.registry import CheckContext, CheckRegistry
from scanner.findings.runner import run_host_checks
from scanner.mail.scope import security_txt_mail_domains
from scanner.net.client import NetClient
from scanner.net.domains import registrable_domain
from scanner.net.hostnames import host_of
from scanner.probes import HostProbe
from scanner.store.db import session
from scanner.store.evidence_rows import add_findings, add_host_result
from scanner.store.scan_run import hosts_within_limit, probed_hosts

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

MAX_PROBES_AT_ONCE = 4
MAX_MAIL_DOMAINS = 10  # mail domains named by pages beyond the hosts' own domains


def contacted_hosts(capture: PageCapture, first_party: FirstPartySet) -> list[str]:
    """The first-party hosts a page contacted, first contact first: the page, its frames, its requests."""
    urls = [capture.final_url or capture.url, *capture.frames, *(request.url for request in capture.requests)]
    hosts = (host_of(url) for url in urls if url.startswith(("http://", "https://")))
    return [host for host in dict.fromkeys(hosts) if host and first_party.contains_host(host)]


def domain_of(host: str) -> str | None:
    """The registrable domain a DNS probe asks about; None for an address or a single label."""
    domain = registrable_domain(host)
    if "." not in domain or domain.replace(".", "").isdigit() or ":" in domain:
        return None
    return domain


class HostProbeRunner:
    def __init__(
        self,
        engine: Engine,
        scan_id: int,
        probes: list[HostProbe],
        client: NetClient,
        context: CheckContext,
        registry: CheckRegistry,
        politeness: HostPoliteness,
        max_hosts: int,
        on_findings: Callable[[int], None] = lambda count: None,
    ) -> None:
        self.engine = engine
        self.scan_id = scan_id
        self.probes = probes
        self.client = client
        self.context = context
        self.registry = registry
        self.politeness = politeness  # shared with the page visits: one place limits each server
        self.max_hosts = max_hosts
        self.on_findings = on_findings
        self._limit = asyncio.Semaphore(MAX_PROBES_AT_ONCE)
        self._tasks: dict[tuple[str, int, str], asyncio.Task] = {}
        self._mail_domains: set[str] = set()
        with session(engine) as db:  # a resumed scan does not probe a host twice
            self._done = probed_hosts(db, scan_id)
            self._hosts = hosts_within_limit(db, scan_id)  # the hosts that count towards max_hosts
        # A domain probed only by the DNS probes is no host of its own: it does not count either.
        per_domain = {probe.name for probe in probes if probe.per_domain}
        by_host_probes = {host for host, _, name in self._done if name not in per_domain}
        self._hosts -= {host for host, _, name in self._done if name in per_domain} - by_host_probes

    def ensure(self, host: str) -> None:
        """Start every probe for ``host`` that has not run in this scan yet (within the host limit)."""
        if host not in self._hosts and len(self._hosts) >= self.max_hosts:
            self._refuse(host)
            return
        self._hosts.add(host)
        for probe in self.probes:
            subject = domain_of(host) if probe.per_domain else host
            if subject is None:
                continue
            key = (subject, probe.port, probe.name)
            if key not in self._done and key not in self._tasks:
                self._tasks[key] = asyncio.create_task(self._run(probe, subject))

    def ensure_mail_domain(self, domain: str) -> None:
        """Start the mail probes for a domain a page names (its hosts' domains get them anyway)."""
        waiting = [
            probe
            for probe in self.probes
            if probe.mail_domain
            and (domain, probe.port, probe.name) not in self._done
            and (domain, probe.port, probe.name) not in self._tasks
        ]
        if not waiting or len(self._mail_domains) >= MAX_MAIL_DOMAINS:
            return  # probed already (a domain of the hosts, or named twice), or the limit is reached
        self._mail_domains.add(domain)
        for probe in waiting:
            self._tasks[(domain, probe.port, probe.name)] = asyncio.create_task(self._run(probe, domain))

    def _refuse(self, host: str) -> None:
        """A host beyond the limit: recorded as not tested, once per probe."""
        detail = f"more first-party hosts than max_probed_hosts = {self.max_hosts}"
        for probe in self.probes:
            if not probe.per_domain and (host, probe.port, probe.name) not in self._done:
                self._store(
                    HostProbeResult(host, probe.port, probe.name, False, {}, FailureClass.HOST_LIMIT, detail)
                )

    async def finish(self, timeout: float) -> None:
        """Wait for running probes; those still running after ``timeout`` are stored as not tested."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.1)
        # A finished probe may start others (a security.txt naming a mail domain): wait for those too.
        while pending := [task for task in self._tasks.values() if not task.done()]:
            _, still_running = await asyncio.wait(pending, timeout=max(deadline - loop.time(), 0.1))
            if still_running and loop.time() >= deadline:
                for task in still_running:
                    task.cancel()
                await asyncio.gather(*still_running, return_exceptions=True)
        for (host, port, name), task in list(self._tasks.items()):
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
        # A domain's probes ask the DNS servers, not the host: no connection of its budget is held.
        budget = (
            contextlib.nullcontext()
            if probe.per_domain
            else self.politeness.probe_connections(host, probe.connections)
        )
        async with budget, self._limit:
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
        for domain in security_txt_mail_domains(result):  # security.txt Contact: mailto: addresses
            self.ensure_mail_domain(domain)
