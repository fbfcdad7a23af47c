"""What a running scan asks of the store besides writing evidence (``scanner.run``, ``scanner.crawl``).

Each function takes the caller's session and does not commit unless it says so: the caller's
``with session(engine)`` block is the transaction (one per page, so a killed scan resumes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from scanner.evidence import FailureClass, PageKind, PageStatus, Scenario
from scanner.store.models import CheckTally, Finding, HostResult, Page, Scan


@dataclass(frozen=True)
class RenderedPage:
    url: str
    final_url: str | None
    depth: int


def rendered_first_visits(session: Session, scan_id: int) -> list[RenderedPage]:
    """HTML pages that rendered on the first visit, shallowest first, ties by URL.

    Not in visiting order: with several pages in flight that order changes from scan to scan, and
    so would the pages sampled for the consent scenarios.
    """
    rows = session.exec(
        select(Page.url, Page.final_url, Page.depth)
        .where(
            Page.scan_id == scan_id,
            Page.scenario == Scenario.FIRST_VISIT.value,
            Page.kind == PageKind.HTML.value,
            Page.status == PageStatus.OK.value,
        )
        .order_by(Page.depth, Page.url_key, Page.id)
    ).all()
    return [RenderedPage(url, final_url, depth) for url, final_url, depth in rows]


def stored_scenario_visits(session: Session, scan_id: int) -> set[tuple[str, str]]:
    """(url key, scenario) of the pages stored in scenarios other than the first visit."""
    rows = session.exec(
        select(Page.url_key, Page.scenario).where(
            Page.scan_id == scan_id, Page.scenario != Scenario.FIRST_VISIT.value
        )
    ).all()
    return {(key, scenario) for key, scenario in rows}


def attempted_page_count(session: Session, scan_id: int) -> int:
    """HTML pages that used up the page budget (as counted when a scan resumes)."""
    return session.exec(
        select(func.count()).where(
            Page.scan_id == scan_id,
            Page.kind == PageKind.HTML.value,
            Page.failure_class != FailureClass.BLOCKED_BY_ROBOTS.value,
        )
    ).one()


def tested_page_count(session: Session, scan_id: int) -> int:
    return session.exec(select(func.count()).where(Page.scan_id == scan_id, Page.status == "ok")).one()


def first_page(session: Session, scan_id: int) -> Page | None:
    """The first page stored: its failure says why a scan that tested nothing failed."""
    return session.exec(select(Page).where(Page.scan_id == scan_id).order_by(Page.id)).first()


def probed_hosts(session: Session, scan_id: int) -> set[tuple[str, int, str]]:
    """(host, port, probe) of every probe result stored in the scan: a resumed scan does not repeat them."""
    rows = session.exec(
        select(HostResult.host, HostResult.port, HostResult.probe).where(HostResult.scan_id == scan_id)
    ).all()
    return {(host, port, probe) for host, port, probe in rows}


def hosts_within_limit(session: Session, scan_id: int) -> set[str]:
    """Hosts the scan gave its probes to, i.e. every probed host except those refused by the host limit."""
    rows = session.exec(
        select(HostResult.host).where(
            HostResult.scan_id == scan_id,
            or_(
                HostResult.failure_class.is_(None), HostResult.failure_class != FailureClass.HOST_LIMIT.value
            ),
        )
    ).all()
    return set(rows)


def clear_site_results(session: Session, scan_id: int, site_checks: Iterable[str]) -> None:
    """Remove the site checks' findings and tallies, so that a rerun replaces them instead of doubling."""
    session.execute(delete(Finding).where(Finding.scan_id == scan_id, Finding.scope == "site"))
    session.execute(
        delete(CheckTally).where(CheckTally.scan_id == scan_id, CheckTally.check_id.in_(list(site_checks)))
    )


def record_engine_versions(
    session: Session, scan_id: int, chromium_version: str, versions: dict[str, Any]
) -> None:
    """Store the versions that shape results on top of those already recorded (committed)."""
    scan = session.get(Scan, scan_id)
    scan.chromium_version = chromium_version
    scan.engine_versions = {**scan.engine_versions, **versions}
    session.add(scan)
    session.commit()


def set_active_seconds(session: Session, scan_id: int, seconds: float) -> Scan:
    """The scan's time spent scanning so far, across resumes (not committed)."""
    scan = session.get(Scan, scan_id)
    scan.active_seconds = seconds
    session.add(scan)
    return scan
