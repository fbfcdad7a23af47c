"""Read side for the reports (``reports/``): every query a report, export or trend makes.

Reports never re-run checks: they read what the scan stored, through this one module, so that
the HTML report and the JSON/CSV/EARL/JUnit exports cannot drift apart in what they count. Rows
come back as model rows or plain dataclasses, in a stable order (sorted in Python where
PostgreSQL's collations would order text differently from SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from scanner.store.models import (
    CheckTally,
    Cookie,
    Finding,
    HostResult,
    Page,
    Request,
    Scan,
    StorageItem,
    Target,
)
from scanner.store.scans import ScanStatus, is_complete, scan_summary

BATCH = 200  # pages read at once where only their extras are needed


@dataclass(frozen=True)
class PageRow:
    """A page without its heavy evidence (DOM, headers, links): what reports list."""

    id: int
    url: str
    final_url: str | None
    scenario: str
    kind: str
    status: str
    failure_class: str | None
    failure_detail: str | None
    http_status: int | None
    content_type: str | None
    content_length: int | None
    title: str | None
    depth: int


@dataclass(frozen=True)
class TallyCounts:
    evaluated: int = 0
    with_findings: int = 0
    findings: int = 0
    errors: int = 0


# --- one scan ------------------------------------------------------------------------------------


def scan_by_id(db: Session, scan_id: int) -> Scan | None:
    return db.get(Scan, scan_id)


def effective_summary(db: Session, scan: Scan) -> dict[str, Any]:
    """The stored summary of a finished scan; for a running one (no summary yet) the counts of now."""
    if scan.summary and scan.status != ScanStatus.RUNNING.value:
        return dict(scan.summary)
    return scan_summary(db, scan.id)


def page_rows(db: Session, scan_id: int) -> list[PageRow]:
    columns = (
        Page.id,
        Page.url,
        Page.final_url,
        Page.scenario,
        Page.kind,
        Page.status,
        Page.failure_class,
        Page.failure_detail,
        Page.http_status,
        Page.content_type,
        Page.content_length,
        Page.title,
        Page.depth,
    )
    rows = [PageRow(*row) for row in db.exec(select(*columns).where(Page.scan_id == scan_id)).all()]
    # Sorted here, not in SQL: PostgreSQL collations would order URLs differently from SQLite.
    return sorted(rows, key=lambda page: (page.url, page.scenario, page.id))


def finding_rows(db: Session, scan_id: int) -> list[Finding]:
    rows = db.exec(select(Finding).where(Finding.scan_id == scan_id)).all()
    return sorted(rows, key=finding_order)


def finding_order(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.family, finding.check_id, finding.page_url or "", finding.fingerprint)


def host_rows(db: Session, scan_id: int) -> list[HostResult]:
    rows = db.exec(select(HostResult).where(HostResult.scan_id == scan_id)).all()
    return sorted(rows, key=lambda host: (host.host, host.port, host.probe))


def attributed_vendors(db: Session, scan_id: int) -> dict[str, tuple[str, str]]:
    """Host -> (vendor id, name) as the scan attributed the host's requests (scans before 0005: none)."""
    rows = db.exec(
        select(Request.host, Request.vendor)
        .join(Page, Page.id == Request.page_id)
        .where(Page.scan_id == scan_id, Request.vendor.is_not(None))  # type: ignore[union-attr]
    ).all()
    vendors: dict[str, tuple[str, str]] = {}
    for host, attribution in rows:
        vendor = attribution.get("vendor") if isinstance(attribution, dict) else None
        if host and isinstance(vendor, dict) and isinstance(vendor.get("id"), str):
            vendors.setdefault(host, (vendor["id"], str(vendor.get("name") or vendor["id"])))
    return dict(sorted(vendors.items()))


HOST_ROLES = ("pages", "frames", "requests")  # strongest first


