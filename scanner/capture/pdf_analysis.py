"""What a PDF says about its accessibility, read with pikepdf (qpdf): plain facts, no judgement.

Tags and structure tree, document language, title and whether viewers show it, the PDF/UA
identifier, figures with and without alternative text, link annotations with and without a
description, pages without any text-showing operator (scans), encryption that blocks assistive
technology (``scanner.evidence.pdf.PdfFacts``). The checks in ``checks/accessibility/pdf.py`` judge
these facts (EN 301 549 clause 10).
"""

from __future__ import annotations

import io

import pikepdf

from scanner.evidence.pdf import PdfFacts, PdfNotAnalysed

MAX_STRUCT_NODES = 50_000  # structure elements visited at most: a huge tree must not stall the scan
MAX_TEXT_PAGES = 300  # pages whose content streams are scanned for text
TEXT_OPERATORS = ("Tj", "TJ", "'", '"')


def analyse_pdf(data: bytes) -> PdfFacts | PdfNotAnalysed:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return _facts(pdf, len(data))
    except pikepdf.PasswordError:
        return PdfNotAnalysed("the PDF needs a password to open", "password")
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        return PdfNotAnalysed(f"not a readable PDF: {str(error)[:300]}", "unreadable")


def _facts(pdf: pikepdf.Pdf, size: int) -> PdfFacts:
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info is not None and mark_info.get("/Marked", False))
    struct_root = root.get("/StructTreeRoot")
    lang = root.get("/Lang")
    viewer = root.get("/ViewerPreferences")
    metadata = _xmp(pdf)
    info_title = str(pdf.docinfo.get("/Title", "")).strip() if pdf.docinfo is not None else ""
    figures = _figures(struct_root) if struct_root is not None else {"figures": 0, "without_alt": 0}
    links, links_without = _links(pdf)
    without_text, scanned = _pages_without_text(pdf)
    return PdfFacts(
        bytes=size,
        pdf_version=pdf.pdf_version,
        pages=len(pdf.pages),
        marked=marked,
        struct_tree=struct_root is not None,
        lang=str(lang).strip() if lang is not None else None,
        title=info_title or metadata.get("dc:title") or None,
        display_doc_title=bool(viewer is not None and viewer.get("/DisplayDocTitle", False)),
        pdfua_part=metadata.get("pdfuaid:part"),
        figures=figures["figures"],
        figures_without_alt=figures["without_alt"],
        links=links,
        links_without_contents=links_without,
        pages_without_text=tuple(without_text),
        image_pages_without_text=tuple(scanned),
        text_pages_checked=min(len(pdf.pages), MAX_TEXT_PAGES),
        encrypted=pdf.is_encrypted,
        accessibility_permitted=bool(pdf.allow.accessibility) if pdf.is_encrypted else True,
    )


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            title = meta.get("dc:title")
            part = meta.get("pdfuaid:part")
            return {key: str(value) for key, value in (("dc:title", title), ("pdfuaid:part", part)) if value}
    except Exception:  # broken XMP is common and says nothing about tags or text
        return {}


def _figures(struct_root: pikepdf.Object) -> dict[str, int]:
    """Figure structure elements (also custom types the RoleMap maps to Figure) and their /Alt."""
    role_map = struct_root.get("/RoleMap")
    figure_types = {"/Figure"}
    if isinstance(role_map, pikepdf.Dictionary):
        figure_types |= {str(key) for key, value in role_map.items() if str(value) == "/Figure"}
    counts = {"figures": 0, "without_alt": 0}
    stack = [struct_root.get("/K")]
    visited = 0
    while stack and visited < MAX_STRUCT_NODES:
        node = stack.pop()
        visited += 1
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if str(node.get("/S", "")) in figure_types:
                counts["figures"] += 1
                if "/Alt" not in node and "/ActualText" not in node:
                    counts["without_alt"] += 1
            if "/K" in node:
                stack.append(node.get("/K"))
    return counts


def _links(pdf: pikepdf.Pdf) -> tuple[int, int]:
    links = without = 0
    for page in pdf.pages:
        for annotation in page.get("/Annots", None) or []:
            if isinstance(annotation, pikepdf.Dictionary) and annotation.get("/Subtype") == "/Link":
                links += 1
                if not str(annotation.get("/Contents", "")).strip():
                    without += 1
    return links, without


def _pages_without_text(pdf: pikepdf.Pdf) -> tuple[list[int], list[int]]:
    """Page numbers (1-based) with no text operator, and those of them that show an image (scans)."""
    without_text, scanned = [], []
    for number, page in enumerate(pdf.pages[:MAX_TEXT_PAGES], 1):
        try:
            has_text, has_image = _content(page.obj, depth=0)
        except pikepdf.PdfError:
            continue
        if not has_text:
            without_text.append(number)
            if has_image:
                scanned.append(number)
    return without_text, scanned


def _content(owner: pikepdf.Object, depth: int) -> tuple[bool, bool]:
    """(shows text, shows an image) for a page or form XObject, looking into the forms it draws."""
    instructions = pikepdf.parse_content_stream(owner)
    operators = {str(operator) for _, operator in instructions}
    has_text = bool(operators & set(TEXT_OPERATORS))
    has_image = "BI" in operators
    if "Do" in operators and depth < 3:
        resources = owner.get("/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        for operands, operator in instructions:
            if str(operator) != "Do" or not isinstance(xobjects, pikepdf.Dictionary):
                continue
            drawn = xobjects.get(str(operands[0]))
            if drawn is None:
                continue
            if drawn.get("/Subtype") == "/Image":
                has_image = True
            elif drawn.get("/Subtype") == "/Form":
                text, image = _content(drawn, depth + 1)
                has_text, has_image = has_text or text, has_image or image
    return has_text, has_image
