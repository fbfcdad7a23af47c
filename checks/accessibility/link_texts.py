"""Link texts axe does not judge: generic German link texts, document links that hide their type."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from checks.accessibility.review_notes import NOTES
from scanner.crawl.urls import document_extension
from scanner.evidence import PageCapture
from scanner.evidence.accessibility_dom import DomEvidence, NamedLink
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
    collected,
)

DOM = DomEvidence.KIND
_DECORATION = re.compile(r"[\s.,:;!?…»«›‹→←>()\[\]\"'„“”-]+")
# Words that name a document type in a link's name, besides the extension itself.
TYPE_WORDS = {
    "doc": ("word",),
    "docx": ("doc", "word"),
    "xls": ("excel",),
    "xlsx": ("xls", "excel"),
    "ppt": ("powerpoint",),
    "pptx": ("ppt", "powerpoint"),
    "odt": ("opendocument",),
    "ods": ("opendocument",),
    "odp": ("opendocument",),
    "odg": ("opendocument",),
    "epub": ("e-book", "ebook"),
}


@cache
def generic_link_texts() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "generic_link_texts.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _links(capture: PageCapture) -> tuple[NamedLink, ...]:
    evidence = capture.evidence(DomEvidence)
    return evidence.links if evidence is not None else ()


def normalised_link_name(name: str) -> str:
    return _DECORATION.sub(" ", name.lower()).strip()


def is_generic(name: str) -> bool:
    return normalised_link_name(name) in generic_link_texts()


def names_its_type(name: str, extension: str) -> bool:
    words = set(re.findall(r"[a-z0-9-]+", name.lower()))
    return bool(words & {extension, *TYPE_WORDS.get(extension, ())})


@check(
    id="accessibility.link-text-generic",
    review=NOTES["accessibility.link-text-generic"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(wcag=("2.4.4",), en301549=("9.2.4.4",), bitv=("9.2.4.4",), law=("BITV 2.0 §3",)),
    doc=CheckDoc(
        title=Text(de="Nichtssagender Linktext", en="Generic link text"),
        what=Text(
            de="Links, deren zugänglicher Name nur „hier“, „mehr“, „weiterlesen“, „klicken Sie hier“ o. Ä. "
            "lautet (Liste in checks/accessibility/data/generic_link_texts.txt). axe-core prüft nur, ob "
            "ein Link überhaupt einen Namen hat, nicht ob er etwas aussagt.",
            en="Links whose accessible name is only 'hier' (here), 'mehr' (more), 'weiterlesen' (read more), "
            "'klicken Sie hier' (click here) or similar. axe-core only checks that a link has a name, not "
            "that it says anything.",
        ),
        why=Text(
            de="Screenreader-Nutzende lassen sich Links oft als Liste ausgeben; dort steht dann zehnmal "
            "„mehr“. Der Zweck muss aus dem Link oder seinem Kontext hervorgehen (WCAG 2.4.4, EN 301 549 "
            "9.2.4.4). Ob der Kontext genügt, muss ein Mensch beurteilen: daher „zu prüfen“.",
            en="Screen reader users often list all links of a page; 'more' ten times says nothing. The "
            "purpose must follow from the link or its context (WCAG 2.4.4); whether the context suffices "
            "needs a person, hence review.",
        ),
        how_to_fix=Text(
            de="Den Linktext aussagekräftig machen („Pressemitteilung zum Haushalt 2026 lesen“) oder den "
            "sichtbaren Text per visuell verstecktem Zusatz bzw. aria-label ergänzen, der den sichtbaren "
            "Text enthält.",
            en="Make the link text meaningful ('Read the press release on the 2026 budget') or add a "
            "visually hidden extension or an aria-label that contains the visible text.",
        ),
        example='<a href="/presse/haushalt-2026.html">weiterlesen</a>',
    ),
    requires=collected(DOM),
)
def link_text_generic(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for link in _links(capture):
        if not is_generic(link.name):
            continue
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"Der Linktext „{link.name}“ sagt allein nichts über das Ziel aus.",
                en=f"The link text '{link.name}' says nothing about its target on its own.",
            ),
            selector=link.selector,
            snippet=link.html,
            evidence={"name": link.name, "href": link.href},
        )


@check(
    id="accessibility.document-link-type",
    review=NOTES["accessibility.document-link-type"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MINOR,
    references=References(wcag=("2.4.4",), en301549=("9.2.4.4",), bitv=("9.2.4.4",), law=("BITV 2.0 §3",)),
    doc=CheckDoc(
        title=Text(
            de="Link auf ein Dokument ohne Angabe des Dateiformats",
            en="Link to a document without its file type",
        ),
        what=Text(
            de="Links auf PDF-, Word-, Excel-, PowerPoint-, OpenDocument-, RTF- oder ZIP-Dateien, deren "
            "Name das Format nicht nennt.",
            en="Links to PDF, Word, Excel, PowerPoint, OpenDocument, RTF or ZIP files whose name does not "
            "say the format.",
        ),
        why=Text(
            de="Wer einen Link aktiviert, muss wissen, dass ein Dokument statt einer Seite geöffnet wird "
            "(oft in einem anderen Programm, oft nicht barrierefrei). Der BITV-Test erwartet beim "
            "Prüfschritt 9.2.4.4 das Format im Linktext; Größe und Barrierefreiheit sind gute Praxis.",
            en="A person activating a link must know that a document opens instead of a page (often in "
            "another program, often not accessible). The BITV-Test expects the format in the link text "
            "for step 9.2.4.4; size and accessibility are good practice.",
        ),
        how_to_fix=Text(
            de="Format und Größe in den Linktext aufnehmen: „Haushaltsplan 2026 (PDF, 3 MB)“.",
            en="Put format and size into the link text: 'Budget 2026 (PDF, 3 MB)'.",
        ),
        example='<a href="/dokumente/haushaltsplan-2026.pdf">Haushaltsplan 2026</a>',
    ),
    requires=collected(DOM),
)
def document_link_type(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for link in _links(capture):
        extension = document_extension(link.href)
        if extension is None or names_its_type(f"{link.name} {link.title}", extension):
            continue
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"Der Link „{link.name}“ führt zu einer {extension.upper()}-Datei, ohne das Format "
                f"zu nennen.",
                en=f"The link '{link.name}' leads to a {extension.upper()} file without naming the format.",
            ),
            selector=link.selector,
            snippet=link.html,
            evidence={"name": link.name, "href": link.href, "extension": extension},
        )
