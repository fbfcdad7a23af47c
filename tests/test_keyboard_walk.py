"""The keyboard walk on real pages: focus stops are elements, not selectors, and a trap is reported
only when focus demonstrably cannot leave a region (Tab, Shift+Tab and Escape all keep it there).

Header and footer navigation built from the same markup give their links the same short
structural selector; the walk must tell them apart by the elements themselves."""

from __future__ import annotations

import pytest

from scanner.capture.collectors import for_target, load_all_collectors
from scanner.capture.collectors.accessibility_interaction import keyboard_walk
from scanner.capture.page import CaptureSettings, capture_page
from scanner.evidence import PageCapture
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_page_checks

from conftest import make_target
from localweb import LocalWeb, page

FAST = CaptureSettings(page_timeout=15, settle_quiet=0.2, settle_cap=2)
REGISTRY = load_all_checks()

NAVIGATION = """<div class="container"><nav><ul>
  <li><a href="/{0}/eins.html">{0} eins</a></li>
  <li><a href="/{0}/zwei.html">{0} zwei</a></li>
  <li><a href="/{0}/drei.html">{0} drei</a></li>
</ul></nav></div>"""

# Header and footer navigation from one template: the links' five-part structural selectors
# ("div > nav > ul > li:nth-of-type(1) > a") are the same in both. The footer links hide their
# focus and sit under a fixed bar at the bottom of the viewport once focused.
TWIN_NAVIGATION = f"""
<style>
  a:focus-visible {{ outline: 3px solid #005a9c; }}
  footer a:focus, footer a:focus-visible {{ outline: none; }}
  .leiste {{ position: fixed; bottom: 0; left: 0; right: 0; height: 90px; background: #eee; }}
</style>
<header><a href="/" class="logo">Landkreis</a>{NAVIGATION.format("kopf")}</header>
<p><a href="/artikel.html">Ein Artikel</a></p>
<div style="height: 1600px">Viel Inhalt</div>
<footer>{NAVIGATION.format("fuss")}</footer>
<div class="leiste">Servicezeiten</div>
"""

# A widget whose keydown handler keeps Tab and Shift+Tab inside it, with no way out by Escape.
REAL_TRAP = """
<a href="/vorher.html">Vorher</a>
<div id="karte">
  <button>Plus</button> <button>Minus</button> <button>Ebenen</button>
</div>
<a href="/nachher.html">Nachher</a>
<script>
const karte = document.getElementById('karte');
const buttons = Array.from(karte.querySelectorAll('button'));
karte.addEventListener('keydown', (event) => {
  if (event.key !== 'Tab') return;
  event.preventDefault();
  const here = buttons.indexOf(document.activeElement);
  buttons[(here + (event.shiftKey ? -1 : 1) + buttons.length) % buttons.length].focus();
});
</script>
"""

# Tab goes round two buttons for ever, but Shift+Tab leaves them: focus can leave the region.
FORWARD_LOOP = """
<a href="/vorher.html">Vorher</a>
<button id="eins">Eins</button> <button id="zwei">Zwei</button>
<a href="/nachher.html">Nachher</a>
<script>
document.getElementById('zwei').addEventListener('keydown', (event) => {
  if (event.key !== 'Tab' || event.shiftKey) return;
  event.preventDefault();
  document.getElementById('eins').focus();
});
</script>
"""

# A modal dialog keeps focus on purpose and closes with Escape, returning focus to its opener.
MODAL = """
<a href="/vorher.html">Vorher</a>
<button id="oeffner">Termin buchen</button>
<div id="dialog" role="dialog" aria-modal="true">
  <button>Bestätigen</button> <button>Abbrechen</button>
</div>
<a href="/nachher.html">Nachher</a>
<script>
const dialog = document.getElementById('dialog');
const inside = Array.from(dialog.querySelectorAll('button'));
dialog.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') { dialog.hidden = true; document.getElementById('oeffner').focus(); return; }
  if (event.key !== 'Tab') return;
  event.preventDefault();
  const here = inside.indexOf(document.activeElement);
  inside[(here + (event.shiftKey ? -1 : 1) + inside.length) % inside.length].focus();
});
</script>
"""


