"""Bounded download and analysis of a crawled document (PDF), stored in the document page's extras.

Documents are recorded with HEAD (``scanner.crawl.documents``); a PDF within the size limit is then
fetched once through the scan's NetClient and analysed off the event loop. A PDF that is too large,
fails to download or cannot be read is recorded with the reason (``PdfNotAnalysed``), never treated
as analysed (``PdfFacts``; both in ``scanner.evidence.pdf``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from scanner.capture.pdf_analysis import analyse_pdf
from scanner.config.accessibility import AccessibilitySettings
from scanner.crawl.documents import DocumentInfo
from scanner.evidence.pdf import KIND, PdfFacts, PdfNotAnalysed
from scanner.net.client import HttpFailure, NetClient

PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})


def _is_pdf(info: DocumentInfo) -> bool:
    return info.content_type in PDF_TYPES or (
        info.content_type in (None, "application/octet-stream") and info.final_url.lower().endswith(".pdf")
    )


async def document_extras(
    client: NetClient, info: DocumentInfo, settings: AccessibilitySettings
) -> dict[str, Any]:
    """``{"pdf": evidence}`` for a PDF, as stored (JSON); ``{}`` for other documents."""
    if info.failure_class is not None or not _is_pdf(info) or settings.pdf_max_bytes == 0:
        return {}
    return {KIND: (await _analyse(client, info, settings.pdf_max_bytes)).to_json()}


async def _analyse(client: NetClient, info: DocumentInfo, limit: int) -> PdfFacts | PdfNotAnalysed:
    if info.size is not None and info.size > limit:
        return _too_large(info.size, limit)
    response = await client.fetch(info.final_url, max_bytes=limit)
    if isinstance(response, HttpFailure):
        return PdfNotAnalysed(f"download failed: {response.detail}", "download")
    if response.status >= 400:
        return PdfNotAnalysed(f"download failed: HTTP {response.status}", "download")
    if response.truncated:
        return _too_large(None, limit)
    return await asyncio.to_thread(analyse_pdf, response.body)


def _too_large(size: int | None, limit: int) -> PdfNotAnalysed:
    stated = f"{size} bytes" if size is not None else "more"
    return PdfNotAnalysed(f"larger than the limit of {limit} bytes ({stated})", "too_large", limit)
