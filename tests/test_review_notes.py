"""Every review says what to look at and why it is not decided automatically; reviews of one kind
in one template place are one issue; wording never moves a fingerprint."""

from __future__ import annotations

import re
import string

import pytest

from checks.accessibility.axe_review import reasons, review_note
from checks.accessibility.axe_rules import rule_findings
from checks.accessibility.mapping import axe_rules
from reports.root_causes import root_causes
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.axe import AxeCheck, AxeEvidence, AxeNode, AxeRuleResult
from scanner.findings.fingerprint import fingerprint
from scanner.findings.registry import Finding, Result, Text, load_all_checks
from scanner.findings.review import ReviewNote, review_reason, with_note
from scanner.store.models import Finding as StoredFinding
from scanner.store.scans import review_load

NOTE = ReviewNote("probe", Text(de="Hinsehen", en="Look"), Text(de="Weil", en="Because"))
PLACEHOLDERS = {"expected", "value"}


def test_every_reason_in_the_table_is_worded_in_both_languages() -> None:
    table = reasons()
    entries = [*table["rule"].values(), *(t for keys in table["check"].values() for t in keys.values())]
    assert len(entries) > 30
    for entry in entries:
        assert set(entry) == {"look_de", "look_en", "why_de", "why_en"}
        for text in entry.values():
            assert text.strip()
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert names <= PLACEHOLDERS, text
    for key in ("bgImage", "bgGradient", "bgOverlap", "pseudoContent", "fgAlpha", "imgNode"):
        assert key in table["check"]["color-contrast"]


def test_every_check_that_can_review_declares_a_note() -> None:
    """Checks that may answer "review" (their module says Result.REVIEW) give the reason."""
    registry = load_all_checks()
    for check in registry:
        with open(check.run.__code__.co_filename, encoding="utf-8") as handle:
            source = handle.read()
        if check.id.startswith("accessibility.axe.") or "Result.REVIEW" not in source:
            continue
        module_notes = "with_note(" in source or "review=NOTES" in source or "NOTES.get(" in source
        assert module_notes, check.id


def _node(key: str = "", check: str = "color-contrast", **data) -> AxeNode:
    return AxeNode(
        target=(".claim",),
        html='<p class="claim">',
        summary="Korrigiere mindestens einen der folgenden Punkte:\n  Das Element hat einen unzureichenden "
        "Kontrast von 0",
        data={"messageKey": key, **data} if key else data,
        checks=(AxeCheck(check, key),),
    )


def test_an_incomplete_contrast_names_its_reason_and_what_to_measure() -> None:
    rule = axe_rules()["color-contrast"]
    note = review_note(rule, _node("bgImage", expectedContrastRatio="3:1"), "incomplete")
    assert note.reason == "axe:color-contrast:bgImage"
    assert "Hintergrundbild" in note.why.de and "background image" in note.why.en
    assert "3:1" in note.look_at.de and "3:1" in note.look_at.en


def test_evidence_stored_before_the_checks_were_kept_uses_the_data_key() -> None:
    rule = axe_rules()["color-contrast"]
    old = AxeNode(target=("h1",), data={"messageKey": "bgGradient"})
    assert review_note(rule, old, "incomplete").reason == "axe:color-contrast:bgGradient"


def test_a_key_govscan_does_not_word_falls_back_to_axes_german_incomplete_message() -> None:
    rule = axe_rules()["aria-required-children"]
    note = review_note(
        rule, _node("singular", check="aria-required-children", values="listitem"), "incomplete"
    )
    assert note.reason == "axe:aria-required-children:singular"
    assert "listitem" in note.look_at.de and "${" not in note.look_at.de
    assert "aria-required-children" in note.look_at.en and note.why.en


def test_a_review_on_fail_rule_names_the_duplicate_id() -> None:
    rule = axe_rules()["duplicate-id-aria"]
    node = AxeNode(target=("#a > span",), checks=(AxeCheck("duplicate-id-aria", "", "kontakt"),))
    note = review_note(rule, node, "incomplete")
    assert note.reason == "axe:duplicate-id-aria" and "„kontakt“" in note.look_at.de


