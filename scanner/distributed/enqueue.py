"""Defer scan jobs: the due targets (``govscan enqueue``, the periodic task), or named ones now.

A slot is claimed in ``schedule_state`` before its job is deferred, so two enqueuers running at
once (the periodic task on several workers, a cron'd ``govscan enqueue``) never defer one slot
twice; the queueing lock per target keeps at most one waiting job per target whatever happens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from scanner.config.targets import TargetConfig
from scanner.distributed.database import prepare_database
from scanner.distributed.tasks import QUEUE, SCAN_TASK, build_app
from scanner.net.network import NetworkSettings
from scanner.net.server_address import server_lock_key
from scanner.schedule.cron import due_slot
from scanner.store.db import session
from scanner.store.models import Target
from scanner.store.scans import ScanLookupError, targets_named
from scanner.store.schedule import claim_slot, scheduled, sync_schedules, utc

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class EnqueueResult:
    deferred: dict[str, str] = field(default_factory=dict)  # target -> server lock key
    already_queued: list[str] = field(default_factory=list)


async def enqueue_due(
    app: procrastinate.App,
    engine: Engine,
    network: NetworkSettings,
    zone: ZoneInfo,
    now: datetime,
    *,
    names: Sequence[str] = (),
) -> EnqueueResult:
    """Defer every scheduled target whose slot has come; with ``names``, those targets now."""
    with session(engine) as db:
        rows = [(row, None) for row in targets_named(db, names)] if names else scheduled(db)
    result = EnqueueResult()
    for row, state in rows:
        slot = None
        if state is not None:
            slot = due_slot(state.schedule, now, zone, utc(state.last_slot))
            with session(engine) as db:
                if slot is None or not claim_slot(db, row.id, slot):
                    continue
        await _defer(app, row, slot, network, result)
    return result


async def _defer(
    app: procrastinate.App,
    row: Target,
    slot: datetime | None,
    network: NetworkSettings,
    result: EnqueueResult,
) -> None:
    target = TargetConfig.from_json_dict(row.config_json)
    lock = await server_lock_key(target, network)
    try:
        await app.configure_task(
            SCAN_TASK, queue=QUEUE, queueing_lock=f"target:{row.id}", lock=lock
        ).defer_async(target_id=row.id, slot=slot.isoformat() if slot else None)
    except AlreadyEnqueued:
        result.already_queued.append(row.name)
        return
    result.deferred[row.name] = lock


class UnknownTargets(ScanLookupError):
    pass


async def enqueue_targets(
    db_url: str,
    targets: Sequence[TargetConfig] | None,
    names: Sequence[str],
    network: NetworkSettings,
    zone: ZoneInfo,
    now: datetime,
) -> EnqueueResult:
    """``govscan enqueue``: store the targets file's targets and schedules, then defer."""
    engine, conninfo = prepare_database(db_url)
    try:
        with session(engine) as db:
            if targets is not None:
                sync_schedules(db, targets)
            known = {row.name for row in targets_named(db, names)}
        if unknown := [name for name in names if name not in known]:
            raise UnknownTargets(
                f"unknown target(s) {', '.join(map(repr, unknown))}: not in the database; "
                "pass the targets file with --targets"
            )
        app = build_app(conninfo)
        async with app.open_async():
            return await enqueue_due(app, engine, network, zone, now, names=names)
    finally:
        engine.dispose()
