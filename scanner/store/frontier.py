"""The crawl frontier's rows: queue, claim, count, requeue, mark done (``scanner.crawl.frontier``
decides what to queue).

One row per URL and scan (unique key on the normalised URL); order is breadth-first: the
shallowest queued URL first, ties in discovery order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from scanner.store.models import FrontierItem
from scanner.store.upsert import insert_ignoring_duplicates

CLAIM_WINDOW = 64  # queued items looked at per claim, to find one whose host is free


def queue_items(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert frontier rows; URLs already queued in their scan are skipped. Returns how many were new.

    A URL still waiting in the queue that is found again on a shallower path takes that depth: with
    several pages in flight, a deep page may finish before the start page and queue its links first,
    and the depth (which orders the crawl and picks the consent-scenario sample) would then depend on
    which visit happened to finish first.
    """
    new = insert_ignoring_duplicates(session, FrontierItem, rows, ("scan_id", "url_key"))
    by_depth: dict[tuple[int, int], list[str]] = {}
    for row in rows:
        by_depth.setdefault((row["scan_id"], row["depth"]), []).append(row["url_key"])
    for (scan_id, depth), keys in by_depth.items():
        session.execute(
            update(FrontierItem)
            .where(
                FrontierItem.scan_id == scan_id,
                FrontierItem.state == "queued",
                FrontierItem.depth > depth,
                FrontierItem.url_key.in_(keys),
            )
            .values(depth=depth)
        )
    return new


def claim_next(
    session: Session, scan_id: int, host_is_free: Callable[[str], bool], kinds: Iterable[str]
) -> FrontierItem | None:
    """Mark the next queued item of ``kinds`` whose host is free as in progress (committed) and return it."""
    candidates = session.exec(
        select(FrontierItem)
        .where(
            FrontierItem.scan_id == scan_id,
            FrontierItem.state == "queued",
            FrontierItem.kind.in_(list(kinds)),
        )
        .order_by(FrontierItem.depth, FrontierItem.id)
        .limit(CLAIM_WINDOW)
    ).all()
    for item in candidates:
        if host_is_free(item.host):
            item.state = "in_progress"
            session.add(item)
            session.commit()
            return item
    return None


def count_items(session: Session, scan_id: int, state: str, kind: str | None = None) -> int:
    """How many items of the scan are in ``state`` (and of ``kind``, if given)."""
    query = select(func.count()).where(FrontierItem.scan_id == scan_id, FrontierItem.state == state)
    if kind is not None:
        query = query.where(FrontierItem.kind == kind)
    return session.exec(query).one()


def shallowest_unfinished_depth(session: Session, scan_id: int) -> int | None:
    """The smallest depth of the items not yet done (queued or in flight); None when all are done."""
    return session.exec(
        select(func.min(FrontierItem.depth)).where(
            FrontierItem.scan_id == scan_id, FrontierItem.state != "done"
        )
    ).one()


def requeue_in_progress(session: Session, scan_id: int) -> int:
    """Items in flight when a scan died go back to the queue (committed); returns how many."""
    result = session.execute(
        update(FrontierItem)
        .where(FrontierItem.scan_id == scan_id, FrontierItem.state == "in_progress")
        .values(state="queued")
    )
    session.commit()
    return result.rowcount or 0


def mark_done(session: Session, item_id: int) -> None:
    """The item's page is stored (part of the page's transaction: not committed)."""
    stored = session.get(FrontierItem, item_id)
    stored.state = "done"
    session.add(stored)
