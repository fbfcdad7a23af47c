"""Page collectors: extra evidence gathered during the one navigation of a page.

The capture step owns the browser; a family that needs more than the standard PageCapture (axe
results, consent-banner state, instrumented storage writes) adds a collector instead of navigating
on its own, and names it in its declaration (``scanner.families``) with the order it runs in. A
collector may prepare the context before navigation (init scripts, bindings) and collects once the
page has settled; its JSON-serialisable result lands in ``PageCapture.extras[collector.name]`` and
is stored with the page, so checks stay pure functions of evidence. A collector that fails leaves
``{"error": ...}`` there: the check must then report the page as not tested for its part, never
as passed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self

from playwright.async_api import BrowserContext, Page

from scanner.evidence import PageCapture, Scenario
from scanner.families import collector_declarations, resolve

if TYPE_CHECKING:
    from scanner.capture.settings import CaptureSettings
    from scanner.config.targets import TargetConfig


class PageCollector(ABC):
    """One kind of extra evidence; subclasses set ``name`` and implement ``collect``."""

    name: ClassVar[str]
    scenarios: frozenset[Scenario] = frozenset({Scenario.FIRST_VISIT})
    time_allowance: float = 10.0  # seconds ``collect`` may take on a large page
    before_visit_allowance: float = 0.0  # seconds ``before_visit`` may add to the visit's hard limit

    def for_target(self, target: TargetConfig) -> Self:
        """This collector configured for one scan (settings from targets.toml, per-scan state)."""
        return self

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        """Before navigation: add init scripts or bindings. Most collectors do nothing here."""
        return None

    async def before_visit(self, page: Page, url: str, scenario: Scenario, settings: CaptureSettings) -> None:
        """After ``prepare``: may load the page once (to answer a consent banner); the capture
        then starts afresh, and nothing loaded here is part of it. Most collectors do nothing here."""
        return None

    async def capture_starts(self, page: Page) -> None:
        """After ``before_visit``, as the capture proper begins: what the collector saw until now
        belongs to the consent step, not to the capture. Most collectors do nothing here."""
        return None

    @abstractmethod
    async def collect(self, page: Page, capture: PageCapture) -> Any:
        """After the page settled and the standard capture was read: return the evidence, a
        ``TypedEvidence`` (stored as its ``to_json()``) or, for now, a JSON-able dict.

        ``None`` means "not collected on this page" (a sampled collector skipping it): nothing is
        stored, and checks that read this collector do not count the page as evaluated.
        """


COLLECTORS: dict[str, PageCollector] = {}


def load_all_collectors() -> list[PageCollector]:
    """Every family's collectors, created once per process, in their declared order."""
    ordered = []
    for declaration in collector_declarations():
        collector_class = resolve(declaration.path)
        if any(name == collector_class.name for _, name, _ in ordered):
            raise ValueError(f"page collector {collector_class.name!r} is declared twice")
        if collector_class.name not in COLLECTORS:
            COLLECTORS[collector_class.name] = collector_class()
        ordered.append((declaration.order, collector_class.name, COLLECTORS[collector_class.name]))
    return [collector for _, _, collector in sorted(ordered, key=lambda item: item[:2])]


def for_target(collectors: Iterable[PageCollector], target: TargetConfig) -> list[PageCollector]:
    """Each collector as configured for one scan's target (recipes and other per-target settings)."""
    return [collector.for_target(target) for collector in collectors]


def for_scenario(collectors: Iterable[PageCollector], scenario: Scenario) -> list[PageCollector]:
    return [collector for collector in collectors if scenario in collector.scenarios]
