"""The crawl frontier, kept in the database so that memory stays flat and a killed scan resumes.

Order is breadth-first: the shallowest queued URL first, ties in discovery order. A URL is queued
once per scan (unique key on the normalised URL), whoever finds it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner.crawl.scope import CrawlScope
from scanner.crawl.urls import looks_like_document, normalise_url, url_key
from scanner.net.hostnames import host_of
from scanner.store.frontier import claim_next, count_items, queue_items, requeue_in_progress
from scanner.store.models import FrontierItem

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class Discovered:
    url: str
    depth: int
    source: str  # start | link | sitemap | redirect
    discovered_from: str | None = None


class Frontier:
    def __init__(self, scan_id: int, scope: CrawlScope, *, max_depth: int, drop_params: Iterable[str] = ()):
        self.scan_id = scan_id
        self.scope = scope
        self.max_depth = max_depth
        self.drop_params = tuple(drop_params)

    def normalise(self, url: str, base: str | None = None) -> str | None:
        return normalise_url(url, drop_params=self.drop_params, base=base)

    def add(self, session: Session, found: Iterable[Discovered], *, force_scope: bool = False) -> int:
        """Queue the in-scope URLs not seen before in this scan; returns how many were new.

        ``force_scope`` admits first-party URLs that include/exclude patterns would reject: the
        start URLs are always visited.
        """
        rows: dict[str, dict] = {}
        for item in found:
            if item.depth > self.max_depth:
                continue
            url = self.normalise(item.url)
            if url is None or not (
                self.scope.first_party.contains_url(url) if force_scope else self.scope.allows(url)
            ):
                continue
            key = url_key(url)
            rows.setdefault(
                key,
                {
                    "scan_id": self.scan_id,
                    "url": url,
                    "url_key": key,
                    "host": host_of(url),
                    "depth": item.depth,
                    "kind": "document" if looks_like_document(url) else "html",
                    "source": item.source,
                    "discovered_from": item.discovered_from,
                    "state": "queued",
                },
            )
        return queue_items(session, list(rows.values()))

    def claim(
        self,
        session: Session,
        host_is_free: Callable[[str], bool],
        kinds: Iterable[str] = ("html", "document"),
    ) -> FrontierItem | None:
        """Mark the next queued item of ``kinds`` whose host is free as in progress and return it."""
        return claim_next(session, self.scan_id, host_is_free, kinds)

    def count(self, session: Session, state: str) -> int:
        return count_items(session, self.scan_id, state)

    def requeue_unfinished(self, session: Session) -> int:
        """After a crash: items that were in flight go back to the queue (their pages were not stored)."""
        return requeue_in_progress(session, self.scan_id)