# A skip link as a child of <body> (its short selector is just "a") and a button in an open shadow root.
BODY_AND_SHADOW = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Körper</title></head>
<body><a href="#inhalt">Zum Inhalt</a>
<main id="inhalt"><a href="/x.html">Artikel</a> <amt-suche></amt-suche></main>
<script>
customElements.define('amt-suche', class extends HTMLElement {
  constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<button>Suchen</button>'; }
});
</script>
</body></html>"""

# A selector with " >> " names an element inside the open shadow root of the element before it.
RESOLVE = """(selector) => {
  let root = document, found = [];
  for (const part of selector.split(' >> ')) {
    found = Array.from(root.querySelectorAll(part));
    if (found.length !== 1) return found.length;
    root = found[0].shadowRoot;
  }
  return found[0].outerHTML;
}"""


@pytest.fixture(scope="module")
def origin(local_web: LocalWeb) -> str:
    return local_web.site(
        "www.tastatur-zwillinge.de",
        {
            "/zwillinge/": page(TWIN_NAVIGATION, title="Kopf und Fuß"),
            "/falle/": page(REAL_TRAP, title="Falle"),
            "/schleife/": page(FORWARD_LOOP, title="Schleife"),
            "/dialog/": page(MODAL, title="Dialog"),
            "/koerper/": BODY_AND_SHADOW,
        },
    )


async def _checked(browser, url: str, wcag_version: str = "2.1") -> tuple[PageCapture, dict[str, list]]:
    accessibility = {"interaction_pages": 5, "wcag_version": wcag_version}
    target = make_target("Tastatur", [url], accessibility=accessibility)
    collectors = [c for c in for_target(load_all_collectors(), target) if c.name == "keyboard-reflow"]
    capture = await capture_page(browser, url, settings=FAST, collectors=collectors)
    context = CheckContext(
        "Tastatur",
        target.first_party,
        "kreis",
        start_urls=target.start_urls,
        accessibility=target.accessibility,
    )
    found: dict[str, list] = {}
    for located in run_page_checks(capture, context, REGISTRY).findings:
        found.setdefault(located.check.id, []).append(located.finding)
    return capture, found


async def test_header_and_footer_links_with_the_same_structural_selector_are_no_trap(
    browser, origin: str
) -> None:
    capture, found = await _checked(browser, origin + "/zwillinge/")
    assert "accessibility.keyboard-trap" not in found
    walk = capture.extras["keyboard-reflow"]["keyboard"]
    assert walk["ending"] == "left-document"
    texts = [stop["text"] for stop in walk["stops"]]
    assert texts[-3:] == ["fuss eins", "fuss zwei", "fuss drei"]  # the walk reached the footer
    # ... and judged the footer's focus: its links change no style when focused
    invisible = {finding.snippet for finding in found["accessibility.focus-visible"]}
    assert {f'<a href="/fuss/{n}.html">fuss {n}</a>' for n in ("eins", "zwei", "drei")} <= invisible
    assert not any("kopf" in snippet for snippet in invisible)


async def test_every_stored_selector_names_exactly_its_own_element(browser, origin: str) -> None:
    context = await browser.new_context()
    try:
        tab = await context.new_page()
        await tab.goto(origin + "/zwillinge/")
        before = await tab.evaluate("() => document.documentElement.outerHTML")
        walk = await keyboard_walk(tab)
        # nothing of the walk is left in the DOM (no marker attributes for later readers to see)
        assert await tab.evaluate("() => document.documentElement.outerHTML") == before
        selectors = [stop.selector for stop in walk.stops]
        assert len(selectors) == 8 and len(set(selectors)) == 8
        for stop in walk.stops:
            found = await tab.evaluate(
                "(s) => Array.from(document.querySelectorAll(s), (e) => e.outerHTML)", stop.selector
            )
            assert found == [stop.html]
        # a selector that was unique already stays as it was (fingerprints of unchanged findings)
        assert walk.stops[0].selector == "main > header > a"
        covering = {stop.covered_by.selector for stop in walk.stops if stop.covered_by is not None}
        assert covering == {"main > div:nth-of-type(2)"}
    finally:
        await context.close()


async def test_selectors_of_a_body_child_and_of_a_shadow_root_element_are_unique(
    browser, origin: str
) -> None:
    context = await browser.new_context()
    try:
        tab = await context.new_page()
        await tab.goto(origin + "/koerper/")
        walk = await keyboard_walk(tab)
        selectors = [stop.selector for stop in walk.stops]
        assert selectors == ["body > a", "#inhalt > a", "#inhalt > amt-suche >> button"]
        for stop in walk.stops:
            assert await tab.evaluate(RESOLVE, stop.selector) == stop.html
    finally:
        await context.close()


async def test_focus_obscured_is_a_wcag_22_criterion_and_stays_out_of_a_21_scan(browser, origin: str) -> None:
    capture, found = await _checked(browser, origin + "/zwillinge/", wcag_version="2.2")
    [obscured] = found["accessibility.focus-obscured"]
    covered = [item["selector"] for item in obscured.evidence["covered"]]
    assert obscured.evidence["covered_count"] == 3
    assert covered == [f"footer > div > nav > ul > li:nth-of-type({n}) > a" for n in (1, 2, 3)]
    capture, found = await _checked(browser, origin + "/zwillinge/", wcag_version="2.1")
    assert "accessibility.focus-obscured" not in found
    assert capture.extras["keyboard-reflow"]["wcag_version"] == "2.1"
    outcome = run_page_checks(
        capture, CheckContext("Tastatur", make_target("x", [origin]).first_party), REGISTRY
    )
    assert "accessibility.focus-obscured" not in outcome.tallies  # not evaluated, not a pass either
    assert "accessibility.focus-visible" in outcome.tallies


async def test_a_widget_that_keeps_tab_and_shift_tab_inside_is_a_trap(browser, origin: str) -> None:
    capture, found = await _checked(browser, origin + "/falle/")
    [trap] = found["accessibility.keyboard-trap"]
    assert trap.selector == "#karte > button:nth-of-type(1)"
    assert trap.evidence["cycle"] == [f"#karte > button:nth-of-type({n})" for n in (1, 2, 3)]
    assert trap.evidence["tried"] == ["tab", "shift-tab", "escape"]
    walk = capture.extras["keyboard-reflow"]["keyboard"]
    assert walk["ending"] == "cycle" and walk["trap"]["left_by"] is None


async def test_a_loop_that_shift_tab_leaves_is_no_trap(browser, origin: str) -> None:
    capture, found = await _checked(browser, origin + "/schleife/")
    assert "accessibility.keyboard-trap" not in found
    walk = capture.extras["keyboard-reflow"]["keyboard"]
    assert walk["ending"] == "cycle" and walk["trap"]["left_by"] == "shift-tab"


async def test_a_modal_dialog_that_escape_closes_is_no_trap(browser, origin: str) -> None:
    capture, found = await _checked(browser, origin + "/dialog/")
    assert "accessibility.keyboard-trap" not in found
    walk = capture.extras["keyboard-reflow"]["keyboard"]
    assert walk["ending"] == "cycle" and walk["trap"]["left_by"] == "escape"
