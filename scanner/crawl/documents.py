"""Recording a document (PDF, Office) without downloading or rendering it: type and size only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.evidence import FailureClass, Redirect
from scanner.net.client import HttpFailure, HttpResponse, NetClient

REFUSED_HEAD = frozenset({405, 501})  # "method not allowed" / "not implemented": try a GET
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:\d+-\d+|\*)/(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentInfo:
    url: str
    final_url: str
    status: int | None
    content_type: str | None  # media type without parameters, lower case
    size: int | None  # bytes, from Content-Length or the total in Content-Range
    method: str = "HEAD"  # "HEAD", or "GET" when the range GET fallback answered
    redirect_chain: tuple[Redirect, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    failure_class: FailureClass | None = None
    failure_detail: str | None = None


async def probe_document(client: NetClient, url: str) -> DocumentInfo:
    """HEAD the document; when HEAD is refused (405/501) or fails, GET its first byte instead."""
    head = await client.fetch(url, method="HEAD")
    if isinstance(head, HttpResponse) and head.status not in REFUSED_HEAD:
        return _info(url, head, "HEAD")
    # A server that ignores Range sends the whole file: max_bytes=1 stops reading after a byte.
    get = await client.fetch(url, headers={"Range": "bytes=0-0"}, max_bytes=1)
    if isinstance(get, HttpResponse):
        return _info(url, get, "GET")
    detail = get.detail
    if isinstance(head, HttpFailure):
        detail = f"HEAD: {head.failure_class.value}: {head.detail}; GET: {get.detail}"
    return DocumentInfo(
        url, get.url, None, None, None, "GET", failure_class=get.failure_class, failure_detail=detail
    )


def _info(url: str, response: HttpResponse, method: str) -> DocumentInfo:
    failed = response.status >= 400 and response.status != 416
    return DocumentInfo(
        url=url,
        final_url=response.url,
        status=response.status,
        content_type=response.content_type or None,
        size=_size(response),
        method=method,
        redirect_chain=tuple(Redirect(*hop) for hop in response.history),
        headers=response.headers,
        failure_class=FailureClass.HTTP_ERROR if failed else None,
        failure_detail=f"HTTP {response.status}" if failed else None,
    )


def _size(response: HttpResponse) -> int | None:
    # A 206 (or a 416 for an empty file: "bytes */0") states the full size in Content-Range;
    # its Content-Length is only that of the requested range.
    match = _CONTENT_RANGE.match(response.header("content-range") or "")
    if match:
        return int(match[1])
    if response.status == 206:
        return None
    length = (response.header("content-length") or "").split(",")[0].strip()
    return int(length) if length.isdigit() else None
