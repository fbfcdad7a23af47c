"""PDFs made by the tests themselves (pikepdf), with the accessibility facts the PDF checks judge."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

TEXT = b"BT /F1 12 Tf 20 100 Td (Haushaltsplan 2026) Tj ET"
IMAGE = b"q 180 0 0 180 10 10 cm /Im0 Do Q"


def _page(pdf: pikepdf.Pdf, content: bytes, *, annotations: list | None = None) -> pikepdf.Page:
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    image = pdf.make_stream(
        b"\x80\x80\x80", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
        ColorSpace=Name.DeviceRGB, BitsPerComponent=8,
    )  # fmt: skip
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, 200, 200]),
        Contents=pdf.make_stream(content),
        Resources=Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(Im0=image)),
    )
    if annotations:
        page.Annots = Array(annotations)
    return pikepdf.Page(page)


def _bytes(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def untagged_pdf() -> bytes:
    """One page of text; no tags, no language, no title: what an office 'print to PDF' gives."""
    pdf = pikepdf.new()
    pdf.pages.append(_page(pdf, TEXT))
    return _bytes(pdf)


def tagged_pdf(*, faults: bool) -> bytes:
    """Tagged, with language, title and PDF/UA id. ``faults``: a figure without alt, a link without
    description, a scanned page and a blank page; without faults every figure and link is described."""
    pdf = pikepdf.new()
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([10, 10, 100, 30]))
    if not faults:
        link.Contents = pikepdf.String("Zur Website des Landkreises")
    pdf.pages.append(_page(pdf, TEXT + b"\n" + IMAGE, annotations=[pdf.make_indirect(link)]))
    if faults:
        pdf.pages.append(_page(pdf, IMAGE))  # a scan: an image and no text
        pdf.pages.append(_page(pdf, b""))  # blank
    described = Dictionary(Type=Name.StructElem, S=Name.Figure, Alt=pikepdf.String("Wappen"))
    bild = Dictionary(Type=Name.StructElem, S=Name.Bild)  # a custom type, mapped to Figure below
    if not faults:
        bild.ActualText = pikepdf.String("Karte des Landkreises")
    document = Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([described, bild]))
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        Dictionary(Type=Name.StructTreeRoot, K=document, RoleMap=Dictionary(Bild=Name.Figure))
    )
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String("de-DE")
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with pdf.open_metadata() as meta:
        meta["pdfuaid:part"] = "1"
    pdf.docinfo["/Title"] = "Haushaltsplan 2026"  # after the XMP block, which syncs the Info dictionary
    return _bytes(pdf)