def first_party_host_roles(db: Session, scan_id: int) -> dict[str, str]:
    """Host -> how the browser met it (``pages``, ``frames``, or ``requests`` only), for first-party hosts.

    Read from the stored requests: a top document makes a host a page host, a document in a frame a
    frame host; any other first-party request (assets, beacons) counts as ``requests``.
    """
    rows = db.exec(
        select(Request.host, Request.resource_type, Request.is_main_frame, Request.is_navigation)
        .join(Page, Page.id == Request.page_id)
        .where(Page.scan_id == scan_id, Request.third_party == False)  # noqa: E712 (SQL)
        .distinct()
    ).all()
    roles: dict[str, str] = {}
    for host, resource_type, main_frame, navigation in rows:
        if not host:
            continue
        document = resource_type == "document" and navigation
        role = ("pages" if main_frame else "frames") if document else "requests"
        if host not in roles or HOST_ROLES.index(role) < HOST_ROLES.index(roles[host]):
            roles[host] = role
    return dict(sorted(roles.items()))


def check_tallies(db: Session, scan_id: int) -> dict[str, TallyCounts]:
    rows = db.exec(select(CheckTally).where(CheckTally.scan_id == scan_id)).all()
    return {
        row.check_id: TallyCounts(row.evaluated, row.with_findings, row.findings, row.errors) for row in rows
    }


def tested_html_extras(db: Session, scan_id: int) -> Iterator[dict[str, Any] | None]:
    """``Page.extras`` of every tested HTML page, in visiting order, read in batches (memory stays flat)."""
    last_id = 0
    while True:
        rows = db.exec(
            select(Page.id, Page.extras)
            .where(Page.scan_id == scan_id, Page.kind == "html", Page.status == "ok", Page.id > last_id)
            .order_by(Page.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for _, extras in rows:
            yield extras
        last_id = rows[-1][0]


# --- a scan's evidence for the data protection view ---------------------------------------------


def scan_pages(db: Session, scan_id: int) -> list[Page]:
    """Every stored page of the scan, with its extras (consent records, cookie setters)."""
    return list(db.exec(select(Page).where(Page.scan_id == scan_id)).all())


def third_party_requests(db: Session, page_ids: Iterable[int]) -> list[Request]:
    return list(
        db.exec(
            select(Request).where(Request.page_id.in_(list(page_ids)), Request.third_party == True)  # noqa: E712
        ).all()
    )


def page_cookies(db: Session, page_ids: Iterable[int]) -> list[Cookie]:
    return list(db.exec(select(Cookie).where(Cookie.page_id.in_(list(page_ids)))).all())


def page_storage(db: Session, page_ids: Iterable[int]) -> list[StorageItem]:
    return list(db.exec(select(StorageItem).where(StorageItem.page_id.in_(list(page_ids)))).all())


def third_party_contacts(db: Session, target_id: int) -> list[tuple[str, Any, datetime]]:
    """(host, stored vendor attribution, scan start) of every third-party request of the target's
    scans (distinct)."""
    rows = db.exec(
        select(Request.host, Request.vendor, Scan.started_at)
        .join(Page, Page.id == Request.page_id)
        .join(Scan, Scan.id == Page.scan_id)
        .where(Scan.target_id == target_id, Request.third_party == True)  # noqa: E712
        .distinct()
    ).all()
    return [(host, vendor, started) for host, vendor, started in rows]


# --- history and trends ---------------------------------------------------------------------------


def previous_completed_scan(db: Session, scan: Scan) -> Scan | None:
    """The target's newest earlier scan that completed whole: an incomplete scan (stopped by a limit)
    is never the default baseline, so the next full scan is not compared with a partial view."""
    earlier = db.exec(
        select(Scan)
        .where(
            Scan.target_id == scan.target_id,
            Scan.status == ScanStatus.COMPLETED.value,
            Scan.id < scan.id,
        )
        .order_by(Scan.id.desc())
    )
    # Filtered here: scans stored before "incomplete" existed are told apart by is_complete.
    return next((candidate for candidate in earlier if is_complete(candidate)), None)


def all_targets(db: Session) -> list[Target]:
    return list(db.exec(select(Target)).all())


def scans_of_target(db: Session, target_id: int) -> list[Scan]:
    """Every scan of the target, oldest first."""
    return list(db.exec(select(Scan).where(Scan.target_id == target_id).order_by(Scan.id)).all())
