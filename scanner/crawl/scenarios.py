"""Which pages are visited again after "reject" and after "accept" (ARCHITECTURE.md, "Scenarios").

The start URLs (the homepage) and a sample of further pages that rendered on the first visit,
shallowest first (ties by URL), so that the same pages can be compared across scenarios and across
scans. ``ScenarioPlan`` makes that choice while the crawl still runs, page by page as it becomes
final, and always the same choice as once the crawl is over: a page at depth d can no longer be
found once every frontier item at depth d or less is done (links add depth + 1, redirects keep
the depth, and a queued item only gets shallower through a page not yet done).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner.crawl.urls import url_key
from scanner.evidence import Scenario
from scanner.store.db import session
from scanner.store.frontier import shallowest_unfinished_depth
from scanner.store.scan_run import rendered_first_visits, stored_scenario_visits

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CONSENT_SCENARIOS = (Scenario.REJECTED, Scenario.ACCEPTED)


@dataclass(frozen=True)
class ScenarioVisit:
    url: str
    depth: int
    scenario: Scenario


class ScenarioPlan:
    """The scenario visits of one scan, handed out once each as their pages are chosen for good."""

    def __init__(self, engine: Engine, scan_id: int, start_urls: tuple[str, ...], sample_pages: int) -> None:
        self.engine = engine
        self.scan_id = scan_id
        self.starts = {url_key(url) for url in start_urls}
        self.sample_pages = sample_pages
        self.handed_out: set[tuple[str, str]] = set()
        self.complete = False  # every page is chosen: nothing more to look up

    def due(self, *, crawl_over: bool) -> list[ScenarioVisit]:
        """The visits chosen since the last call; a resumed scan does not repeat those already stored."""
        if self.complete:
            return []
        with session(self.engine) as db:
            rendered = rendered_first_visits(db, self.scan_id)
            done = stored_scenario_visits(db, self.scan_id)
            unfinished = None if crawl_over else shallowest_unfinished_depth(db, self.scan_id)
        chosen = [row for row in rendered if url_key(row.url) in self.starts]
        sample = [row for row in rendered if url_key(row.url) not in self.starts][: self.sample_pages]
        if unfinished is not None:  # pages still to come would sort after every page shallower than them
            sample = [row for row in sample if row.depth < unfinished]
        # Start URLs are depth 0: once nothing at depth 0 is unfinished, each has been visited.
        self.complete = (unfinished is None or unfinished > 0) and (
            crawl_over or len(sample) == self.sample_pages
        )
        visits = []
        for row in chosen + sample:
            for scenario in CONSENT_SCENARIOS:
                key = (url_key(row.url), scenario.value)
                if key not in done and key not in self.handed_out:
                    self.handed_out.add(key)
                    visits.append(ScenarioVisit(row.url, row.depth, scenario))
        return visits
