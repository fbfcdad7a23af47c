"""Fingerprint recipe v2 and template regions, on hand-made findings."""

from __future__ import annotations

import pytest

from reports.gate import GateRuleError, parse_rules
from reports.grouping import template_region
from scanner.findings.fingerprint import RECIPE, fingerprint, page_location, start_tag
from scanner.findings.registry import Finding, Result, Text

PAGE = page_location("https://www.pruefamt.de/seite")


def image(selector: str, snippet: str) -> Finding:
    return Finding(Result.FAIL, Text("x", "x"), selector=selector, snippet=snippet)


def test_start_tag_keeps_what_identifies_an_element_and_drops_what_changes_per_visit():
    assert start_tag(
        '<IMG  src="/a.png?v=123#x" alt data-state="open" style="left:3px" class="logo  gross">'
    ) == ('<img alt class="logo gross" src="/a.png">')
    assert (
        start_tag('<input type="hidden" name="token" value="c0ffee">') == '<input name="token" type="hidden">'
    )
    assert start_tag('<p class="intro">Text, der sich ändert</p>') == '<p class="intro">'
    assert start_tag("kein Tag <b>") == "kein Tag <b>"


def test_distinct_elements_with_the_same_positionless_selector_get_distinct_fingerprints():
    first = image("main > p > img:nth-of-type(1)", '<img src="/eins.png">')
    second = image("main > p > img:nth-of-type(2)", '<img src="/zwei.png">')
    moved = image("main > p > img:nth-of-type(3)", '<img src="/eins.png?cache=42">')

    assert RECIPE == "v2"
    assert fingerprint("accessibility.x", PAGE, first) != fingerprint("accessibility.x", PAGE, second)
    assert fingerprint("accessibility.x", PAGE, first) == fingerprint("accessibility.x", PAGE, moved)


def test_text_inside_an_element_does_not_change_its_fingerprint():
    before = image("main > p.intro", '<p class="intro">Alter Text</p>')
    after = image("main > p.intro", '<p class="intro">Neuer, längerer Text</p>')
    assert fingerprint("accessibility.x", PAGE, before) == fingerprint("accessibility.x", PAGE, after)


@pytest.mark.parametrize(
    ("selector", "snippet", "region"),
    [
        ("html > body > header > img", None, "header"),
        ("header > nav > ul > li > a", None, "navigation"),
        ("#site-footer > p > a", None, "footer"),
        ('div[role="contentinfo"] a', None, "footer"),
        (".breadcrumb > a", None, "navigation"),
        ("#kopfbereich img", None, "header"),
        ("main > article > p > img", None, None),
        ("#navigator-content", None, None),
        (None, '<nav class="x">', "navigation"),
    ],
)
def test_template_regions_are_judged_from_selector_and_start_tag(selector, snippet, region):
    assert template_region(selector, snippet) == region


def test_gate_rules_are_which_colon_level():
    rules = parse_rules(["new:serious", "ANY:critical", "new:any"])
    assert [rule.text for rule in rules] == ["new:serious", "any:critical", "new:any"]
    for bad in ("serious", "new:", "alt:serious", "new:hoch"):
        with pytest.raises(GateRuleError):
            parse_rules([bad])