def test_axe_findings_carry_the_note_and_not_axes_fail_text() -> None:
    evidence = AxeEvidence(
        axe_version="4.12.1",
        wcag_version="2.1",
        incomplete=(AxeRuleResult("color-contrast", "serious", nodes=(_node("bgOverlap"),), node_count=1),),
        violations=(AxeRuleResult("region", "moderate", nodes=(_node(check="region"),), node_count=1),),
    )
    capture = PageCapture(
        url="https://a.de/",
        scenario=Scenario.FIRST_VISIT,
        final_url="https://a.de/",
        status=200,
        extras={"axe": evidence.to_json()},
    )
    [contrast] = rule_findings(axe_rules()["color-contrast"], capture)
    assert (
        contrast.result is Result.REVIEW
        and review_reason(contrast.evidence) == "axe:color-contrast:bgOverlap"
    )
    assert "Kontrast von 0" not in contrast.message.de and "überlagert" in contrast.message.de
    assert re.search(r"\nLook at: .+\nWhy not automatic: .+", contrast.message.en)
    [region] = rule_findings(axe_rules()["region"], capture)
    assert region.result is Result.REVIEW and review_reason(region.evidence) == "axe:best-practice:region"
    assert "keine Anforderung der WCAG" in region.message.de


def test_a_note_changes_neither_fails_nor_a_note_already_given_nor_the_fingerprint() -> None:
    fail = Finding(result=Result.FAIL, message=Text(de="a", en="a"), selector="p")
    assert with_note(fail, NOTE) is fail
    own = with_note(Finding(result=Result.REVIEW, message=Text(de="a", en="a"), selector="p"), NOTE)
    other = ReviewNote("other", NOTE.look_at, NOTE.why)
    assert with_note(own, other) is own and review_reason(own.evidence) == "probe"
    bare = Finding(result=Result.REVIEW, message=Text(de="a", en="a"), selector="main > p", snippet="<p>")
    assert fingerprint("x.y", "https://a.de/", bare) == fingerprint(
        "x.y", "https://a.de/", with_note(bare, NOTE)
    )


def stored(page: str, selector: str, reason: str | None, **fields) -> StoredFinding:
    evidence = {"review_note": {"reason": reason, "why": {"de": "weil", "en": "because"}}} if reason else {}
    values = {
        "scan_id": 1,
        "check_id": "accessibility.axe.color-contrast",
        "family": "accessibility",
        "scope": "page",
        "result": "review",
        "severity": "serious",
        "fingerprint": f"{page}|{selector}",
        "page_url": page,
        "selector": selector,
        "message_de": "x",
        "message_en": "x",
        "evidence": evidence,
    }
    return StoredFinding(**(values | fields))


@pytest.mark.parametrize("pages", [1, 10])
def test_one_doubt_in_one_template_place_is_one_issue_with_its_pages(pages: int) -> None:
    urls = [f"https://www.amt.de/seite-{n}/" for n in range(pages)]
    findings = []
    for url in urls:
        findings += [
            stored(url, f"header > .kopf > p:nth-child({n})", "axe:color-contrast:bgImage") for n in (1, 2)
        ]
        findings += [stored(url, ".teaser-bild > span", "axe:color-contrast:bgImage")]  # content
        findings += [stored(url, "footer > p", "axe:color-contrast:bgOverlap")]
        findings += [stored(url, "main > p", None, result="fail")]  # a defect keeps its template issue
        findings += [
            stored(url, "iframe >>> h1", "axe:color-contrast:imgNode", frame_url="https://karte.de/x")
        ]
    issues = root_causes(findings)
    reviews = [issue for issue in issues if issue.cause.kind == "review"]
    assert sorted(issue.cause.label for issue in reviews) == [
        "axe:color-contrast:bgImage",
        "axe:color-contrast:bgImage (header)",
        "axe:color-contrast:bgOverlap (footer)",
        "axe:color-contrast:imgNode [karte.de]",
    ]
    assert all(len(issue.pages) == pages for issue in reviews)
    assert [issue.cause.kind for issue in issues if issue.result == "fail"] == ["template"]


def test_reviews_about_a_subject_keep_their_own_issue() -> None:
    findings = [
        stored("https://a.de/", "", "statement-content", subject=f"https://a.de/erklaerung#{part}")
        for part in ("contact", "enforcement")
    ]
    assert len(root_causes(findings)) == 2


def test_the_review_load_counts_pages_without_reviews() -> None:
    assert review_load({"a": 0, "b": 4, "c": 2}) == {"pages": 3, "reviews": 6, "max": 4, "mean": 2.0}
    assert review_load({}) == {"pages": 0, "reviews": 0, "max": 0, "mean": 0.0}
