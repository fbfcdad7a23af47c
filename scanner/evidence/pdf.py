"""Evidence of a PDF document: what it says about its accessibility, or why it was not analysed.

A document page found by the crawl keeps it in ``extras["pdf"]``: ``PdfFacts`` when the PDF was
downloaded and read (``scanner.capture.pdf_analysis``), else a ``PdfNotAnalysed`` record, which is
stored like a collector's failure (``{"error": ...}``) so that no check counts the document as
analysed. Documents of other types have no entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from scanner.evidence.records import NestedEvidence

if TYPE_CHECKING:
    from scanner.evidence import PageCapture

KIND = "pdf"


@dataclass(frozen=True)
class PdfFacts(NestedEvidence):
    """Plain facts, no judgement; the checks in ``checks/accessibility/pdf.py`` judge them."""

    KIND: ClassVar[str] = KIND

    bytes: int
    pdf_version: str
    pages: int
    marked: bool  # /MarkInfo /Marked true
    struct_tree: bool  # has a /StructTreeRoot
    lang: str | None  # the catalog's /Lang
    title: str | None  # Info /Title, else XMP dc:title
    display_doc_title: bool  # /ViewerPreferences /DisplayDocTitle
    pdfua_part: str | None  # XMP pdfuaid:part
    figures: int  # Figure structure elements (RoleMap included)
    figures_without_alt: int  # ... without /Alt and /ActualText
    links: int  # link annotations
    links_without_contents: int  # ... without /Contents
    pages_without_text: tuple[int, ...]  # 1-based numbers of pages without a text operator
    image_pages_without_text: tuple[int, ...]  # ... of them those that show an image (scans)
    text_pages_checked: int  # the first pages scanned for text (bounded)
    encrypted: bool
    accessibility_permitted: bool  # encryption lets assistive technology extract the text

    @property
    def tagged(self) -> bool:
        return self.marked and self.struct_tree


@dataclass(frozen=True)
class PdfNotAnalysed(NestedEvidence):
    KIND: ClassVar[str] = KIND

    error: str  # for people: what went wrong
    kind: str  # too_large, download, password, unreadable
    limit: int | None = None  # bytes, for too_large

    def as_evidence(self) -> dict[str, str | int]:
        """The record for a finding, without what does not apply."""
        return {
            "error": self.error,
            "kind": self.kind,
            **({"limit": self.limit} if self.limit is not None else {}),
        }


def pdf_not_analysed(capture: PageCapture) -> PdfNotAnalysed | None:
    """Why the PDF of a document page was not analysed; None when it was, or the page is no PDF."""
    if capture.collector_error(KIND) is None:
        return None
    return PdfNotAnalysed.from_json(capture.extras[KIND])
