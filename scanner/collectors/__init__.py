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

from collections.abc import Iterable
from typing import Any, Protocol

from playwright.async_api import BrowserContext, Page

from scanner.evidence import PageCapture, Scenario


class PageCollector(Protocol):
    name: str
    scenarios: frozenset[Scenario]
    time_allowance: float  # seconds ``collect`` may take on a large page

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        """Before navigation: add init scripts or bindings. Most collectors do nothing here."""

    async def collect(self, page: Page, capture: PageCapture) -> Any:
        """After the page settled and the standard capture was read: return JSON-able evidence."""

    # Optional, see the consent collector:
    # ``async def before_visit(self, page, url, scenario, settings)`` runs after ``prepare`` and
    # may load the page once (to answer a consent banner); the capture then starts afresh.
    # ``before_visit_allowance`` (seconds) adds to the visit's hard limit.
    # ``for_target(target) -> PageCollector`` returns a collector configured for one target.


COLLECTORS: dict[str, PageCollector] = {}


def register_collector(collector: PageCollector) -> PageCollector:
    if collector.name in COLLECTORS:
        raise ValueError(f"page collector {collector.name!r} is registered twice")
    COLLECTORS[collector.name] = collector
    return collector


def load_all_collectors() -> list[PageCollector]:
    """Import the collector modules (each registers itself) and return them in a stable order."""
    # Families add one import line here for their collector module.
    from scanner.collectors import consent, privacy  # noqa: F401

    return [COLLECTORS[name] for name in sorted(COLLECTORS)]


def configured_for(collectors: Iterable[PageCollector], target: Any) -> list[PageCollector]:
    """The collectors as one target needs them (recipes and other per-target settings)."""
    return [
        collector.for_target(target) if hasattr(collector, "for_target") else collector
        for collector in collectors
    ]


def for_scenario(collectors: Iterable[PageCollector], scenario: Scenario) -> list[PageCollector]:
    return [collector for collector in collectors if scenario in collector.scenarios]
