"""Which pages are visited again after "reject" and after "accept" (ARCHITECTURE.md, "Scenarios").

The start URLs (the homepage) and a sample of further pages that rendered on the first visit,
shallowest first, so that the same pages can be compared across scenarios and across scans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner.crawl.urls import url_key
from scanner.evidence import Scenario
from scanner.store.db import session
from scanner.store.scan_run import rendered_first_visits, stored_scenario_visits

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CONSENT_SCENARIOS = (Scenario.REJECTED, Scenario.ACCEPTED)


@dataclass(frozen=True)
class ScenarioVisit:
    url: str
    depth: int
    scenario: Scenario


def scenario_visits(
    engine: Engine, scan_id: int, start_urls: tuple[str, ...], sample_pages: int
) -> list[ScenarioVisit]:
    """The visits still to do: a resumed scan does not repeat those already stored."""
    with session(engine) as db:
        rendered = rendered_first_visits(db, scan_id)
        done = stored_scenario_visits(db, scan_id)
    starts = {url_key(url) for url in start_urls}
    chosen = [row for row in rendered if url_key(row.url) in starts]
    others = [row for row in rendered if url_key(row.url) not in starts]
    chosen += others[:sample_pages]
    return [
        ScenarioVisit(row.url, row.depth, scenario)
        for row in chosen
        for scenario in CONSENT_SCENARIOS
        if (url_key(row.url), scenario.value) not in done
    ]
