"""Scan one target end to end. The same coroutine serves the local runner and distributed workers.

crawl frontier -> capture (one navigation per page) -> page checks -> store, one transaction per
page; host probes run beside the browsing; site checks run when the crawl is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from checks.privacy import attribution
from scanner.capture.browser import ScanBrowser, launch_browser
from scanner.capture.collectors import for_target, load_all_collectors
from scanner.capture.page import CaptureSettings, capture_page
from scanner.config.targets import TargetConfig
from scanner.crawl.frontier import Discovered, Frontier
from scanner.crawl.politeness import HostPoliteness
from scanner.crawl.robots import RobotsCache
from scanner.crawl.scenarios import ScenarioPlan, ScenarioVisit
from scanner.crawl.scope import CrawlScope
from scanner.crawl.sitemaps import discover_sitemap_urls, sitemap_candidates
from scanner.crawl.urls import origin_of, url_key
from scanner.crawl.visit_policy import classify_visit, record_document, robots_refusal
from scanner.evidence import PageCapture, PageKind
from scanner.findings.registry import CheckContext, CheckRegistry, Scope, load_all_checks
from scanner.findings.runner import run_page_checks, run_site_checks
from scanner.mail.scope import mail_domains
from scanner.net.client import NetClient
from scanner.net.hostnames import host_of
from scanner.net.network import NetworkSettings
from scanner.probes import load_all_probes
from scanner.run.engine_versions import scan_engine_versions
from scanner.run.hosts import HostProbeRunner, contacted_hosts
from scanner.run.outcome import ScanOutcome, ScanProgress, end_scan, mark_scan
from scanner.run.quiet import Overlaps, QuietGate
from scanner.store.db import session
from scanner.store.evidence_rows import add_findings, add_page
from scanner.store.frontier import count_items, mark_done
from scanner.store.models import FrontierItem, Scan
from scanner.store.scan_run import (
    attempted_page_count,
    clear_site_results,
    record_engine_versions,
    set_active_seconds,
)
from scanner.store.scans import (
    ScanStatus,
    claim_for_resume,
    create_scan,
    find_resumable,
    upsert_target,
)
from scanner.store.site_evidence import StoredSiteEvidence

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

IDLE_POLL = 0.1  # seconds a worker waits when every queued host is busy
log = logging.getLogger(__name__)


ProgressCallback = Callable[[ScanProgress], None]


async def scan_target(
    target: TargetConfig,
    *,
    engine: Engine,
    network: NetworkSettings | None = None,
    browser: ScanBrowser | None = None,
    resume: bool = False,
    on_progress: ProgressCallback | None = None,
    registry: CheckRegistry | None = None,
    deadline: float | None = None,
) -> ScanOutcome:
    """Scan ``target`` (or resume its unfinished scan) and return how it ended.

    ``network`` holds command-line --connect-to/--ca-bundle, merged before the target's own.
    A ``browser`` may be shared across scans if it was launched with the same network.
    ``deadline`` (a ``time.monotonic()`` value) ends the crawl earlier than the target's time
    budget, as a worker's wall-clock budget per job does; the scan then stops as by its budget.
    """
    registry = registry or load_all_checks()
    with session(engine) as db:
        target_row = upsert_target(db, target)
        scan = find_resumable(db, target_row) if resume else None
        if scan is not None:
            scan = claim_for_resume(db, scan)
            target = TargetConfig.from_json_dict(scan.config_json)  # resume exactly what was started
        else:
            scan = create_scan(db, target_row, target)
    crawl = target.crawl
    own_network = NetworkSettings.build(
        crawl.connect_to, crawl.ca_bundle, crawl.dns_servers, crawl.dns_trust_anchor
    )
    network = (network or NetworkSettings()).merged(own_network)
    run = ScanRun(engine, scan, target, registry, on_progress, resumed=scan.resumed_count > 0)
    if deadline is not None:
        run.deadline = min(run.deadline, deadline)
    async with _browser(browser, network) as scan_browser:
        user_agent = scan_browser.user_agent
        async with NetClient(network, user_agent=user_agent) as client:
            return await run.execute(scan_browser, client)


@contextlib.asynccontextmanager
async def _browser(shared: ScanBrowser | None, network: NetworkSettings) -> AsyncIterator[ScanBrowser]:
    if shared is not None:
        yield shared
        return
    async with launch_browser(network) as launched:
        yield launched


class ScanRun:
    """The state of one running scan; ``execute`` drives it."""

    def __init__(
        self,
        engine: Engine,
        scan: Scan,
        target: TargetConfig,
        registry: CheckRegistry,
        on_progress: ProgressCallback | None,
        *,
        resumed: bool,
    ) -> None:
        self.engine = engine
        self.scan_id: int = scan.id
        self.target = target
        self.registry = registry
        self.on_progress = on_progress or (lambda progress: None)
        self.first_party = target.first_party
        self.context = CheckContext(
            target.name,
            self.first_party,
            target.authority_level,
            target.tags,
            target.crawl.tls_profile,
            start_urls=target.start_urls,
            accessibility=target.accessibility,
        )
        self.scope = CrawlScope(self.first_party, target.include, target.exclude)
        self.frontier = Frontier(
            scan.id, self.scope, max_depth=target.max_depth, drop_params=target.crawl.drop_query_params
        )
        self.politeness = HostPoliteness(target.crawl.per_host_concurrency, target.crawl.request_delay)
        self.capture_settings = CaptureSettings(
            target.crawl.page_timeout, target.crawl.settle_quiet, target.crawl.settle_cap
        )
        self.progress = ScanProgress(target.name, scan.id, resumed=resumed)
        self.collectors = for_target(load_all_collectors(), target)
        self.active_before = scan.active_seconds
        self.started = time.monotonic()
        self.deadline = self.started + max(target.time_budget - scan.active_seconds, 0.0)
        self.in_flight = 0
        self.pages_attempted = 0
        self.scenario_plan = ScenarioPlan(engine, scan.id, target.start_urls, target.consent.sample_pages)
        self.revisits: list[asyncio.Future[None]] = []
        self.revisiting = 0  # consent-scenario visits in flight
        self.revisits_waiting: defaultdict[str, int] = defaultdict(int)  # by host
        self.quiet = QuietGate(lambda: self.in_flight + self.revisiting)
        self.overlaps = Overlaps()  # first visits and revisits: which shared the browser
        self.stopped_by: str | None = None

    # --- the whole scan ------------------------------------------------------------------

    async def execute(self, browser: ScanBrowser, client: NetClient) -> ScanOutcome:
        self.browser, self.client = browser, client
        self.robots = RobotsCache(client)
        self.probes = HostProbeRunner(
            self.engine,
            self.scan_id,
            self._probes_needed(),
            client,
            self.context,
            self.registry,
            self.politeness,
            self.target.crawl.max_probed_hosts,
            on_findings=self._count_findings,
        )
        versions = await scan_engine_versions(browser, self.target, (check.id for check in self.registry))
        with session(self.engine) as db:
            record_engine_versions(db, self.scan_id, browser.version, versions)
        try:
            await self._prepare_frontier()
            try:
                self._plan_revisits(crawl_over=False)  # a resumed scan may have chosen pages already
                await asyncio.gather(*(self._worker() for _ in range(self.target.crawl.concurrency)))
                self._requeue_cut_visits()
                await self._visit_consent_scenarios()
            finally:
                for revisit in self.revisits:
                    revisit.cancel()  # only those still running: after an error or an interruption
            await self.probes.finish(timeout=max(self.deadline - time.monotonic(), 30.0))
            self._run_site_checks()
            return self._finish()
        except (asyncio.CancelledError, KeyboardInterrupt):
            self._mark(ScanStatus.INTERRUPTED, stopped_by="interrupted")
            raise
        except Exception as error:
            self._mark(
                ScanStatus.FAILED, failure_class="scan_error", detail=f"{type(error).__name__}: {error}"
            )
            raise

    def _probes_needed(self):
        probes = load_all_probes()
        return [probes[name] for name in sorted(self.registry.probes_needed())]

    async def _prepare_frontier(self) -> None:
        with session(self.engine) as db:
            if self.progress.resumed:
                self.frontier.requeue_unfinished(db)
                self.pages_attempted = attempted_page_count(db, self.scan_id)
                return
            starts = [Discovered(url, 0, "start") for url in self.target.start_urls]
            self.frontier.add(db, starts, force_scope=True)
            db.commit()
        if self.target.crawl.use_sitemaps:
            await self._seed_from_sitemaps()

    async def _seed_from_sitemaps(self) -> None:
        """Sitemaps of each start origin: those its robots.txt declares, else /sitemap.xml."""
        candidates: list[str] = []
        for origin in sorted({origin_of(url) for url in self.target.start_urls} - {None}):
            declared = (
                (await self.robots.policy_for(origin + "/")).sitemaps
                if self.target.crawl.respect_robots
                else []
            )
            candidates += sitemap_candidates(origin, declared)
        discovery = await discover_sitemap_urls(
            self.client,
            dict.fromkeys(candidates),
            allow=self.scope.allows,
            max_urls=self.target.max_pages * 4,
            drop_params=self.target.crawl.drop_query_params,
        )
        with session(self.engine) as db:
            self.frontier.add(db, (Discovered(url, 1, "sitemap") for url in discovery.urls))
            db.commit()

    # --- workers -------------------------------------------------------------------------

    async def _worker(self) -> None:
        while (item := await self._next_item()) is not None:
            self.politeness.started(item.host)
            self.in_flight += 1
            try:
                await self._within_budget(self._visit(item))
            finally:
                self.in_flight -= 1
                self.politeness.finished(item.host)

    async def _within_budget(self, visit: Awaitable[None]) -> None:
        """Run a visit unless the scan's time budget ends first: then it stops where it is, stores
        nothing, and its page goes back to the queue (``_requeue_cut_visits``; a revisit is planned
        again from what is stored) for ``--resume``.
        """
        budget = asyncio.timeout(max(self.deadline - time.monotonic(), 0.0))
        try:
            async with budget:
                await visit
        except TimeoutError:
            if not budget.expired():
                raise
            self.stopped_by = "time_budget"

    def _requeue_cut_visits(self) -> None:
        with session(self.engine) as db:
            self.frontier.requeue_unfinished(db)

    async def _next_item(self) -> FrontierItem | None:
        while True:
            out_of_time = time.monotonic() >= self.deadline
            pages_left = self.pages_attempted < self.target.max_pages
            with session(self.engine) as db:
                kinds = ("html", "document") if pages_left else ("document",)
                item = None if out_of_time else self.frontier.claim(db, self._may_crawl, kinds)
                if item is not None:
                    if item.kind == "html":
                        self.pages_attempted += 1
                    return item
                queued = self.frontier.count(db, "queued")
            if queued == 0 and self.in_flight == 0:
                self.stopped_by = self.stopped_by or "frontier_exhausted"
                return None
            if out_of_time or (not pages_left and self.in_flight == 0 and not self._documents_queued()):
                self.stopped_by = "time_budget" if out_of_time else "max_pages"
                return None
            await asyncio.sleep(IDLE_POLL)

    def _documents_queued(self) -> bool:
        with session(self.engine) as db:
            return count_items(db, self.scan_id, "queued", kind="document") > 0

    async def _visit(self, item: FrontierItem) -> None:
        if item.kind == "document":
            capture = await record_document(self.client, item.url, self.target.accessibility)
        elif (refused := await self._robots_refusal(item.url)) is not None:
            capture = refused
            self.pages_attempted -= 1  # not visited, so it does not use up the page budget
        else:
            with self.overlaps.visit() as this:
                capture = await self._first_visit(item.url)
            if capture.out_of_time() and this.shared:
                capture = await self._once_more_when_quiet(item.url, capture)
            capture = await classify_visit(capture, self.scope, self.client, self.target.accessibility)
        self._store(item, capture)
        self._probe_hosts(capture)
        self._plan_revisits(crawl_over=False)

    async def _first_visit(self, url: str) -> PageCapture:
        return await capture_page(
            self.browser, url, settings=self.capture_settings, collectors=self.collectors
        )

    async def _once_more_when_quiet(self, url: str, first: PageCapture) -> PageCapture:
        """Collectors (axe above all) ran out of time while other pages shared the machine: visit
        once more with the browser to itself, and keep that visit unless it could not be tested."""
        log.info(
            "%s: %s ran out of time under load; visiting it again alone", url, ", ".join(first.out_of_time())
        )
        again = await self.quiet.run(lambda: self._first_visit(url))
        return again if again.is_testable else first

    async def _robots_refusal(self, url: str) -> PageCapture | None:
        if not self.target.crawl.respect_robots:
            return None
        return await robots_refusal(url, self.robots, self.politeness)

    # --- consent-scenario revisits, beside the crawl -------------------------------------------

    def _plan_revisits(self, *, crawl_over: bool) -> None:
        """Start the revisits of the pages chosen for good since the last call (crawl/scenarios.py)."""
        if not self.target.consent.enabled or time.monotonic() >= self.deadline:
            return
        for planned in self.scenario_plan.due(crawl_over=crawl_over):
            host = host_of(planned.url)
            self.revisits_waiting[host] += 1  # now, so that no worker claims the host's next free slot
            self.revisits.append(asyncio.ensure_future(self._revisit(planned, host)))

    async def _visit_consent_scenarios(self) -> None:
        """The homepage and a sample again, in fresh contexts, after "reject" and after "accept".

        Most were started during the crawl; the rest of the sample is only final once it is over.
        """
        self._plan_revisits(crawl_over=True)
        await asyncio.gather(*self.revisits)

    def _may_crawl(self, host: str) -> bool:
        """A first visit may start. Waiting revisits go first (they take longest): those of the same
        host, and any whose host has a slot free (they only wait for the overall limit)."""
        if self.revisits_waiting[host] or not self._may_open(host):
            return False
        return not any(
            waiting and self.politeness.is_free(other) for other, waiting in self.revisits_waiting.items()
        )

    def _may_open(self, host: str) -> bool:
        """A free page slot of the host, fewer pages open in all than the crawl's concurrency, and no
        visit waiting for the browser to itself (``quiet.py``)."""
        open_pages = self.in_flight + self.revisiting
        may = open_pages < self.target.crawl.concurrency and self.politeness.is_free(host)
        return may and not self.quiet.closed

    async def _revisit(self, planned: ScenarioVisit, host: str) -> None:
        try:
            while not self._may_open(host):
                await asyncio.sleep(IDLE_POLL)
                if time.monotonic() >= self.deadline:
                    return
        finally:
            self.revisits_waiting[host] -= 1
        self.politeness.started(host)
        self.revisiting += 1
        try:
            await self._within_budget(self._revisit_now(planned))
        finally:
            self.revisiting -= 1
            self.politeness.finished(host)

    async def _revisit_now(self, planned: ScenarioVisit) -> None:
        with self.overlaps.visit():
            capture = await capture_page(
                self.browser,
                planned.url,
                scenario=planned.scenario,
                settings=self.capture_settings,
                collectors=self.collectors,
            )
        self._save(capture, depth=planned.depth)
        self._probe_hosts(capture)  # accepting consent may contact hosts of our own too

    def _probe_hosts(self, capture: PageCapture) -> None:
        """Every first-party host the page contacted gets the host checks (pages, frames, requests)."""
        if capture.is_testable and capture.kind is PageKind.HTML:
            for host in contacted_hosts(capture, self.first_party):
                self.probes.ensure(host)
            for domain in mail_domains(capture):
                self.probes.ensure_mail_domain(domain)

    def _store(self, item: FrontierItem, capture: PageCapture) -> None:
        self._save(capture, depth=item.depth, referrer=item.discovered_from, frontier_item=item)

    def _save(
        self,
        capture: PageCapture,
        *,
        depth: int,
        referrer: str | None = None,
        frontier_item: FrontierItem | None = None,
    ) -> None:
        outcome = run_page_checks(capture, self.context, self.registry)
        with session(self.engine) as db:
            page = add_page(
                db,
                self.scan_id,
                capture,
                url_key=url_key(capture.url),
                first_party=self.first_party,
                vendors=attribution,
                depth=depth,
                referrer=referrer,
            )
            add_findings(db, self.scan_id, page.id, outcome)
            if frontier_item is not None:
                if capture.is_testable and capture.kind is PageKind.HTML:
                    self.frontier.add(db, self._discovered(frontier_item, capture))
                mark_done(db, frontier_item.id)
            set_active_seconds(db, self.scan_id, self._active())
            db.commit()
            self.progress.queued = self.frontier.count(db, "queued")
        self._count_page(capture, len(outcome.findings))

    def _discovered(self, item: FrontierItem, capture: PageCapture) -> list[Discovered]:
        found = (
            [Discovered(capture.final_url, item.depth, "redirect", item.url)]
            if capture.redirect_chain
            else []
        )
        found += [Discovered(link.href, item.depth + 1, "link", capture.final_url) for link in capture.links]
        return found

    # --- progress and the end ------------------------------------------------------------

    def _count_page(self, capture: PageCapture, findings: int) -> None:
        if capture.kind is PageKind.DOCUMENT:
            self.progress.documents += 1
        elif capture.is_testable:
            self.progress.pages_done += 1
        else:
            self.progress.pages_failed += 1
        self.progress.in_flight = self.in_flight + self.revisiting - 1
        self._count_findings(findings)

    def _count_findings(self, count: int) -> None:
        self.progress.findings += count
        self.on_progress(self.progress)

    def _run_site_checks(self) -> None:
        outcome = run_site_checks(StoredSiteEvidence(self.engine, self.scan_id), self.context, self.registry)
        site_checks = [check.id for check in self.registry.of_scope(Scope.SITE)]
        with session(self.engine) as db:
            # A scan resumed after its site checks had run replaces their results instead of doubling them.
            clear_site_results(db, self.scan_id, site_checks)
            add_findings(db, self.scan_id, None, outcome)
            db.commit()
        self._count_findings(len(outcome.findings))

    def _finish(self) -> ScanOutcome:
        outcome = end_scan(self.engine, self.scan_id, self.target.name, self._active(), self.stopped_by)
        self.on_progress(self.progress)
        return outcome

    def _mark(self, status: ScanStatus, **how: Any) -> ScanOutcome:
        outcome = mark_scan(self.engine, self.scan_id, self.target.name, self._active(), status, **how)
        self.on_progress(self.progress)
        return outcome

    def _active(self) -> float:
        return self.active_before + (time.monotonic() - self.started)
