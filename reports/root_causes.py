"""Root causes: findings that share one cause roll up into one issue, with its pages counted.

A site-wide fault shows up as many findings: a tracking pixel as a request, a cookie, a tracker
before consent, a third-country transfer and a script without SRI, on every page. Every finding
is kept; this layer says which of them one fix closes:

- the same third-party **service** (the vendor the scan attributed, or the script's host) across
  all checks and pages: the pixel is one issue;
- the same **host fact**: a response header or a cookie of one host, the TLS configuration of one
  server, its security.txt, reported once per host instead of once per page;
- the same **template element** (``reports.grouping``), with overlapping checks of one family
  (``document-lang`` and axe's ``html-has-lang``; govscan's and axe's skip link) linked to one issue;
- the same **kind of review in one template place**: reviews of elements with the same check and
  the same reason (``ReviewNote.reason``, e.g. colour contrast over a background image) in the same
  region (header, navigation, footer, else the content) of the same frame host are one decision
  for a person, whichever element and page: forty texts over the header image are one issue.

Issue keys are stable across scans (like finding fingerprints), so trends and reviews can follow them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reports.grouping import template_anchor, template_region
from scanner.findings.fingerprint import RECIPE
from scanner.findings.registry import Severity
from scanner.findings.review import review_reason
from scanner.net.domains import registrable_domain
from scanner.net.hostnames import host_of
from scanner.store.models import Finding

# Checks that test the same thing as another check of their family: their findings join its issue.
LINKED_CHECKS = {
    "accessibility.axe.html-has-lang": "accessibility.document-lang",
    "accessibility.axe.html-lang-valid": "accessibility.document-lang",
    "accessibility.axe.skip-link": "accessibility.skip-link",
}
# Host checks whose findings for one host are one fix, whatever their subject.
HOST_TOPICS = {"security.tls.": "tls", "security.security-txt": "security-txt"}
# Page checks about a fact of the serving host (a header, a cookie the host sets).
HOST_FACT_CHECKS = frozenset({"security.version-banner", "security.cookie-flags"})
_SEVERITY_RANK = {severity.value: severity.rank for severity in Severity}


@dataclass(frozen=True)
class Cause:
    kind: str  # service | origin (a third-party host without a known vendor) | host-fact | template | review
    value: str  # what the cause is about: a vendor id, a domain, "host subject", a check and anchor
    label: str  # for people: the vendor's name, the domain, "host: subject", the anchor


@dataclass
class Issue:
    key: str
    cause: Cause
    findings: list[Finding] = field(default_factory=list)

    @property
    def checks(self) -> list[str]:
        return sorted({finding.check_id for finding in self.findings})

    @property
    def families(self) -> list[str]:
        return sorted({finding.family for finding in self.findings})

    @property
    def pages(self) -> list[str]:
        return sorted({finding.page_url for finding in self.findings if finding.page_url})

    @property
    def hosts(self) -> list[str]:
        return sorted({finding.host or host_of(finding.page_url or "") for finding in self.findings} - {""})

    @property
    def worst_severity(self) -> str:
        return max((finding.severity for finding in self.findings), key=lambda s: _SEVERITY_RANK.get(s, -1))

    @property
    def result(self) -> str:
        return "fail" if any(finding.result == "fail" for finding in self.findings) else "review"


def root_causes(
    findings: Iterable[Finding], vendors_by_host: Mapping[str, tuple[str, str]] = {}
) -> list[Issue]:
    """The issues of a scan's findings, worst first: defects before reviews, severity, then reach.

    ``vendors_by_host`` maps a host to the (vendor id, name) the scan attributed to its requests, so
    that a script without SRI joins the issue of the service it belongs to.
    """
    issues: dict[str, Issue] = {}
    for finding in findings:
        cause = cause_of(finding, vendors_by_host)
        key = issue_key(cause)
        issues.setdefault(key, Issue(key, cause)).findings.append(finding)
    for issue in issues.values():
        issue.findings.sort(key=lambda f: (f.page_url or "", f.host or "", f.check_id, f.fingerprint))
    return sorted(issues.values(), key=_order)


def issue_key(cause: Cause) -> str:
    text = "\x1f".join([RECIPE, "issue", cause.kind, cause.value])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def cause_of(finding: Finding, vendors_by_host: Mapping[str, tuple[str, str]] = {}) -> Cause:
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    service = _service(evidence, vendors_by_host)
    if service is not None:
        return service
    if finding.family == "privacy" or finding.check_id == "security.sri-missing":
        host = _third_party_host(evidence)
        if host:
            domain = registrable_domain(host) or host
            return Cause("origin", domain, domain)
    if finding.scope == "host" and finding.host:
        topic = next(
            (name for prefix, name in HOST_TOPICS.items() if finding.check_id.startswith(prefix)), None
        )
        subject = topic or f"{finding.check_id} {finding.subject or ''}".strip()
        return Cause("host-fact", f"{finding.host} {subject}", f"{finding.host}: {topic or finding.subject}")
    if finding.check_id in HOST_FACT_CHECKS and finding.page_url and finding.subject:
        host = host_of(finding.page_url)
        return Cause("host-fact", f"{host} {finding.subject}", f"{host}: {finding.subject}")
    check = LINKED_CHECKS.get(finding.check_id, finding.check_id)
    if check != finding.check_id or finding.check_id in LINKED_CHECKS.values():
        return Cause("template", check, check)  # one page-level fault, whichever check saw it
    review = _review_cause(finding)
    if review is not None:
        return review
    kind, anchor = template_anchor(finding)
    return Cause("template", f"{check}\x1f{kind}\x1f{anchor}", anchor or check)


def _review_cause(finding: Finding) -> Cause | None:
    """Reviews of elements, by check, reason, template region and frame host (see the module text).

    Findings about a subject (a linked page, a part of the statement) keep their own issue: the
    subject is what a person judges there."""
    reason = review_reason(finding.evidence)
    if finding.result != "review" or reason is None or finding.subject:
        return None
    if not (finding.selector or finding.snippet):
        return None
    region = template_region(finding.selector, finding.snippet) or ""
    frame = host_of(finding.frame_url) if finding.frame_url else ""
    label = reason + (f" ({region})" if region else "") + (f" [{frame}]" if frame else "")
    return Cause("review", "\x1f".join((finding.check_id, reason, region, frame)), label)


def _service(evidence: dict[str, Any], vendors_by_host: Mapping[str, tuple[str, str]]) -> Cause | None:
    vendor = evidence.get("vendor")
    if isinstance(vendor, dict) and isinstance(vendor.get("id"), str):
        return Cause("service", vendor["id"], str(vendor.get("name") or vendor["id"]))
    host = _third_party_host(evidence)
    if host and host in vendors_by_host:
        vendor_id, name = vendors_by_host[host]
        return Cause("service", vendor_id, name)
    return None


def _third_party_host(evidence: dict[str, Any]) -> str:
    """The host a finding's evidence names as the other party: its host, URL, origin or setter."""
    setter = evidence.get("setter")
    for value in (
        evidence.get("host"),
        evidence.get("origin"),  # storage items: the origin that wrote them
        evidence.get("url"),
        setter.get("url") if isinstance(setter, dict) else None,
    ):
        if isinstance(value, str) and value:
            return (host_of(value) if "/" in value else value).lower()
    return ""


def _order(issue: Issue) -> tuple:
    return (
        issue.result != "fail",
        -_SEVERITY_RANK.get(issue.worst_severity, -1),
        -len(issue.pages),
        -len(issue.findings),
        issue.cause.kind,
        issue.cause.value,
    )
