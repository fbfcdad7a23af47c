"""What axe does not test, on real pages: link texts, document links, media, closed shadow roots,
keyboard walk, skip link and reflow. One capture per page with the family's collectors; clean twins."""

from __future__ import annotations

import pytest

from scanner.capture.collectors import for_target, load_all_collectors
from scanner.capture.page import CaptureSettings, capture_page
from scanner.evidence import PageCapture
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_page_checks

from conftest import make_target
from localweb import LocalWeb, page

FAST = CaptureSettings(page_timeout=15, settle_quiet=0.2, settle_cap=2)
REGISTRY = load_all_checks()

LINKS = """
<p>Haushalt beschlossen. <a href="/presse/haushalt.html">weiterlesen</a></p>
<p>Winterdienst. <a href="/presse/winter.html">Mehr »</a></p>
<p><a href="/presse/abfall.html">Abfallkalender 2027 erschienen</a></p>
<p><a href="/dokumente/plan.pdf">Haushaltsplan 2026</a></p>
<p><a href="/dokumente/antrag.docx">Antrag auf Wohngeld (Word, 2 KB)</a></p>
<video src="/film.mp4" controls></video>
<video src="/film.mp4" controls><track kind="captions" srclang="de" src="/film.vtt"></video>
<audio src="/ton.mp3" autoplay></audio>
<amt-karte></amt-karte>
<script>
customElements.define('amt-karte', class extends HTMLElement {
  constructor() { super(); this.attachShadow({mode: 'closed'}).innerHTML = '<button>Zoom</button>'; }
});
</script>
"""

KEYBOARD = """
<style>
  a:focus, button:focus { outline: none; }
  .kopf { position: fixed; top: 0; left: 0; right: 0; height: 120px; background: #fff; }
  .breit { width: 900px; }
</style>
<a href="#inhalt">Zum Inhalt</a>
<div class="kopf">Landkreis</div>
<p style="margin-top: 40px"><a href="/a.html">Unter dem Kopf</a></p>
<div class="breit">Eine sehr breite Tabelle aus Div-Elementen</div>
<button id="eins">Eins</button> <button id="zwei">Zwei</button>
<script>
// a trap: Tab and Shift+Tab on either button only ever reach the other one
for (const [from, to] of [['eins', 'zwei'], ['zwei', 'eins']]) {
  document.getElementById(from).addEventListener('keydown', (event) => {
    if (event.key === 'Tab') { event.preventDefault(); document.getElementById(to).focus(); }
  });
}
</script>
"""

KEYBOARD_CLEAN = """
<style>
  .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; }
  a:focus-visible { outline: 3px solid #005a9c; }
</style>
<a class="skip" href="#inhalt">Zum Inhalt</a>
<div id="inhalt"><a href="/a.html">Erster Artikel</a> <a href="/b.html">Zweiter Artikel</a></div>
"""


# An SVG link's href is an SVGAnimatedString, not a string; the page also makes HTML links' href an
# object. Both once crashed accessibility.document-link-type ("unhashable type: 'dict'").
SVG_LINKS = """
<svg width="200" height="40"><a href="/dokumente/satzung.pdf"><text x="0" y="20">Satzung</text></a></svg>
<p><a href="/dokumente/gebuehren.pdf">Gebühren</a></p>
<script>
Object.defineProperty(HTMLAnchorElement.prototype, 'href', { get() { return { baseVal: 'x' }; } });
</script>
"""


@pytest.fixture(scope="module")
def origin(local_web: LocalWeb) -> str:
    return local_web.site(
        "www.tastatur-pruefamt.de",
        {
            "/links/": page(LINKS, title="Links und Medien"),
            "/tastatur/": page(KEYBOARD, title="Tastatur"),
            "/tastatur-gut/": page(KEYBOARD_CLEAN, title="Tastatur gut"),
            "/svg-links/": page(SVG_LINKS, title="SVG-Links"),
        },
    )


async def _checked(browser, url: str, wcag_version: str = "2.1") -> tuple[PageCapture, dict[str, list]]:
    target = make_target(
        "Tastatur", [url], accessibility={"interaction_pages": 5, "wcag_version": wcag_version}
    )
    collectors = [c for c in for_target(load_all_collectors(), target) if c.name != "axe"]
    capture = await capture_page(browser, url, settings=FAST, collectors=collectors)
    context = CheckContext("Tastatur", target.first_party, "kreis", start_urls=target.start_urls)
    found: dict[str, list] = {}
    for located in run_page_checks(capture, context, REGISTRY).findings:
        found.setdefault(located.check.id, []).append(located.finding)
    return capture, found


