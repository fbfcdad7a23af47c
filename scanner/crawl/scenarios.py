"""Which pages are visited again after "reject" and after "accept" (ARCHITECTURE.md, "Scenarios").

The start URLs (the homepage) and a sample of further pages that rendered on the first visit,
shallowest first, so that the same pages can be compared across scenarios and across scans.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import select

from scanner.crawl.urls import url_key
from scanner.evidence import PageKind, PageStatus, Scenario
from scanner.store.db import session
from scanner.store.models import Page

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
        rendered = db.exec(
            select(Page.url, Page.final_url, Page.depth)
            .where(
                Page.scan_id == scan_id,
                Page.scenario == Scenario.FIRST_VISIT.value,
                Page.kind == PageKind.HTML.value,
                Page.status == PageStatus.OK.value,
            )
            .order_by(Page.depth, Page.id)
        ).all()
        done = set(
            db.exec(
                select(Page.url_key, Page.scenario).where(
                    Page.scan_id == scan_id, Page.scenario != Scenario.FIRST_VISIT.value
                )
            ).all()
        )
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
