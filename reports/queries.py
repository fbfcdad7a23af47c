"""One scan as the reports see it: everything the report and the exports show, read in one place.

Reports never re-run checks (STYLE.md, Scrapy): they read what the scan stored. The queries live
in ``scanner.store.report_queries``; here they are put together in one session (one consistent
view), so that the HTML report and the JSON/CSV export cannot drift apart in what they count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reports.accessibility_data import AxeCoverage, load_axe_coverage
from scanner.findings.registry import Check, CheckRegistry, Family, Scope
from scanner.store.db import session as open_session
from scanner.store.models import Finding, HostResult, Scan
from scanner.store.report_queries import (
    PageRow,
    TallyCounts,
    attributed_vendors,
    check_tallies,
    effective_summary,
    finding_rows,
    first_party_host_roles,
    host_rows,
    page_rows,
)
from scanner.store.scans import ScanStatus, get_scan, target_of
from scanner.store.security import HeaderGrade, TlsProfileOutcome, header_grades, tls_profile_outcomes

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

FAMILIES: tuple[str, ...] = tuple(family.value for family in Family)


@dataclass(frozen=True)
class CheckInScan:
    """A check as far as one scan is concerned: its declaration (if still known) and its coverage.

    ``check`` is None for a check that this govscan version no longer knows (findings of old
    scans keep their check id forever); then family comes from the id, scope and severity from
    its findings, if any.
    """

    id: str
    family: str
    scope: str | None
    severity: str | None
    check: Check | None
    tally: TallyCounts


@dataclass(frozen=True)
class ScanData:
    scan: Scan
    target_name: str
    authority_level: str | None
    summary: dict[str, Any]  # as stored when the scan ended; computed now while it runs
    pages: list[PageRow]  # ordered by url, scenario
    findings: list[Finding]  # ordered by family, check_id, page_url, fingerprint
    hosts: list[HostResult]  # ordered by host, port, probe
    tallies: dict[str, TallyCounts]  # by check id
    axe: AxeCoverage | None = None  # axe's counts per rule over the tested pages
    tls_outcomes: list[TlsProfileOutcome] = field(default_factory=list)  # judged at scan time
    header_grades: dict[str, HeaderGrade] = field(default_factory=dict)  # host -> grade judged at scan time
    host_roles: dict[str, str] = field(default_factory=dict)  # first-party host -> pages | frames | requests
    vendors_by_host: dict[str, tuple[str, str]] = field(default_factory=dict)  # as attributed at scan time

    @property
    def is_partial(self) -> bool:
        return self.scan.status in (ScanStatus.RUNNING.value, ScanStatus.INTERRUPTED.value)


def load_scan_data(engine: Engine, scan_id: int) -> ScanData:
    """Everything about one scan that reports show, read in one session (one consistent view)."""
    with open_session(engine) as db:
        scan = get_scan(db, scan_id)
        target = target_of(db, scan)
        return ScanData(
            scan=scan,
            target_name=target.name if target else str(scan.config_json.get("name", "")),
            authority_level=scan.config_json.get("authority_level")
            or (target.authority_level if target else None),
            summary=effective_summary(db, scan),
            pages=page_rows(db, scan.id),
            findings=finding_rows(db, scan.id),
            hosts=host_rows(db, scan.id),
            tallies=check_tallies(db, scan.id),
            axe=load_axe_coverage(db, scan.id),
            tls_outcomes=tls_profile_outcomes(db, scan.id),
            header_grades=header_grades(db, scan.id),
            host_roles=first_party_host_roles(db, scan.id),
            vendors_by_host=attributed_vendors(db, scan.id),
        )


def checks_in_scan(data: ScanData, registry: CheckRegistry) -> list[CheckInScan]:
    """The checks this scan ran (or should have run), ordered by family and id.

    The scan records the ids of the checks it ran (``engine_versions["checks"]``); without that
    record every check of the registry counts. Checks with a tally or findings always count, even
    if this govscan version no longer knows them.
    """
    recorded = data.scan.engine_versions.get("checks") if data.scan.engine_versions else None
    ids: set[str] = (
        {str(check_id) for check_id in recorded} if isinstance(recorded, list) else {c.id for c in registry}
    )
    ids |= set(data.tallies) | {finding.check_id for finding in data.findings}
    first_finding: dict[str, Finding] = {}
    for finding in data.findings:
        first_finding.setdefault(finding.check_id, finding)
    checks = []
    for check_id in ids:
        known = registry.get(check_id) if check_id in registry else None
        example = first_finding.get(check_id)
        checks.append(
            CheckInScan(
                id=check_id,
                family=known.family.value if known else _family_of(check_id, example),
                scope=known.scope.value if known else (example.scope if example else None),
                severity=known.severity.value if known else (example.severity if example else None),
                check=known,
                tally=data.tallies.get(check_id, TallyCounts()),
            )
        )
    return sorted(checks, key=lambda item: (_family_rank(item.family), item.id))


def pages_in_reach(data: ScanData, check: CheckInScan) -> int:
    """How many subjects the check could have run on: tested pages of its kinds, or probed hosts."""
    if check.scope == Scope.HOST.value:
        probe = check.check.probe if check.check else None
        return sum(1 for host in data.hosts if probe is None or host.probe == probe)
    if check.scope == Scope.SITE.value:
        return 1
    kinds = {kind.value for kind in check.check.page_kinds} if check.check else {"html"}
    scenarios = {scenario.value for scenario in check.check.scenarios} if check.check else {"first-visit"}
    return sum(1 for page in tested_pages(data.pages) if page.kind in kinds and page.scenario in scenarios)


def tested_pages(pages: Iterable[PageRow]) -> list[PageRow]:
    return [page for page in pages if page.status == "ok"]


def iso_datetime(value: datetime | None) -> str | None:
    """ISO 8601 with timezone, to the second. SQLite hands datetimes back naive; they are UTC."""
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat(timespec="seconds")


def _family_of(check_id: str, finding: Finding | None) -> str:
    if finding is not None:
        return finding.family
    return check_id.split(".", 1)[0]  # check ids start with their family (registry.CHECK_ID)


def _family_rank(family: str) -> int:
    return FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)
