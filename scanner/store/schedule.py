"""Schedule state per target: which cron slot was last handed to a run, and who runs it now.

The local scheduler (``govscan schedule``) and the distributed enqueuer (``govscan enqueue`` and
the workers' periodic task) share this table, so both survive restarts: a slot is claimed in the
database before its scan starts (or its job is deferred), never twice.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, or_, update
from sqlmodel import Field, Session, SQLModel, select

from scanner.store.models import Target
from scanner.store.scans import TargetRecord, runner_alive, upsert_target


def utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every moment we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _moment() -> datetime | None:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class ScheduleState(SQLModel, table=True):
    __tablename__ = "schedule_state"

    target_id: int = Field(foreign_key="target.id", primary_key=True)
    schedule: str | None = None  # the cron line in force; None: no longer scheduled
    last_slot: datetime | None = _moment()  # the newest cron slot handed to a run
    slot_finished: bool = False  # whether the run of last_slot has ended
    running_since: datetime | None = _moment()  # set while a process scans the target
    runner_host: str | None = None
    runner_pid: int | None = None
    last_scan_id: int | None = Field(default=None, foreign_key="scan.id")
    last_status: str | None = None
    last_finished_at: datetime | None = _moment()


def sync_schedules(session: Session, targets: Iterable[TargetRecord]) -> dict[str, int]:
    """Store the targets and their cron lines; targets absent from ``targets`` stop being scheduled.

    Returns target name -> target id.
    """
    ids: dict[str, int] = {}
    for target in targets:
        row = upsert_target(session, target)
        state = session.get(ScheduleState, row.id) or ScheduleState(target_id=row.id)
        state.schedule = target.schedule
        session.add(state)
        ids[target.name] = row.id
    session.exec(
        update(ScheduleState).where(ScheduleState.target_id.not_in(ids.values())).values(schedule=None)
    )
    session.commit()
    return ids


def scheduled(session: Session) -> list[tuple[Target, ScheduleState]]:
    """Every target that has a cron line in force, by name."""
    return list(
        session.exec(
            select(Target, ScheduleState)
            .join(ScheduleState, ScheduleState.target_id == Target.id)
            .where(ScheduleState.schedule.is_not(None))
            .order_by(Target.name)
        ).all()
    )


def claim_slot(session: Session, target_id: int, slot: datetime) -> bool:
    """Hand ``slot`` to a run unless it (or a newer one) was handed out already. Atomic."""
    result = session.exec(
        update(ScheduleState)
        .where(
            ScheduleState.target_id == target_id,
            or_(ScheduleState.last_slot.is_(None), ScheduleState.last_slot < slot),
        )
        .values(last_slot=slot, slot_finished=False)
    )
    session.commit()
    return result.rowcount == 1


def claim_runner(
    session: Session, state: ScheduleState, slot: datetime, now: datetime, *, own_runs: set[int]
) -> bool:
    """Mark this process as the target's runner for ``slot``, unless a live runner holds it. Atomic.

    The marker seen in ``state`` may be taken over only if its process is gone (a crash or a
    reboot); ``own_runs`` are the targets this process itself is scanning right now.
    """
    if state.running_since is not None and (
        state.target_id in own_runs or runner_alive(state.runner_host, state.runner_pid)
    ):
        return False
    seen = (
        ScheduleState.running_since.is_(None)
        if state.running_since is None
        else (ScheduleState.runner_pid == state.runner_pid) & (ScheduleState.runner_host == state.runner_host)
    )
    result = session.exec(
        update(ScheduleState)
        .where(ScheduleState.target_id == state.target_id, seen)
        .values(
            last_slot=slot,
            slot_finished=False,
            running_since=now,
            runner_host=socket.gethostname(),
            runner_pid=os.getpid(),
        )
    )
    session.commit()
    return result.rowcount == 1


def release_runner(
    session: Session,
    target_id: int,
    *,
    finished: bool,
    scan_id: int | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> None:
    """Clear this process's marker; ``finished`` records that the slot's run has ended."""
    values: dict = {"running_since": None, "runner_host": None, "runner_pid": None}
    if finished:
        values |= {
            "slot_finished": True,
            "last_scan_id": scan_id,
            "last_status": status,
            "last_finished_at": now,
        }
    session.exec(
        update(ScheduleState)
        .where(ScheduleState.target_id == target_id, ScheduleState.runner_pid == os.getpid())
        .values(**values)
    )
    session.commit()


def schedule_state(session: Session, target_id: int) -> ScheduleState | None:
    return session.get(ScheduleState, target_id)


def mark_running(session: Session, target_id: int, now: datetime) -> None:
    """Name this process as the target's runner (a worker's job; committed)."""
    session.exec(
        update(ScheduleState)
        .where(ScheduleState.target_id == target_id)
        .values(running_since=now, runner_host=socket.gethostname(), runner_pid=os.getpid())
    )
    session.commit()
