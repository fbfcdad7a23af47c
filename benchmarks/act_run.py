"""The ACT test cases through govscan's own page path: capture_page with the accessibility
collectors, then run_page_checks with the accessibility family's page checks, as a scan does.

The cases are served under their w3.org URLs by ``VirtualHostServer`` (HTTPS, a local CA) in a child
process; every host name goes to 127.0.0.1 (``--connect-to`` rules), so the cases' own links to
www.w3.org resolve locally and nothing leaves the machine (other hosts answer 421).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.act_cases import W3C_BASE, W3C_HOST, ActCase, has_iframe
from benchmarks.act_compare import CaseResult
from benchmarks.act_mapping import AXE_PREFIX, INTERACTION_CHECKS, AxeRuleInfo, RuleCoverage
from benchmarks.serving import serving
from scanner.capture.axe.source import load_axe_source
from scanner.capture.browser import ScanBrowser, launch_browser
from scanner.capture.collectors import PageCollector, for_target
from scanner.capture.collectors.accessibility_interaction import InteractionCollector
from scanner.capture.page import CaptureSettings, capture_page
from scanner.config.accessibility import AccessibilitySettings
from scanner.config.targets import TargetConfig
from scanner.evidence import PageCapture
from scanner.evidence.axe import AxeEvidence
from scanner.families import resolve
from scanner.findings.registry import CheckContext, CheckRegistry, Family, Result, Scope, load_all_checks
from scanner.findings.runner import run_page_checks
from scanner.net.network import NetworkSettings

CASE_TIMEOUT = 240.0  # seconds for one case, beyond govscan's own page and axe timeouts
NOT_TESTED_CHECK = "accessibility.axe-not-tested"
_AXE_RULES = """() => window.axe._audit.rules.map((rule) => ({
  id: rule.id, tags: rule.tags, enabled: rule.enabled !== false, actIds: rule.actIds || [],
}))"""


def accessibility_registry() -> CheckRegistry:
    """The accessibility family's page checks: the only ones whose findings the benchmark reads."""
    registry = CheckRegistry()
    for check in load_all_checks().of_scope(Scope.PAGE):
        if check.family is Family.ACCESSIBILITY:
            registry.add(check)
    return registry


def benchmark_target(wcag_version: str) -> TargetConfig:
    return TargetConfig(
        name="W3C ACT Rules test cases",
        start_urls=(W3C_BASE,),
        first_party_hosts=(W3C_HOST,),
        authority_level="bund",
        accessibility=AccessibilitySettings(wcag_version=wcag_version, interaction_pages=1),
    )


def check_context(target: TargetConfig) -> CheckContext:
    crawl = target.crawl
    return CheckContext(  # as ScanRun makes it
        target.name,
        target.first_party,
        target.authority_level,
        target.tags,
        crawl.tls_profile,
        start_urls=target.start_urls,
        accessibility=target.accessibility,
    )


def served_root(cases_dir: Path, workdir: Path) -> Path:
    """``root/www.w3.org/WAI/content-assets/wcag-act-rules/`` for VirtualHostServer: hard links
    where the file system allows (the server refuses paths that leave the host folder, so no symlink)."""
    root = workdir / "root"
    prefix = W3C_BASE.split(W3C_HOST, 1)[1].strip("/")
    destination = root / W3C_HOST / prefix

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    shutil.copytree(cases_dir, destination, copy_function=link)
    return root


