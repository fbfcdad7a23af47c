"""The ACT benchmark's pure parts (benchmarks/act_*.py): reading testcases.json, asset references,
which checks answer for an ACT rule, and expected against govscan's outcome. A tiny fixture written
here, never the W3C's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.act_cases import W3C_BASE, asset_references, find_cases_dir, local_path, parse_testcases
from benchmarks.act_compare import FAILED, NOT_TESTED, PASSED, REVIEW, CaseResult, tally_by_rule, total
from benchmarks.act_mapping import COVERED, NO_AXE_RULE, NOT_RUN, REVIEW_ONLY, AxeRuleInfo, coverage

INDEX = {
    "name": "ACT Rules test cases",
    "count": 3,
    "testcases": [
        {
            "ruleId": "aaa111",
            "ruleName": "Image has name",
            "ruleAccessibilityRequirements": {
                "wcag20:1.1.1": {"forConformance": True, "failed": "not satisfied"},
                "wcag20:4.1.2": {"secondary": "less strict"},
                "wcag-technique:G94": {"forConformance": False},
            },
            "expected": "failed",
            "testcaseId": "f1",
            "testcaseTitle": "Failed Example 1",
            "relativePath": "testcases/aaa111/f1.html",
            "url": W3C_BASE + "testcases/aaa111/f1.html",
            "approved": True,
        },
        {
            "ruleId": "aaa111",
            "ruleName": "Image has name",
            "expected": "passed",
            "testcaseId": "p1",
            "testcaseTitle": "Passed Example 1",
            "relativePath": "testcases/aaa111/p1.html",
            "url": W3C_BASE + "testcases/aaa111/p1.html",
        },
        {
            "ruleId": "bbb222",
            "ruleName": "Heading has name",
            "expected": "inapplicable",
            "testcaseId": "i1",
            "testcaseTitle": "Inapplicable Example 1",
            "relativePath": "testcases/bbb222/i1.svg",
            "url": W3C_BASE + "testcases/bbb222/i1.svg",
            "isApproved": True,
        },
    ],
}


def test_parse_testcases_keeps_conformance_requirements_and_approval():
    failed, passed, inapplicable = parse_testcases(INDEX)
    assert (failed.rule_id, failed.case_id, failed.expected, failed.expected_failure) == (
        "aaa111",
        "f1",
        "failed",
        True,
    )
    assert failed.requirements == ("wcag20:1.1.1",)  # not the secondary one, nor the technique
    assert failed.approved and not passed.approved and inapplicable.approved
    assert inapplicable.relative_path == "testcases/bbb222/i1.svg"
    with pytest.raises(ValueError, match="unknown expected"):
        parse_testcases({"testcases": [{**INDEX["testcases"][0], "expected": "cantTell"}]})


def test_asset_references_resolve_relative_root_relative_and_full_urls():
    base = W3C_BASE + "testcases/aaa111/f1.html"
    html = """<img src="/WAI/content-assets/wcag-act-rules/test-assets/shared/w3c-logo.png">
    <iframe src="../../test-assets/frame.html#top"></iframe>
    <a href="http://www.w3.org/WAI/content-assets/wcag-act-rules/test-assets/page.html?x=1">x</a>
    <div style="background: url('/WAI/content-assets/wcag-act-rules/test-assets/bg.jpg')"></div>
    <img srcset="/WAI/content-assets/wcag-act-rules/test-assets/s1.png 1x, ../../test-assets/s2.png 2x">
    <a href="https://act-rules.github.io/">elsewhere</a> <a href="#main">skip</a> <a href="/WAI/">up</a>"""
    assert asset_references(html, base) == {
        W3C_BASE + "test-assets/shared/w3c-logo.png",
        W3C_BASE + "test-assets/frame.html",
        W3C_BASE + "test-assets/page.html",
        W3C_BASE + "test-assets/bg.jpg",
        W3C_BASE + "test-assets/s1.png",
        W3C_BASE + "test-assets/s2.png",
    }


def test_local_path_stays_inside_the_cases_directory(tmp_path: Path):
    assert local_path(tmp_path, W3C_BASE + "test-assets/a.png") == (tmp_path / "test-assets/a.png").resolve()
    assert (
        local_path(tmp_path, W3C_BASE + "test-assets/dir/")
        == (tmp_path / "test-assets/dir/index.html").resolve()
    )
    assert local_path(tmp_path, W3C_BASE + "../../etc/passwd") is None
    assert local_path(tmp_path, "https://example.org/a.png") is None
    checkout = tmp_path / "content-assets" / "wcag-act-rules"
    checkout.mkdir(parents=True)
    (checkout / "testcases.json").write_text("{}")
    assert find_cases_dir(tmp_path) == checkout


AXE = [
    AxeRuleInfo("image-alt", ("wcag2a", "wcag111"), True, ("aaa111",)),
    AxeRuleInfo("empty-heading", ("best-practice",), True, ("bbb222",)),
    AxeRuleInfo("label-mismatch", ("wcag21a", "experimental"), True, ("ccc333",)),
    AxeRuleInfo("links-aaa", ("wcag2aaa", "wcag249"), False, ("ddd444",)),
]
REGISTERED = frozenset({"accessibility.axe.image-alt", "accessibility.axe.empty-heading"})


def test_coverage_tells_covered_review_only_and_left_rules_apart():
    rules = coverage(["aaa111", "bbb222", "ccc333", "ddd444", "eee555"], AXE, "2.1", REGISTERED)
    assert rules["aaa111"].status == COVERED and rules["aaa111"].checks == ("accessibility.axe.image-alt",)
    assert rules["bbb222"].status == REVIEW_ONLY
    assert rules["ccc333"].status == NOT_RUN and rules["ccc333"].left == (("label-mismatch", "experimental"),)
    assert rules["ddd444"].left == (("links-aaa", "AAA"),)
    assert rules["eee555"].status == NO_AXE_RULE and not rules["eee555"].axe_implements


def test_outcomes_per_case_and_tallies():
    failed, passed, inapplicable = parse_testcases(INDEX)
    found = CaseResult(
        failed, fails=("accessibility.axe.image-alt",), axe_violations=("image-alt",), iframe=True
    )
    wrong = CaseResult(passed, fails=("accessibility.axe.image-alt",), crashed=("accessibility.x",))
    review = CaseResult(inapplicable, reviews=("accessibility.axe.empty-heading",))
    assert (found.outcome, wrong.outcome, review.outcome) == (FAILED, FAILED, REVIEW)
    assert CaseResult(failed).outcome == PASSED
    assert CaseResult(failed, tested=False, fails=("x",)).outcome == NOT_TESTED
    tallies = tally_by_rule([found, wrong, review, CaseResult(failed)])
    image = tallies["aaa111"]
    assert (image.expected_failed, image.found, image.missed, image.axe_found) == (2, 1, 1, 1)
    assert (image.non_failures, image.wrongly_failed, image.iframe_found, image.iframe_expected_failed) == (
        1,
        1,
        1,
        1,
    )
    summed = total(tallies.values())
    assert (summed.non_failures, summed.non_failure_reviews, summed.crashes) == (2, 1, {"accessibility.x": 1})
    assert found.to_json()["outcome"] == FAILED and found.to_json()["case"]["case_id"] == "f1"
