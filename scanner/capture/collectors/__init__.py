"""Page collectors: extra evidence gathered during the one navigation of a page.

The capture step owns the browser; a family that needs more than the standard PageCapture (axe
results, consent-banner state, instrumented storage writes) adds a collector here instead of
navigating on its own. A collector may prepare the context before navigation (init scripts,
bindings) and collects once the page has settled; its JSON-serialisable result lands in
``PageCapture.extras[collector.name]`` and is stored with the page, so checks stay pure functions
of evidence. A collector that fails leaves ``{"error": ...}`` there: the check must then report the
page as not tested for its part, never as passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from playwright.async_api import BrowserContext, Page

from scanner.evidence import PageCapture, Scenario

if TYPE_CHECKING:
    from scanner.config.targets import TargetConfig


class PageCollector(Protocol):
    name: str
    scenarios: frozenset[Scenario]
    time_allowance: float  # seconds ``collect`` may take on a large page

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        """Before navigation: add init scripts or bindings. Most collectors do nothing here."""

    async def collect(self, page: Page, capture: PageCapture) -> Any:
        """After the page settled and the standard capture was read: return JSON-able evidence.

        ``None`` means "not collected on this page" (a sampled collector skipping it): nothing is
        stored, and checks that read this collector do not count the page as evaluated.
        """

    # Optional: ``for_target(target) -> PageCollector`` returns a copy configured for one scan
    # (settings from targets.toml, per-scan state such as a sample counter).

    # Optional, see the consent collector:
    # ``async def before_visit(self, page, url, scenario, settings)`` runs after ``prepare`` and
    # may load the page once (to answer a consent banner); the capture then starts afresh.
    # ``before_visit_allowance`` (seconds) adds to the visit's hard limit.
    # ``for_target(target) -> PageCollector`` returns a collector configured for one target.


# Collectors that read what the page itself did (instrumentation logs) go first; collectors that
# run our own code in the page (axe reads canvases) or change it (keyboard walk, 320 px viewport)
# come after, so that nothing of ours is taken for the site's behaviour.
READS_PAGE_ACTIVITY, INSPECTS, ACTS_ON_PAGE = 10, 50, 90

COLLECTORS: dict[str, PageCollector] = {}


def register_collector(collector: PageCollector) -> PageCollector:
    if collector.name in COLLECTORS:
        raise ValueError(f"page collector {collector.name!r} is registered twice")
    COLLECTORS[collector.name] = collector
    return collector


def load_all_collectors() -> list[PageCollector]:
    """Import the collector modules (each registers itself) and return them in a stable order."""
    # Families add one import line here for their collector module.
    from scanner.capture.collectors import (  # noqa: F401
        accessibility_axe,
        accessibility_dom,
        accessibility_interaction,
        consent,
        privacy,
    )

    return sorted(COLLECTORS.values(), key=lambda collector: (collection_order(collector), collector.name))


def collection_order(collector: PageCollector) -> int:
    return getattr(collector, "order", INSPECTS)


def for_target(collectors: Iterable[PageCollector], target: TargetConfig) -> list[PageCollector]:
    """Each collector as configured for one scan's target (recipes and other per-target settings)."""
    return [
        collector.for_target(target) if hasattr(collector, "for_target") else collector
        for collector in collectors
    ]


def collected(name: str) -> Callable[[PageCapture], bool]:
    """For ``@check(requires=...)``: the collector left evidence on the page, not an error."""

    def has_evidence(capture: PageCapture) -> bool:
        evidence = capture.extras.get(name)
        return isinstance(evidence, dict) and "error" not in evidence

    return has_evidence


def for_scenario(collectors: Iterable[PageCollector], scenario: Scenario) -> list[PageCollector]:
    return [collector for collector in collectors if scenario in collector.scenarios]
