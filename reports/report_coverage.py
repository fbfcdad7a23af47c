"""The report's coverage: which pages and hosts were tested, which not and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reports.labels import Texts
from reports.queries import PageRow, ScanData
from reports.report_view import CountRow, Coverage, HostRow, PageView
from scanner.evidence.dns import DNS_PROBE_PORT
from scanner.evidence.mail import MAIL_PROBE_PORT
from scanner.store.models import HostResult


@dataclass(frozen=True)
class _PageSets:
    """The pages of the first visit by kind; visits in other consent scenarios are only counted."""

    html: list[PageRow]
    documents: list[PageRow]
    other_scenarios: int
    not_visited: int

    @classmethod
    def of(cls, data: ScanData) -> _PageSets:
        first_visit = [page for page in data.pages if page.scenario == "first-visit"]
        return cls(
            html=[page for page in first_visit if page.kind == "html"],
            documents=[page for page in first_visit if page.kind == "document"],
            other_scenarios=len(data.pages) - len(first_visit),
            not_visited=int(data.summary.get("not_visited", 0) or 0),
        )

    @property
    def tested(self) -> list[PageRow]:
        return [page for page in self.html if page.status == "ok"]

    @property
    def untested(self) -> list[PageRow]:
        return [page for page in self.html if page.status != "ok"]

    def reasons(self, status: str) -> Counter[str | None]:
        """Failure classes of the HTML pages with this status."""
        return Counter(page.failure_class for page in self.html if page.status == status)


def coverage(data: ScanData, texts: Texts) -> Coverage:
    pages = _PageSets.of(data)
    hosts = host_rows(data.hosts, data.host_roles, texts)
    return Coverage(
        intro=_coverage_intro(pages, texts),
        rows=_coverage_rows(pages, texts),
        hosts_intro=_hosts_intro(hosts, texts),
        hosts=hosts,
        tested=[page_view(page, texts) for page in pages.tested],
        untested=[page_view(page, texts) for page in pages.untested],
        documents=[page_view(page, texts) for page in pages.documents],
        tested_label=texts["tested_list"].format(n=texts.number(len(pages.tested))),
        untested_label=texts["untested_list"].format(n=texts.number(len(pages.untested))),
        documents_label=texts["documents_list"].format(n=texts.number(len(pages.documents))),
    )


def _coverage_intro(pages: _PageSets, texts: Texts) -> str:
    return texts["coverage_intro"].format(
        tested=texts.plural("n_pages", len(pages.tested)),
        failed=texts.plural("n_pages", pages.reasons("failed").total()),
        not_tested=texts.plural("n_pages", pages.reasons("not_tested").total()),
        documents=texts.plural("n_documents", len(pages.documents)),
        not_visited=texts.plural("n_urls", pages.not_visited),
    )


def _coverage_rows(pages: _PageSets, texts: Texts) -> list[CountRow]:
    documents_failed = Counter(page.failure_class for page in pages.documents if page.status != "ok")
    documents_ok = sum(1 for page in pages.documents if page.status == "ok")
    failed, not_tested = pages.reasons("failed"), pages.reasons("not_tested")
    rows = [CountRow(texts["row_tested"], len(pages.tested))]
    rows += _reason_rows(failed, texts, "row_failed") or [CountRow(texts["row_failed_none"], 0)]
    rows += _reason_rows(not_tested, texts, "row_not_tested") or [CountRow(texts["row_not_tested_none"], 0)]
    rows.append(CountRow(texts["row_documents"], documents_ok))
    rows += _reason_rows(documents_failed, texts, "row_documents_failed")
    rows.append(CountRow(texts["row_not_visited"], pages.not_visited))
    if pages.other_scenarios:
        rows.append(CountRow(texts["row_other_scenarios"], pages.other_scenarios))
    return rows


def _reason_rows(reasons: Counter[str | None], texts: Texts, label: str) -> list[CountRow]:
    ordered = sorted(reasons.items(), key=lambda item: (-item[1], item[0] or ""))
    return [CountRow(texts[label].format(reason=texts.reason(reason)), count) for reason, count in ordered]


def _hosts_intro(hosts: list[HostRow], texts: Texts) -> str:
    if not hosts:
        return texts["hosts_none"]
    probed = sum(1 for host in hosts if host.ok)
    return texts["hosts_intro"].format(
        # the DNS and mail probes' rows name a domain, not a host the browser contacted
        hosts=len({host.host for host in hosts if host.port not in (DNS_PROBE_PORT, MAIL_PROBE_PORT)}),
        probed=probed,
        total=len(hosts),
        not_tested=len(hosts) - probed,
    )


def host_rows(results: list[HostResult], roles: dict[str, str], texts: Texts) -> list[HostRow]:
    """Every probe result with its host's role, and a row for each first-party host the browser
    contacted that has no probe result at all: a host left unchecked is listed, never left out."""
    role_names = texts["host_roles"]
    rows = [host_row(result, texts, role_names.get(roles.get(result.host, ""), "")) for result in results]
    probed = {result.host for result in results}
    rows += [
        HostRow(
            host,
            None,
            texts["none"],
            texts["not_probed"],
            texts["not_probed_detail"],
            False,
            role_names[role],
        )
        for host, role in roles.items()
        if host not in probed
    ]
    return sorted(rows, key=lambda row: (row.host, row.port or 0, row.probe))


def host_row(host: HostResult, texts: Texts, role: str = "") -> HostRow:
    outcome = (
        texts["probed"]
        if host.ok
        else texts["not_tested_because"].format(reason=texts.reason(host.failure_class))
    )
    return HostRow(host.host, host.port, host.probe, outcome, host.failure_detail or "", host.ok, role)


def page_view(page: PageRow, texts: Texts) -> PageView:
    statuses = texts["document_status"] if page.kind == "document" else texts["page_status"]
    return PageView(
        url=page.url,
        title=page.title or texts["none"],
        http_status=str(page.http_status) if page.http_status is not None else texts["none"],
        depth=page.depth,
        status=statuses.get(page.status, page.status),
        reason=texts.reason(page.failure_class) if page.status != "ok" else texts["none"],
        detail=page.failure_detail or texts["none"],
        content_type=page.content_type or texts["none"],
        size=texts.size(page.content_length),
    )
