"""Criteria that only WCAG 2.2 has are not evaluated in a scan configured for WCAG 2.1 (the BITV 2.0
baseline), neither govscan's own checks nor axe rules; and stored keyboard walks whose loops were
never tested for a way out are not taken for traps. On hand-made evidence."""

from __future__ import annotations

from typing import Any

from checks.accessibility.mapping import within_standard
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import PageCapture, Scenario
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import CheckOutcome, run_page_checks

REGISTRY = load_all_checks()
CONTEXT = CheckContext("Prüfamt", FirstPartySet(["pruefamt.de"]), "kreis")
BUTTON = {
    "kind": "element", "tag": "button", "rect": [0, 0, 80, 20], "visible": True,
    "style": {"outlineStyle": "solid"}, "unfocused_style": {"outlineStyle": "none"},
}  # fmt: skip


def _checked(extras: dict[str, Any]) -> CheckOutcome:
    page = PageCapture(
        url="https://www.pruefamt.de/",
        scenario=Scenario.FIRST_VISIT,
        final_url="https://www.pruefamt.de/",
        status=200,
        html_lang="de",
        extras=extras,
    )
    return run_page_checks(page, CONTEXT, REGISTRY)


def _ids(outcome: CheckOutcome) -> set[str]:
    return {located.check.id for located in outcome.findings}


def _walk(ending: str, trap: dict | None, wcag_version: str | None) -> dict[str, Any]:
    covered = {"selector": "#kopf", "position": "fixed", "html": "<div id=kopf>"}
    stops = [
        {**BUTTON, "selector": "#eins", "html": "<button id=eins>", "covered_by": covered},
        {**BUTTON, "selector": "#zwei", "html": "<button id=zwei>"},
    ]
    keyboard = {"max_tabs": 40, "ending": ending, "cycle_start": 0, "stops": stops, "trap": trap}
    reflow = {"width": 320, "client_width": 320, "overflow_px": 0, "offenders": []}
    return {"keyboard-reflow": {"keyboard": keyboard, "reflow": reflow, "wcag_version": wcag_version}}


def test_criteria_new_in_wcag_22_are_outside_a_21_audit() -> None:
    assert not within_standard(["2.4.11"], "2.1") and within_standard(["2.4.11"], "2.2")
    assert not within_standard(["2.5.8"], None)  # evidence without a version: the default, 2.1
    assert within_standard(["2.4.7"], "2.1") and within_standard([], "2.1")  # best practice: always
    assert within_standard(["2.4.7", "2.4.11"], "2.1")  # one criterion in scope is enough


def test_focus_obscured_is_evaluated_only_in_a_wcag_22_scan() -> None:
    for version in ("2.1", None):
        outcome = _checked(_walk("left-document", None, version))
        assert "accessibility.focus-obscured" not in outcome.tallies  # not evaluated: no pass either
        assert "accessibility.focus-visible" in outcome.tallies
    outcome = _checked(_walk("left-document", None, "2.2"))
    assert "accessibility.focus-obscured" in _ids(outcome)


def test_an_axe_rule_for_a_wcag_22_criterion_stays_out_of_a_21_scan() -> None:
    def axe(version: str) -> dict[str, Any]:
        node = {"target": ["a.klein"], "frame_path": [], "html": "<a class=klein>", "impact": "serious"}
        return {
            "axe": {
                "axe_version": "4.12.1",
                "wcag_version": version,
                "tags": [],
                "rules": {"target-size": {"violations": 1, "incomplete": 0, "passes": 0, "inapplicable": 0}},
                "violations": [{"id": "target-size", "impact": "serious", "help": "", "nodes": [node]}],
                "incomplete": [],
            }
        }

    outcome = _checked(axe("2.1"))
    assert "accessibility.axe.target-size" not in outcome.tallies
    assert "accessibility.axe.target-size" in _ids(_checked(axe("2.2")))


def test_only_a_loop_no_key_could_leave_is_a_trap() -> None:
    tried = ["tab", "shift-tab", "escape"]
    trapped = _checked(_walk("cycle", {"loop": [0, 1], "tried": tried, "left_by": None}, "2.1"))
    [trap] = [
        located.finding for located in trapped.findings if located.check.id == "accessibility.keyboard-trap"
    ]
    assert trap.selector == "#eins" and trap.evidence["cycle"] == ["#eins", "#zwei"]
    escaped = _checked(_walk("cycle", {"loop": [0, 1], "tried": tried, "left_by": "escape"}, "2.1"))
    assert "accessibility.keyboard-trap" not in _ids(escaped)
    # stored before exits were tried (and stops were compared by selector): not evidence of a trap
    untested = _checked(_walk("cycle", None, "2.1"))
    assert "accessibility.keyboard-trap" not in _ids(untested)