async def read_axe_rules(browser: ScanBrowser, axe_script: Path | None) -> list[AxeRuleInfo]:
    """The installed axe's rules with their ``actIds``, read in a blank page (nothing of a case runs)."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.evaluate(load_axe_source(axe_script).text)
        return [AxeRuleInfo.from_raw(raw) for raw in await page.evaluate(_AXE_RULES)]
    finally:
        await context.close()


class CaseRunner:
    """One browser, a fixed set of collectors, the answering checks per ACT rule."""

    def __init__(self, browser: ScanBrowser, target: TargetConfig, coverage: dict[str, RuleCoverage]) -> None:
        self.browser = browser
        self.target = target
        self.coverage = coverage
        self.registry = accessibility_registry()
        self.context = check_context(target)
        crawl = target.crawl
        self.settings = CaptureSettings(crawl.page_timeout, crawl.settle_quiet, crawl.settle_cap)
        collectors = for_target(_family_collectors(), target)
        self.plain = [c for c in collectors if not isinstance(c, InteractionCollector)]
        self.interaction = next((c for c in collectors if isinstance(c, InteractionCollector)), None)

    def collectors_for(self, case: ActCase) -> Sequence[PageCollector]:
        """The keyboard walk, which a scan samples, runs on the cases of the rules it answers for."""
        checks = set(self.coverage[case.rule_id].checks)
        if self.interaction is None or not checks & INTERACTION_CHECKS:
            return self.plain
        return [*self.plain, replace(self.interaction, sampled=[])]

    async def run(self, case: ActCase, text: str) -> CaseResult:
        iframe = has_iframe(text)
        try:
            capture = await asyncio.wait_for(
                capture_page(
                    self.browser, case.url, settings=self.settings, collectors=self.collectors_for(case)
                ),
                CASE_TIMEOUT,
            )
        except TimeoutError:
            return CaseResult(
                case, tested=False, note=f"no capture within {CASE_TIMEOUT:.0f} s", iframe=iframe
            )
        return self.judge(case, capture, iframe)

    def judge(self, case: ActCase, capture: PageCapture, iframe: bool) -> CaseResult:
        answering = set(self.coverage[case.rule_id].checks)
        axe = capture.evidence(AxeEvidence)
        if not capture.is_testable:
            return CaseResult(
                case, tested=False, note=f"page not testable: {capture.failure_class}", iframe=iframe
            )
        if axe is None:
            error = capture.collector_error("axe") or "no axe evidence"
            return CaseResult(case, tested=False, note=f"{capture.kind.value}: {error}"[:300], iframe=iframe)
        outcome = run_page_checks(capture, self.context, self.registry)
        fails = {item.check.id for item in outcome.findings if item.finding.result is Result.FAIL}
        reviews = {item.check.id for item in outcome.findings if item.finding.result is Result.REVIEW}
        crashed = tuple(sorted(check_id for check_id, delta in outcome.tallies.items() if delta.errors))
        untested = NOT_TESTED_CHECK in reviews
        violations = {entry.id for entry in axe.violations if AXE_PREFIX + entry.id in answering}
        return CaseResult(
            case,
            tested=not untested,
            note="axe gave no result for a frame" if untested else "",
            fails=tuple(sorted(fails & answering)),
            reviews=tuple(sorted(reviews & answering)),
            axe_violations=tuple(sorted(violations)),
            other_fails=tuple(sorted(fails - answering)),
            crashed=crashed,
            iframe=iframe,
        )


def _measured(rule: RuleCoverage) -> bool:
    return rule.axe_implements or bool(rule.checks)


def _family_collectors() -> list[PageCollector]:
    from scanner.capture.collectors import COLLECTORS
    from scanner.families import declarations

    family = next(item for item in declarations() if item.name == Family.ACCESSIBILITY.value)
    chosen = []
    for declaration in sorted(family.collectors, key=lambda item: item.order):
        collector_class = resolve(declaration.path)
        chosen.append(COLLECTORS.get(collector_class.name) or collector_class())
    return chosen


async def run_all(
    cases: Sequence[ActCase],
    cases_dir: Path,
    workdir: Path,
    coverage_of: Any,  # callable: list[AxeRuleInfo] -> dict[str, RuleCoverage]
    wcag_version: str,
    concurrency: int,
    all_cases: bool = False,
) -> tuple[list[AxeRuleInfo], dict[str, RuleCoverage], list[CaseResult]]:
    root = served_root(cases_dir, workdir)
    target = benchmark_target(wcag_version)
    with serving(root, workdir) as served:
        network = NetworkSettings.build(served.connect_to, served.ca_bundle)
        async with launch_browser(network) as browser:
            axe_rules = await read_axe_rules(browser, target.accessibility.axe_script)
            coverage = coverage_of(axe_rules)
            runner = CaseRunner(browser, target, coverage)
            # The rules axe implements (govscan runs them or not) and those an own check answers for;
            # the others only with all_cases, to look for crashes of any check on every page.
            chosen = [case for case in cases if all_cases or _measured(coverage[case.rule_id])]
            results = await _run_cases(runner, chosen, cases_dir, concurrency)
    return axe_rules, coverage, results


async def _run_cases(runner: CaseRunner, cases: Sequence[ActCase], cases_dir: Path, concurrency: int):
    gate = asyncio.Semaphore(concurrency)
    done = 0

    async def one(case: ActCase) -> CaseResult:
        nonlocal done
        path = cases_dir / case.relative_path
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        async with gate:
            result = await runner.run(case, text)
        done += 1
        if done % 50 == 0 or done == len(cases):
            print(f"  {done}/{len(cases)} cases", file=sys.stderr, flush=True)
        return result

    return list(await asyncio.gather(*(one(case) for case in cases)))
