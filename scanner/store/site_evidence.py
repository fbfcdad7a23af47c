"""Site checks read the whole scan through this view over the stored pages."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.orm import defer
from sqlmodel import select

from scanner.evidence import FailureClass, Link, PageCapture, PageKind, PageStatus, Redirect, Scenario
from scanner.store.db import session
from scanner.store.models import Page

BATCH = 200


class StoredSiteEvidence:
    """Pages are read in batches, so a site check over 10,000 pages keeps memory flat."""

    def __init__(self, engine: Engine, scan_id: int) -> None:
        self.engine = engine
        self.scan_id = scan_id

    def pages(
        self, scenario: Scenario = Scenario.FIRST_VISIT, *, with_dom: bool = False
    ) -> Iterator[PageCapture]:
        """The stored pages of one scenario; their DOM only when asked (it is the bulk of a page)."""
        last_id = 0
        while True:
            query = (
                select(Page)
                .where(Page.scan_id == self.scan_id, Page.scenario == scenario.value, Page.id > last_id)
                .order_by(Page.id)
                .limit(BATCH)
            )
            if not with_dom:
                query = query.options(defer(Page.dom_html_gz))
            with session(self.engine) as db:
                rows = db.exec(query).all()
                captures = [page_capture_from_row(row, with_dom=with_dom) for row in rows]
            if not rows:
                return
            yield from captures
            last_id = rows[-1].id


def page_capture_from_row(row: Page, *, with_dom: bool = True) -> PageCapture:
    """The stored part of a capture (requests, cookies and storage live in their own tables)."""
    return PageCapture(
        url=row.url,
        scenario=Scenario(row.scenario),
        final_url=row.final_url or row.url,
        status=row.http_status,
        kind=PageKind(row.kind),
        page_status=PageStatus(row.status),
        failure_class=FailureClass(row.failure_class) if row.failure_class else None,
        failure_detail=row.failure_detail,
        redirect_chain=tuple(Redirect(**hop) for hop in row.redirect_chain),
        response_headers=tuple((name, value) for name, value in row.response_headers),
        content_type=row.content_type,
        content_length=row.content_length,
        links=tuple(Link(href, text, rel) for href, text, rel in row.links),
        frames=tuple(row.frames),
        dom_html=_dom(row) if with_dom else "",
        title=row.title,
        html_lang=row.html_lang,
        extras=row.extras or {},
    )


def _dom(row: Page) -> str:
    return gzip.decompress(row.dom_html_gz).decode("utf-8", "replace") if row.dom_html_gz else ""
