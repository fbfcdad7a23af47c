"""Template grouping: the same problem on many pages is one item to fix, "fix once, N occurrences on M pages".

Findings of one check group together when they are about the same thing, wherever it appears: the
same subject (a third-party host, a cookie), else the same element selector without positions
(``header > nav > a.logo``), else the same start tag. A group on several pages, or whose element
sits in the header, navigation or footer (judged from the selector and the start tag), is most
likely produced by the site's template: fixed once there, it disappears everywhere.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from reports.history import TrackedFinding
from scanner.findings.fingerprint import RECIPE, normalise_selector, start_tag
from scanner.findings.registry import Severity
from scanner.store.models import Finding

REGION_WORDS: dict[str, tuple[str, ...]] = {
    "header": ("header", "banner", "masthead", "kopf", "kopfbereich", "top-bar", "topbar"),
    "navigation": ("nav", "navbar", "navigation", "menu", "menue", "breadcrumb", "breadcrumbs", "sitemap"),
    "footer": ("footer", "contentinfo", "fuss", "fusszeile", "fuß", "fußzeile"),
}
REGION_ROLES = {"banner": "header", "navigation": "navigation", "contentinfo": "footer"}
_COMPOUND_SPLIT = re.compile(r"\s*[>+~\s]\s*")
_TAG = re.compile(r"^([a-zA-Z][a-zA-Z0-9-]*)")
_NAMES = re.compile(r"[#.]([A-Za-z0-9_\u00c0-\u017f-]+)")
_ROLE = re.compile(r"""\[role=["']?([a-z]+)["']?\]""")
_SEVERITY_RANK = {severity.value: severity.rank for severity in Severity}


@dataclass(frozen=True)
class FindingGroup:
    key: str  # stable across scans: the same template problem keeps its key
    check_id: str
    family: str
    anchor_kind: str  # subject | selector | snippet | host | none
    anchor: str
    region: str | None  # header | navigation | footer, when the element sits there
    members: list[TrackedFinding]

    @property
    def pages(self) -> list[str]:
        return sorted({item.finding.page_url for item in self.members if item.finding.page_url})

    @property
    def occurrences(self) -> int:
        return len(self.members)

    @property
    def open_members(self) -> list[TrackedFinding]:
        return [item for item in self.members if not item.suppressed]

    @property
    def suppressed_count(self) -> int:
        return sum(1 for item in self.members if item.suppressed)

    @property
    def worst_severity(self) -> str:
        members = self.open_members or self.members
        return max((item.finding.severity for item in members), key=lambda s: _SEVERITY_RANK.get(s, -1))

    @property
    def result(self) -> str:
        """``fail`` when any open member is a proven defect, else ``review``."""
        members = self.open_members or self.members
        return "fail" if any(item.finding.result == "fail" for item in members) else "review"

    @property
    def snippets(self) -> list[str]:
        """The distinct snippets of the group, in page order."""
        seen: dict[str, None] = {}
        for item in self.members:
            if item.finding.snippet:
                seen.setdefault(item.finding.snippet, None)
        return list(seen)


def template_anchor(finding: Finding) -> tuple[str, str]:
    """(kind, value) the group is keyed on: what the finding is about, without the page.

    The one grouping of findings: the scan report, the web-team view, the exports and JUnit all
    put findings with the same ``group_key`` into one group (each view words its heading itself).
    """
    if finding.subject:
        return "subject", finding.subject
    if finding.selector:
        return "selector", normalise_selector(finding.selector)
    if finding.snippet:
        return "snippet", start_tag(finding.snippet)
    if finding.scope == "host" and finding.host:
        return "host", finding.host
    return "none", ""


def group_key(finding: Finding) -> str:
    kind, value = template_anchor(finding)
    text = "\x1f".join([RECIPE, "group", finding.check_id, kind, value])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def template_region(selector: str | None, snippet: str | None) -> str | None:
    """header / navigation / footer when the selector or the element's own tag says so.

    The innermost region wins: ``header > nav > a`` is in the navigation.
    """
    region = None
    for compound in _COMPOUND_SPLIT.split(normalise_selector(selector or "")):
        region = _region_of(compound) or region
    if region is None and snippet:
        region = _region_of(start_tag(snippet).lstrip("<").split(" ", 1)[0].rstrip(">"))
    return region


def _region_of(compound: str) -> str | None:
    tag = _TAG.match(compound)
    words = [tag.group(1).lower()] if tag else []
    for name in _NAMES.findall(compound):
        words += [part for part in re.split(r"[-_]+", name.lower()) if part]
        words.append(name.lower())
    for role in _ROLE.findall(compound):
        if role in REGION_ROLES:
            return REGION_ROLES[role]
    for region, region_words in REGION_WORDS.items():
        if any(word in region_words for word in words):
            return region
    return None


def group_findings(items: list[TrackedFinding]) -> list[FindingGroup]:
    """Groups ordered for a web team: open before suppressed, worst severity, widest reach first."""
    grouped: dict[str, list[TrackedFinding]] = defaultdict(list)
    for item in items:
        grouped[group_key(item.finding)].append(item)
    groups = []
    for key, members in grouped.items():
        members.sort(
            key=lambda item: (item.finding.page_url or "", item.finding.host or "", item.finding.fingerprint)
        )
        first = members[0].finding
        kind, value = template_anchor(first)
        region = None
        if kind in ("selector", "snippet"):
            region = template_region(first.selector, first.snippet)
        groups.append(FindingGroup(key, first.check_id, first.family, kind, value, region, members))
    return sorted(groups, key=_group_order)


def _group_order(group: FindingGroup) -> tuple:
    return (
        not group.open_members,
        group.result != "fail",
        -_SEVERITY_RANK.get(group.worst_severity, -1),
        -len(group.pages),
        -group.occurrences,
        group.check_id,
        group.anchor,
    )
