"""The accessibility family's typed evidence: JSON as stored before versions were recorded still reads,
and what is written now has the same shape plus its version."""

from __future__ import annotations

import pytest

from scanner.evidence import PageCapture, PageKind, Scenario
from scanner.evidence.accessibility_dom import DomEvidence, MediaTrack
from scanner.evidence.axe import AxeEvidence, RuleCounts
from scanner.evidence.interaction import InteractionEvidence
from scanner.evidence.pdf import PdfFacts, PdfNotAnalysed, pdf_not_analysed
from scanner.evidence.typed import EvidenceVersionError

# As govscan stored them before evidence was typed (no "version"): the reading side must keep up.
STORED_AXE = {
    "axe_version": "4.12.1",
    "wcag_version": "2.1",
    "tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    "duration_ms": 812,
    "frames": [
        {"path": [], "url": "https://www.amt.de/", "tested": True},
        {"path": ["iframe"], "url": "https://karten.de/", "tested": False, "reason": "no answer"},
    ],
    "rules": {
        "image-alt": {"violations": 1, "incomplete": 0, "passes": 2, "inapplicable": 0},
        "video-caption": {"violations": 0, "incomplete": 0, "passes": 0, "inapplicable": 1},
    },
    "violations": [
        {
            "id": "image-alt",
            "impact": "critical",
            "help": "Bilder müssen alternativen Text haben",
            "nodes": [
                {
                    "target": ["#host", ["amt-karte", "img"]],
                    "frame_path": ["#host"],
                    "frame_url": None,
                    "html": "<img src='a.png'>",
                    "impact": "critical",
                    "summary": "Beheben Sie eines der folgenden Probleme: ...",
                    "data": {},
                }
            ],
            "node_count": 3,
        }
    ],
    "incomplete": [],
}
STORED_DOM = {
    "links": [
        {"href": "https://www.amt.de/plan.pdf", "name": "Plan", "text": "Plan", "title": "", "selector": "a",
         "html": "<a href='plan.pdf'>Plan</a>"},
    ],
    "media": [
        {"tag": "video", "selector": "main > video", "html": "<video>", "src": "/film.mp4", "autoplay": True,
         "playing": False, "muted": True, "controls": False, "loop": False, "duration": None,
         "tracks": [{"kind": "captions", "srclang": "de"}]},
    ],
    "closed_shadow_roots": [{"selector": "main > amt-karte", "tag": "amt-karte", "html": "<amt-karte>"}],
}  # fmt: skip
STORED_INTERACTION = {  # from before the durations were recorded
    "keyboard": {
        "max_tabs": 40,
        "ending": "cycle",
        "cycle_start": 1,
        "stops": [
            {"kind": "frame", "selector": "iframe", "tag": "iframe", "html": "<iframe>", "text": ""},
            {"kind": "element", "selector": "#eins", "tag": "a", "html": "<a id=eins>", "text": "Eins",
             "rect": [0, 0, 50, 20], "style": {"outlineStyle": "none"}, "visible": True, "fragment": "inhalt",
             "target_exists": False, "unfocused_style": {"outlineStyle": "none"},
             "covered_by": {"selector": "header", "position": "fixed", "html": "<header>"}},
        ],
    },
    "reflow": {"width": 320, "client_width": 320, "overflow_px": 0, "offenders": []},
}  # fmt: skip
STORED_PDF = {
    "bytes": 1200, "pdf_version": "1.7", "pages": 3, "marked": True, "struct_tree": True, "lang": "de-DE",
    "title": "Haushaltsplan", "display_doc_title": True, "pdfua_part": "1", "figures": 2,
    "figures_without_alt": 1, "links": 1, "links_without_contents": 0, "pages_without_text": [2, 3],
    "image_pages_without_text": [2], "text_pages_checked": 3, "encrypted": False,
    "accessibility_permitted": True,
}  # fmt: skip


@pytest.mark.parametrize(
    "kind, stored",
    [
        (AxeEvidence, STORED_AXE),
        (DomEvidence, STORED_DOM),
        (InteractionEvidence, STORED_INTERACTION),
        (PdfFacts, STORED_PDF),
        (PdfNotAnalysed, {"error": "larger than the limit", "kind": "too_large", "limit": 3000}),
    ],
)
def test_evidence_stored_before_versions_reads_and_is_written_in_the_same_shape(kind, stored) -> None:
    evidence = kind.from_json(stored)
    written = evidence.to_json()
    assert written.pop("version") == 1
    assert _keys(written) >= _keys(stored)  # every key kept; new ones (reason: null) may be added
    assert kind.from_json(evidence.to_json()) == evidence


def _keys(value, path: str = "") -> set[str]:
    """All key paths of a JSON value, list items merged."""
    if isinstance(value, dict):
        return {f"{path}/{key}" for key in value} | {
            nested for key, item in value.items() for nested in _keys(item, f"{path}/{key}")
        }
    if isinstance(value, list):
        return {nested for item in value for nested in _keys(item, f"{path}[]")}
    return set()


def test_nested_records_come_back_typed() -> None:
    axe = AxeEvidence.from_json(STORED_AXE)
    assert (
        axe.rules["video-caption"] == RuleCounts(inapplicable=1) and not axe.rules["video-caption"].applicable
    )
    [node] = axe.violations[0].nodes
    assert node.target == ("#host", ["amt-karte", "img"]) and axe.violations[0].nodes_left_out
    assert [frame.url for frame in axe.untested_frames] == ["https://karten.de/"]
    dom = DomEvidence.from_json(STORED_DOM)
    assert dom.media[0].tracks == (MediaTrack("captions", "de"),) and dom.media[0].duration is None
    walk = InteractionEvidence.from_json(STORED_INTERACTION)
    frame, element = walk.keyboard.stops
    assert frame.rect is None and frame.covered_by is None and walk.duration_ms is None
    assert element.rect == (0, 0, 50, 20) and element.covered_by.position == "fixed"
    assert walk.keyboard.elements == (element,)
    assert PdfFacts.from_json(STORED_PDF).pages_without_text == (2, 3)


def test_evidence_of_a_newer_govscan_is_refused() -> None:
    with pytest.raises(EvidenceVersionError, match="a11y-dom"):
        DomEvidence.from_json({**STORED_DOM, "version": 2})


def test_a_pdf_that_was_not_analysed_is_no_facts_but_its_reason() -> None:
    def document(stored: dict | None) -> PageCapture:
        extras = {"pdf": stored} if stored is not None else {}
        url = "https://www.amt.de/plan.pdf"
        return PageCapture(url, Scenario.FIRST_VISIT, url, 200, kind=PageKind.DOCUMENT, extras=extras)

    too_large = document(PdfNotAnalysed("larger than the limit", "too_large", 3000).to_json())
    assert too_large.evidence(PdfFacts) is None
    assert pdf_not_analysed(too_large) == PdfNotAnalysed("larger than the limit", "too_large", 3000)
    analysed = document(STORED_PDF)
    assert pdf_not_analysed(analysed) is None and analysed.evidence(PdfFacts).tagged
    assert pdf_not_analysed(document(None)) is None  # not a PDF
