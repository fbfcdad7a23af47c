"""Page collector "axe": axe-core in every frame of the page, kept compact for storage.

Everything axe says is kept (``scanner.evidence.axe.AxeEvidence``): violations and incomplete
results with their nodes (selector, frame path, snippet, German summary), and per rule the number
of violating, incomplete and passing nodes and whether it was inapplicable, so the report can show
what was covered. The checks in ``checks/accessibility/axe_rules.py`` turn this into findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from playwright.async_api import BrowserContext, Page

from scanner.capture.axe.runner import AxeOptions, AxeRun, run_axe
from scanner.capture.axe.source import ENABLED_FOR, load_axe_source, run_tags
from scanner.capture.collectors import PageCollector
from scanner.config.accessibility import AccessibilitySettings
from scanner.config.targets import TargetConfig
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.axe import (
    OUTCOMES,
    AxeCheck,
    AxeEvidence,
    AxeFrame,
    AxeNode,
    AxeRuleResult,
    RuleCounts,
)

MAX_NODES_PER_RULE = 50  # per page; the count of all nodes is kept beside them
MAX_SNIPPET = 400


@dataclass
class AxeCollector(PageCollector):
    name: str = AxeEvidence.KIND
    scenarios: frozenset[Scenario] = frozenset({Scenario.FIRST_VISIT})
    settings: AccessibilitySettings = field(default_factory=AccessibilitySettings)

    @property
    def time_allowance(self) -> float:
        # a page with a few frames: each may take up to the frame bound, plus finishRun
        return max(60.0, 4 * self.settings.axe_frame_timeout)

    def for_target(self, target: TargetConfig) -> AxeCollector:
        return replace(self, settings=target.accessibility)

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        return None

    async def collect(self, page: Page, capture: PageCapture) -> AxeEvidence:
        source = load_axe_source(self.settings.axe_script)
        version = self.settings.wcag_version
        options = AxeOptions(run_tags(version), self.settings.axe_frame_timeout, ENABLED_FOR.get(version, ()))
        run = await run_axe(page, source, options)
        return summarise(run, source.version, version, options.tags)


def summarise(run: AxeRun, axe_version: str, wcag_version: str, tags: tuple[str, ...]) -> AxeEvidence:
    results = run.results
    frame_urls = {json.dumps(frame.path): frame.url for frame in run.frames}
    counts: dict[str, dict[str, int]] = {}
    for outcome in OUTCOMES:
        for rule in results.get(outcome, []):
            nodes = len(rule.get("nodes", [])) if outcome != "inapplicable" else 1
            counts.setdefault(rule["id"], dict.fromkeys(OUTCOMES, 0))[outcome] += nodes
    return AxeEvidence(
        axe_version=axe_version,
        wcag_version=wcag_version,
        tags=tags,
        duration_ms=round(run.duration_ms),
        frames=tuple(
            AxeFrame(tuple(frame.path), frame.url, frame.tested, frame.reason) for frame in run.frames
        ),
        rules={rule_id: RuleCounts(**outcomes) for rule_id, outcomes in counts.items()},
        violations=tuple(_rule(rule, frame_urls) for rule in results.get("violations", [])),
        incomplete=tuple(_rule(rule, frame_urls) for rule in results.get("incomplete", [])),
    )


def _rule(rule: dict[str, Any], frame_urls: dict[str, str]) -> AxeRuleResult:
    nodes = rule.get("nodes", [])
    return AxeRuleResult(
        id=rule["id"],
        impact=rule.get("impact"),
        help=rule.get("help", ""),  # German (axe locale de)
        nodes=tuple(_node(node, frame_urls) for node in nodes[:MAX_NODES_PER_RULE]),
        node_count=len(nodes),
    )


def _node(node: dict[str, Any], frame_urls: dict[str, str]) -> AxeNode:
    target = node.get("target") or []
    frame_path = target[:-1]
    return AxeNode(
        target=tuple(target),
        frame_path=tuple(frame_path),
        frame_url=frame_urls.get(json.dumps(frame_path)),
        html=(node.get("html") or "")[:MAX_SNIPPET],
        impact=node.get("impact"),
        summary=node.get("failureSummary") or _messages(node),
        data=_check_data(node),
        checks=_checks(node),
    )


def _checks(node: dict[str, Any]) -> tuple[AxeCheck, ...]:
    """The checks behind the node's outcome with axe's reason key: for incomplete nodes axe's
    messages are its fail texts (after finishRun), so the reason key is what says why it is open."""
    found = []
    for kind in ("any", "all", "none"):
        for check in node.get(kind, []):
            data = check.get("data")
            key = data.get("messageKey") if isinstance(data, dict) else None
            value = data if isinstance(data, str | int | float) and not isinstance(data, bool) else ""
            found.append(
                AxeCheck(str(check.get("id", "")), key if isinstance(key, str) else "", str(value)[:200])
            )
    return tuple(found)


def _messages(node: dict[str, Any]) -> str:
    """Incomplete nodes carry no failureSummary: their check messages say what to look at."""
    messages = [check.get("message", "") for kind in ("any", "all", "none") for check in node.get(kind, [])]
    return "\n".join(message for message in messages if message)


def _check_data(node: dict[str, Any]) -> dict[str, Any]:
    """The measurements some checks report (contrast ratio, colours, sizes), small enough to keep."""
    for kind in ("any", "all", "none"):
        for check in node.get(kind, []):
            data = check.get("data")
            if isinstance(data, dict):
                kept = {key: value for key, value in data.items() if isinstance(value, str | int | float)}
                if kept:
                    return kept
    return {}
