"""Findings of a scan as JUnit XML, for CI systems that show test reports (GitLab, Jenkins, GitHub).

- one ``<testsuite>`` per check (name = check id; family, severity and coverage as properties);
- one ``<testcase>`` per template group of findings (``reports.grouping``): the same problem on
  many pages is one test case, its occurrences listed in the failure text;
- a group with an open ``fail`` finding is a ``<failure>`` (type = worst severity); a group of only
  ``review`` findings is ``<skipped>`` ("needs review": a person decides, the build does not fail);
  a group whose findings are all suppressed by review decisions is ``<skipped>`` with the decision;
- a check that crashed on some pages or hosts adds one ``<error>`` test case (a govscan bug: those
  subjects were not checked);
- a check without findings has no test case: "nothing detected automatically" is not a pass.

Text from scanned pages goes into attributes and text nodes through ElementTree, which escapes it;
control characters (which XML 1.0 mostly cannot carry), ANSI sequences and bidi overrides are
written as visible escapes (``scanner.text_safety.xml_text``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from reports.grouping import FindingGroup, group_findings
from reports.history import PREVIOUS, Baseline, TrackedFinding, scan_history
from reports.queries import checks_in_scan, iso_datetime, load_scan_data
from scanner.findings.registry import CheckRegistry, load_all_checks
from scanner.text_safety import xml_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MAX_NAME = 200


def export_junit(
    engine: Engine,
    scan_id: int,
    out: TextIO,
    *,
    registry: CheckRegistry | None = None,
    baseline: Baseline = PREVIOUS,
) -> None:
    root = junit_tree(engine, scan_id, registry=registry, baseline=baseline)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def junit_tree(
    engine: Engine, scan_id: int, *, registry: CheckRegistry | None = None, baseline: Baseline = PREVIOUS
) -> ET.Element:
    registry = registry if registry is not None else load_all_checks()
    data = load_scan_data(engine, scan_id)
    history = scan_history(engine, scan_id, baseline)
    by_check: dict[str, list[TrackedFinding]] = {}
    for item in history.findings:
        by_check.setdefault(item.finding.check_id, []).append(item)
    root = ET.Element("testsuites", name=xml_text(f"govscan scan {scan_id}: {data.target_name}"))
    timestamp = iso_datetime(data.scan.started_at) or ""
    for check in checks_in_scan(data, registry):
        suite = ET.SubElement(
            root, "testsuite", name=check.id, timestamp=timestamp, hostname=xml_text(data.target_name)
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("family", check.family),
            ("severity", check.severity or ""),
            ("evaluated", str(check.tally.evaluated)),
            ("baseline_scan", str(history.baseline.id) if history.baseline else ""),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
        for group in group_findings(by_check.get(check.id, [])):
            _testcase(suite, group)
        if check.tally.errors:
            case = ET.SubElement(suite, "testcase", classname=check.id, name="check crashed")
            ET.SubElement(
                case, "error", type="check_error", message=f"check crashed on {check.tally.errors} subject(s)"
            )
        _count(suite)
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(sum(int(suite.get(name, "0")) for suite in root)))
    return root


def _testcase(suite: ET.Element, group: FindingGroup) -> None:
    pages = group.pages
    where = (
        f"{len(group.members)} occurrence(s) on {len(pages)} page(s)"
        if pages
        else f"{len(group.members)} occurrence(s)"
    )
    name = f"{group.anchor_kind}: {group.anchor}" if group.anchor else group.anchor_kind
    case = ET.SubElement(
        suite, "testcase", classname=group.check_id, name=xml_text(f"{name} ({where})")[:MAX_NAME]
    )
    open_members = group.open_members
    details = xml_text("\n".join(_line(item) for item in group.members))
    if not open_members:
        decisions = sorted({item.review.decision.decision for item in group.members if item.review})
        ET.SubElement(case, "skipped", message=f"suppressed by review: {', '.join(decisions)}").text = details
    elif group.result == "fail":
        message = xml_text(_message(open_members[0]))
        failure = ET.SubElement(case, "failure", type=group.worst_severity, message=message[:MAX_NAME])
        failure.text = details
    else:
        ET.SubElement(case, "skipped", message="needs review by a person").text = details


def _line(item: TrackedFinding) -> str:
    finding = item.finding
    parts = [finding.page_url or finding.host or "site", finding.result, finding.severity]
    if item.change is not None:
        parts.append(item.change.value)
    if item.review is not None:
        state = "current" if item.review.current else "lapsed"
        parts.append(f"review {item.review.decision.decision} ({state})")
    parts.append(f"fingerprint {finding.fingerprint}")
    text = " | ".join(parts)
    if finding.snippet:
        text += f"\n    {finding.snippet}"
    return text


def _message(item: TrackedFinding) -> str:
    return item.finding.message_en


def _count(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    suite.set("errors", str(sum(1 for case in cases if case.find("error") is not None)))
    suite.set("skipped", str(sum(1 for case in cases if case.find("skipped") is not None)))
