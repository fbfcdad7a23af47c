"""Findings of one check, grouped so that one template fix closes many (``reports.grouping.group_key``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from reports.evidence_view import shape_evidence
from reports.formatting import css_token
from reports.grouping import group_key
from reports.labels import Texts
from reports.report_view import Fact, Group, Occurrence
from scanner.findings.registry import SEVERITY_ORDER
from scanner.store.models import Finding

COLLAPSE_GROUPS_OVER = 5  # occurrences; longer lists of pages start collapsed


def finding_groups(
    findings: list[Finding], texts: Texts, ids: Iterator[int], numbers: Iterator[int]
) -> list[Group]:
    """Findings grouped so a web team can act (``reports.grouping.group_key``), their pages below."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[group_key(finding)].append(finding)
    ordered = sorted(
        ((_heading_anchor(members[0]), members) for members in grouped.values()), key=_group_order
    )
    return [_group(kind, key, members, texts, ids, numbers) for (kind, key), members in ordered]


def _heading_anchor(finding: Finding) -> tuple[str, str]:
    """What the report's group heading names: the host of a host finding, else selector or subject."""
    if finding.scope == "host" and finding.host:
        return "host", finding.host
    if finding.selector:
        return "selector", finding.selector
    if finding.subject:
        return "subject", finding.subject
    return "without_location", ""


def _group_order(item: tuple[tuple[str, str], list[Finding]]) -> tuple[int, str, str]:
    """Groups touching the most pages or hosts first."""
    (kind, key), members = item
    return (-len({finding.page_url or finding.host for finding in members}), kind, key)


def _group(
    kind: str, key: str, members: list[Finding], texts: Texts, ids: Iterator[int], numbers: Iterator[int]
) -> Group:
    members = sorted(
        members, key=lambda finding: (finding.page_url or "", finding.host or "", finding.fingerprint)
    )
    if all(finding.scope == "page" for finding in members):
        count_label = texts.plural("n_pages", len({finding.page_url for finding in members}))
    else:
        count_label = texts.plural("n_findings", len(members))
    return Group(
        key_label=texts[kind],
        key=key,
        count_label=count_label,
        collapsed=len(members) > COLLAPSE_GROUPS_OVER,
        collapse_label=texts.plural("n_occurrences", len(members)),
        occurrences=[_occurrence(finding, kind, texts, ids, next(numbers)) for finding in members],
    )


def _occurrence(
    finding: Finding, group_kind: str, texts: Texts, ids: Iterator[int], number: int
) -> Occurrence:
    where_label, where = _where(finding, texts)
    label = texts["occurrence"].format(n=number)
    return Occurrence(
        number=number,
        label=label,
        anchor=f"occurrence-{number}",
        where_label=where_label,
        where=where,
        result=css_token(finding.result, ("fail", "review")),
        result_label=texts["results"].get(finding.result, finding.result),
        severity=css_token(finding.severity, SEVERITY_ORDER),
        severity_label=texts["severities"].get(finding.severity, finding.severity),
        message=finding.message_en if texts.language == "en" else finding.message_de,
        facts=_occurrence_facts(finding, group_kind, texts),
        evidence=shape_evidence(finding.evidence, texts, ids, caption=label) if finding.evidence else None,
    )


def _where(finding: Finding, texts: Texts) -> tuple[str, str]:
    if finding.page_url:
        return texts["page"], finding.page_url
    if finding.host:
        return texts["host"], finding.host
    return texts["website"], texts["none"]


def _occurrence_facts(finding: Finding, group_kind: str, texts: Texts) -> list[Fact]:
    """What locates this occurrence beyond its page; the group's own key is not repeated."""
    facts = []
    if finding.selector and group_kind != "selector":
        facts.append(Fact(texts["selector"], finding.selector, code=True))
    if finding.subject and group_kind != "subject":
        facts.append(Fact(texts["subject"], finding.subject))
    if finding.snippet:
        facts.append(Fact(texts["snippet"], finding.snippet, code=True))
    if finding.frame_url:
        facts.append(Fact(texts["frame"], finding.frame_url))
    if finding.scenario and finding.scenario != "first-visit":
        facts.append(Fact(texts["scenario"], finding.scenario))
    return facts