async def test_generic_link_texts_document_links_media_and_closed_shadow_roots(browser, origin: str) -> None:
    capture, found = await _checked(browser, origin + "/links/")
    generic = found["accessibility.link-text-generic"]
    assert sorted(f.evidence["name"] for f in generic) == ["Mehr »", "weiterlesen"]
    assert all(f.result == "review" for f in generic)
    [document] = found["accessibility.document-link-type"]
    assert (
        document.evidence["href"].endswith("/dokumente/plan.pdf") and document.evidence["extension"] == "pdf"
    )
    [video] = found["accessibility.video-captions"]
    assert video.selector == "main > video:nth-of-type(1)"
    [audio] = found["accessibility.media-autoplay"]
    assert audio.evidence["autoplay"] is True and audio.selector.endswith("audio")
    [closed] = found["accessibility.closed-shadow-root"]
    assert closed.selector == "main > amt-karte" and closed.result == "review"
    assert "keyboard-reflow" in capture.extras  # sampled: the first pages get the walk


async def test_keyboard_walk_finds_trap_invisible_focus_obscured_focus_broken_skip_link_and_overflow(
    browser, origin: str
) -> None:
    capture, found = await _checked(browser, origin + "/tastatur/", wcag_version="2.2")  # 2.4.11 is WCAG 2.2
    [skip] = found["accessibility.skip-link"]
    assert skip.result == "fail" and skip.evidence["fragment"] == "inhalt"
    [trap] = found["accessibility.keyboard-trap"]
    assert trap.evidence["cycle"] == ["#eins", "#zwei"]
    invisible = {finding.selector for finding in found["accessibility.focus-visible"]}
    assert {"#eins", "#zwei"} <= invisible
    [obscured] = found["accessibility.focus-obscured"]
    assert obscured.selector == "main > div:nth-of-type(1)" and obscured.evidence["covered_count"] == 2
    [reflow] = found["accessibility.reflow"]
    assert reflow.evidence["overflow_px"] > 500 and reflow.selector == "main > div:nth-of-type(2)"
    walk = capture.extras["keyboard-reflow"]["keyboard"]
    assert walk["ending"] == "cycle"


async def test_the_clean_keyboard_twin_has_no_keyboard_findings(browser, origin: str) -> None:
    capture, found = await _checked(browser, origin + "/tastatur-gut/", wcag_version="2.2")
    keyboard_checks = {
        "accessibility.skip-link",
        "accessibility.keyboard-trap",
        "accessibility.focus-visible",
        "accessibility.focus-obscured",
        "accessibility.reflow",
    }
    assert keyboard_checks & set(found) == set()
    assert capture.extras["keyboard-reflow"]["keyboard"]["ending"] == "left-document"


async def test_interaction_collector_runs_only_on_its_sample(browser, origin: str) -> None:
    target = make_target("Stichprobe", [origin + "/"], accessibility={"interaction_pages": 1})
    [collector] = [c for c in for_target(load_all_collectors(), target) if c.name == "keyboard-reflow"]
    first = await capture_page(browser, origin + "/tastatur-gut/", settings=FAST, collectors=[collector])
    second = await capture_page(browser, origin + "/tastatur/", settings=FAST, collectors=[collector])
    assert "keyboard-reflow" in first.extras and "keyboard-reflow" not in second.extras
    context = CheckContext("Stichprobe", target.first_party, "kreis")
    outcome = run_page_checks(second, context, REGISTRY)
    assert "accessibility.reflow" not in outcome.tallies  # not sampled: not counted as evaluated


async def test_links_whose_href_is_not_a_string_crash_no_check(browser, origin: str) -> None:
    target = make_target("SVG", [origin + "/svg-links/"])
    collectors = [c for c in for_target(load_all_collectors(), target) if c.name != "axe"]
    capture = await capture_page(browser, origin + "/svg-links/", settings=FAST, collectors=collectors)
    context = CheckContext("SVG", target.first_party, "kreis", start_urls=target.start_urls)
    outcome = run_page_checks(capture, context, REGISTRY)
    assert {check: delta.errors for check, delta in outcome.tallies.items() if delta.errors} == {}
    documents = [f for f in outcome.findings if f.check.id == "accessibility.document-link-type"]
    assert sorted(f.finding.evidence["href"] for f in documents) == [
        origin + "/dokumente/gebuehren.pdf",  # the page's own href getter is not believed
        origin + "/dokumente/satzung.pdf",  # the SVG link, resolved from its attribute
    ]
