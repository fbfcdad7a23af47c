"""PDF documents found by the crawl (EN 301 549 clause 10, PDF/UA, Matterhorn Protocol).

Evidence: a document page's ``PdfFacts``, or ``PdfNotAnalysed`` when the PDF could not be downloaded
or read (``scanner.evidence.pdf``). Each check judges one fact. The BITV-Test has no Prüfschritte for PDF
documents; the clause-10 requirements of EN 301 549 apply to them (BITV 2.0 §3, §2 "Dokumente").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from checks.accessibility.review_notes import NOTES
from scanner.evidence import PageCapture, PageKind
from scanner.evidence.pdf import PdfFacts, pdf_not_analysed
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

LAW = ("BITV 2.0 §3",)
ANALYSED = collected(PdfFacts.KIND)  # the PDF was downloaded and read


def _declare(
    check_id: str, severity: Severity, references: References, doc: CheckDoc
) -> Callable[[Callable[[PdfFacts], Iterator[Finding]]], Callable]:
    """Register a document check that judges the PDF facts of a document page."""

    def register(judge: Callable[[PdfFacts], Iterator[Finding]]) -> Callable:
        def run(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
            facts = capture.evidence(PdfFacts)
            return judge(facts) if facts is not None else iter(())

        _document_check(check_id, severity, references, doc, ANALYSED)(run)
        return judge

    return register


def _document_check(
    check_id: str,
    severity: Severity,
    references: References,
    doc: CheckDoc,
    requires: Callable[[PageCapture], bool] | None,
) -> Callable:
    return check(
        id=check_id,
        family=Family.ACCESSIBILITY,
        scope=Scope.PAGE,
        severity=severity,
        references=references,
        doc=doc,
        page_kinds=(PageKind.DOCUMENT,),
        requires=requires,
        review=NOTES.get(check_id),
    )


def _finding(result: Result, de: str, en: str, subject: str, **evidence: Any) -> Finding:
    return Finding(result=result, message=Text(de=de, en=en), subject=subject, evidence=evidence)


@_document_check(
    "accessibility.pdf.not-tested",
    Severity.MODERATE,
    References(en301549=("10",), law=LAW),
    CheckDoc(
        title=Text(de="PDF nicht geprüft", en="PDF not tested"),
        what=Text(
            de="PDF-Dokumente, die govscan nicht auswerten konnte: größer als pdf_max_bytes, Download "
            "gescheitert, passwortgeschützt oder nicht lesbar.",
            en="PDF documents govscan could not analyse: larger than pdf_max_bytes, download failed, "
            "password-protected or unreadable.",
        ),
        why=Text(
            de="Auch Dokumente müssen barrierefrei sein (EN 301 549 Kapitel 10). Ein ungeprüftes "
            "Dokument darf nicht als mangelfrei gelten.",
            en="Documents must be accessible too (EN 301 549 clause 10). An untested document must not "
            "count as free of defects.",
        ),
        how_to_fix=Text(
            de="Das Dokument von Hand prüfen (z. B. PAC oder veraPDF) oder pdf_max_bytes erhöhen.",
            en="Review the document by hand (e.g. PAC or veraPDF) or raise pdf_max_bytes.",
        ),
        example="larger than the limit of 20971520 bytes (35651584 bytes)",
    ),
    requires=None,
)
def pdf_not_tested(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    failure = pdf_not_analysed(capture)
    if failure is not None:
        yield _finding(
            Result.REVIEW,
            f"Das PDF wurde nicht ausgewertet: {failure.error}.",
            f"The PDF was not analysed: {failure.error}.",
            "pdf",
            **failure.as_evidence(),
        )


@_declare(
    "accessibility.pdf.untagged",
    Severity.SERIOUS,
    References(wcag=("1.3.1",), en301549=("10.1.3.1",), law=LAW, standards=("PDF/UA-1 7.1", "Matterhorn 01")),
    CheckDoc(
        title=Text(de="PDF ohne Tags (Struktur)", en="Untagged PDF"),
        what=Text(
            de="Das PDF ist nicht als getaggt gekennzeichnet (/MarkInfo /Marked true) oder hat keinen "
            "Strukturbaum (/StructTreeRoot).",
            en="The PDF is not marked as tagged (/MarkInfo /Marked true) or has no structure tree "
            "(/StructTreeRoot).",
        ),
        why=Text(
            de="Ohne Tags kennen Screenreader weder Überschriften, Listen und Tabellen noch die "
            "Lesereihenfolge (EN 301 549 10.1.3.1, entspricht WCAG 1.3.1; PDF/UA-1).",
            en="Without tags screen readers know neither headings, lists and tables nor the reading "
            "order (EN 301 549 10.1.3.1, equivalent to WCAG 1.3.1; PDF/UA-1).",
        ),
        how_to_fix=Text(
            de="Das Dokument aus der Quelle (Word, InDesign, LibreOffice) mit der Option „Tags/"
            "Barrierefreiheit“ neu exportieren; nachträglich mit einem PDF-Werkzeug taggen.",
            en="Export again from the source (Word, InDesign, LibreOffice) with the tagging option "
            "enabled, or tag it afterwards with a PDF tool.",
        ),
        example="<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked false >> >>  % no /StructTreeRoot",
    ),
)
def pdf_untagged(facts: PdfFacts) -> Iterator[Finding]:
    if not facts.tagged:
        yield _finding(
            Result.FAIL,
            "Das PDF ist nicht getaggt.",
            "The PDF is not tagged.",
            "pdf:tags",
            marked=facts.marked,
            struct_tree=facts.struct_tree,
        )


@_declare(
    "accessibility.pdf.language",
    Severity.SERIOUS,
    References(wcag=("3.1.1",), en301549=("10.3.1.1",), law=LAW, standards=("PDF/UA-1 7.2", "Matterhorn 11")),
    CheckDoc(
        title=Text(de="PDF ohne Dokumentsprache", en="PDF without document language"),
        what=Text(
            de="Der Dokumentkatalog hat keinen /Lang-Eintrag (oder einen leeren).",
            en="The document catalog has no /Lang entry (or an empty one).",
        ),
        why=Text(
            de="Ohne Sprachangabe lesen Screenreader den Text mit falscher Aussprache (EN 301 549 "
            "10.3.1.1, entspricht WCAG 3.1.1).",
            en="Without a language screen readers read the text with the wrong pronunciation (EN 301 549 "
            "10.3.1.1, equivalent to WCAG 3.1.1).",
        ),
        how_to_fix=Text(
            de="In den Dokumenteigenschaften die Sprache setzen (z. B. Deutsch), dann neu exportieren.",
            en="Set the language in the document properties (e.g. German), then export again.",
        ),
        example="<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R >>  % no /Lang",
    ),
)
def pdf_language(facts: PdfFacts) -> Iterator[Finding]:
    if not facts.lang:
        yield _finding(
            Result.FAIL, "Das PDF gibt keine Sprache an.", "The PDF declares no language.", "pdf:lang"
        )


@_declare(
    "accessibility.pdf.title",
    Severity.MODERATE,
    References(wcag=("2.4.2",), en301549=("10.2.4.2",), law=LAW, standards=("PDF/UA-1 7.1", "Matterhorn 06")),
    CheckDoc(
        title=Text(de="PDF ohne angezeigten Titel", en="PDF title missing or not displayed"),
        what=Text(
            de="Das PDF hat keinen Titel (Info /Title oder XMP dc:title), oder der Betrachter zeigt den "
            "Dateinamen statt des Titels an (/ViewerPreferences /DisplayDocTitle fehlt).",
            en="The PDF has no title (Info /Title or XMP dc:title), or viewers show the file name instead "
            "of the title (/ViewerPreferences /DisplayDocTitle missing).",
        ),
        why=Text(
            de="Der Titel sagt, worum es geht, und wird beim Öffnen vorgelesen (EN 301 549 10.2.4.2, "
            "entspricht WCAG 2.4.2; PDF/UA-1 verlangt DisplayDocTitle).",
            en="The title tells what the document is about and is announced on opening (EN 301 549 "
            "10.2.4.2, equivalent to WCAG 2.4.2; PDF/UA-1 requires DisplayDocTitle).",
        ),
        how_to_fix=Text(
            de="Titel in den Dokumenteigenschaften eintragen und „Beim Öffnen anzeigen: Dokumenttitel“ "
            "wählen.",
            en="Enter a title in the document properties and choose 'show document title' on opening.",
        ),
        example="<< /Title (Haushaltsplan 2026) >>  % no /ViewerPreferences << /DisplayDocTitle true >>",
    ),
)
def pdf_title(facts: PdfFacts) -> Iterator[Finding]:
    if not facts.title:
        yield _finding(Result.FAIL, "Das PDF hat keinen Titel.", "The PDF has no title.", "pdf:title")
    elif not facts.display_doc_title:
        yield _finding(
            Result.FAIL,
            "Der Titel des PDFs wird nicht angezeigt (DisplayDocTitle fehlt).",
            "The PDF's title is not displayed (DisplayDocTitle missing).",
            "pdf:display-doc-title",
            title=facts.title,
        )


@_declare(
    "accessibility.pdf.ua-identifier",
    Severity.MINOR,
    References(en301549=("10",), standards=("PDF/UA-1 (ISO 14289-1) 5", "Matterhorn 06-002")),
    CheckDoc(
        title=Text(de="PDF ohne PDF/UA-Kennung", en="PDF without PDF/UA identifier"),
        what=Text(
            de="Die XMP-Metadaten enthalten keine PDF/UA-Kennung (pdfuaid:part).",
            en="The XMP metadata carries no PDF/UA identifier (pdfuaid:part).",
        ),
        why=Text(
            de="Die Kennung erklärt, dass das Dokument nach PDF/UA erstellt wurde. Gesetzlich gefordert "
            "ist sie nicht; fehlt sie, wurde die Barrierefreiheit meist nicht geprüft: „zu prüfen“.",
            en="The identifier declares that the document was made to PDF/UA. The law does not require "
            "it; without it accessibility was usually not checked: review.",
        ),
        how_to_fix=Text(
            de="Beim Export PDF/UA wählen und das Ergebnis mit PAC oder veraPDF prüfen.",
            en="Choose PDF/UA on export and validate the result with PAC or veraPDF.",
        ),
        example='<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">  '
        "(no pdfuaid:part)",
    ),
)
def pdf_ua_identifier(facts: PdfFacts) -> Iterator[Finding]:
    if not facts.pdfua_part:
        yield _finding(
            Result.REVIEW,
            "Das PDF trägt keine PDF/UA-Kennung.",
            "The PDF carries no PDF/UA identifier.",
            "pdf:pdfua",
        )


@_declare(
    "accessibility.pdf.figure-alt",
    Severity.SERIOUS,
    References(wcag=("1.1.1",), en301549=("10.1.1.1",), law=LAW, standards=("PDF/UA-1 7.3", "Matterhorn 13")),
    CheckDoc(
        title=Text(
            de="Abbildungen im PDF ohne Alternativtext", en="Figures in the PDF without alternative text"
        ),
        what=Text(
            de="Figure-Strukturelemente (auch über die RoleMap) ohne /Alt und ohne /ActualText.",
            en="Figure structure elements (RoleMap included) without /Alt and without /ActualText.",
        ),
        why=Text(
            de="Bilder ohne Alternativtext bleiben für blinde Menschen stumm (EN 301 549 10.1.1.1, "
            "entspricht WCAG 1.1.1).",
            en="Images without alternative text are silent for blind people (EN 301 549 10.1.1.1, "
            "equivalent to WCAG 1.1.1).",
        ),
        how_to_fix=Text(
            de="Jeder informativen Abbildung in der Quelle einen Alternativtext geben; Schmuck als "
            "Artefakt kennzeichnen.",
            en="Give every informative image an alternative text in the source; mark decoration as an "
            "artifact.",
        ),
        example="<< /Type /StructElem /S /Figure /P 12 0 R /K 3 >>  % no /Alt, no /ActualText",
    ),
)
def pdf_figure_alt(facts: PdfFacts) -> Iterator[Finding]:
    if facts.figures_without_alt:
        yield _finding(
            Result.FAIL,
            f"{facts.figures_without_alt} von {facts.figures} Abbildungen haben keinen Alternativtext.",
            f"{facts.figures_without_alt} of {facts.figures} figures have no alternative text.",
            "pdf:figures",
            figures=facts.figures,
            figures_without_alt=facts.figures_without_alt,
        )


@_declare(
    "accessibility.pdf.no-text",
    Severity.SERIOUS,
    References(
        wcag=("1.1.1", "1.4.5"), en301549=("10.1.1.1", "10.1.4.5"), law=LAW, standards=("Matterhorn 01-003",)
    ),
    CheckDoc(
        title=Text(de="PDF-Seiten ohne Text (Scan)", en="PDF pages without text (scans)"),
        what=Text(
            de="Seiten, deren Inhalt keinen einzigen Textoperator enthält; zeigen sie ein Bild, sind es "
            "vermutlich Scans ohne Texterkennung.",
            en="Pages whose content has no text operator at all; if they show an image, they are probably "
            "scans without text recognition.",
        ),
        why=Text(
            de="Gescannter Text ist für Screenreader ein Bild ohne Inhalt (EN 301 549 10.1.1.1 und "
            "10.1.4.5). Leere Seiten oder reine Grafiken sind möglich: „zu prüfen“, bei Bildseiten Fail.",
            en="Scanned text is an image without content to screen readers (EN 301 549 10.1.1.1, "
            "10.1.4.5). Blank or purely graphic pages exist: review; pages showing an image fail.",
        ),
        how_to_fix=Text(
            de="Das Original als Text-PDF exportieren oder eine Texterkennung (OCR) mit Tagging durchführen.",
            en="Export the original as a text PDF or run text recognition (OCR) with tagging.",
        ),
        example="page 1: q 595 0 0 842 0 0 cm /Im0 Do Q  % one image, no BT … ET",
    ),
)
def pdf_no_text(facts: PdfFacts) -> Iterator[Finding]:
    scanned = facts.image_pages_without_text
    blank = [page for page in facts.pages_without_text if page not in scanned]
    if scanned:
        yield _finding(
            Result.FAIL,
            f"{len(scanned)} Seite(n) zeigen nur ein Bild ohne Text (Scan): {_pages(scanned)}.",
            f"{len(scanned)} page(s) show only an image without text (scan): {_pages(scanned)}.",
            "pdf:scanned-pages",
            pages=list(scanned[:50]),
        )
    if blank:
        yield _finding(
            Result.REVIEW,
            f"{len(blank)} Seite(n) ohne Text: {_pages(blank)}.",
            f"{len(blank)} page(s) without text: {_pages(blank)}.",
            "pdf:pages-without-text",
            pages=blank[:50],
        )


@_declare(
    "accessibility.pdf.link-description",
    Severity.MODERATE,
    References(
        wcag=("2.4.4",), en301549=("10.2.4.4",), law=LAW, standards=("PDF/UA-1 7.18.5", "Matterhorn 28-010")
    ),
    CheckDoc(
        title=Text(de="Links im PDF ohne Beschreibung", en="Links in the PDF without description"),
        what=Text(
            de="Link-Anmerkungen ohne /Contents (Beschreibung des Ziels).",
            en="Link annotations without /Contents (a description of the target).",
        ),
        why=Text(
            de="PDF/UA-1 verlangt für jeden Link eine Beschreibung; sonst hören Screenreader-Nutzende nur "
            "die Adresse oder nichts (EN 301 549 10.2.4.4, entspricht WCAG 2.4.4).",
            en="PDF/UA-1 requires a description for every link; otherwise screen reader users hear only "
            "the address or nothing (EN 301 549 10.2.4.4, equivalent to WCAG 2.4.4).",
        ),
        how_to_fix=Text(
            de="Links in der Quelle mit Text versehen und mit Tags exportieren; sonst die Beschreibung im "
            "PDF-Werkzeug ergänzen.",
            en="Give links text in the source and export with tags; else add the description in a PDF tool.",
        ),
        example="<< /Subtype /Link /A << /S /URI /URI (https://www.example.de/antrag) >> >>  % no /Contents",
    ),
)
def pdf_link_description(facts: PdfFacts) -> Iterator[Finding]:
    if facts.links_without_contents:
        yield _finding(
            Result.FAIL,
            f"{facts.links_without_contents} von {facts.links} Links haben keine Beschreibung.",
            f"{facts.links_without_contents} of {facts.links} links have no description.",
            "pdf:links",
            links=facts.links,
            links_without_contents=facts.links_without_contents,
        )


def _pages(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:10])
    return shown + (" …" if len(numbers) > 10 else "")
