"""What ``govscan status`` reads: targets, schedules, newest (completed) scan per target, running scans."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from scanner.store.models import Scan
from scanner.store.scans import ScanStatus, target_names
from scanner.store.schedule import ScheduleState


@dataclass(frozen=True)
class StatusRows:
    names: dict[int, str]  # target id -> name
    schedules: dict[int, str | None]  # target id -> cron line in force
    newest: dict[int, Scan]  # target id -> its newest scan
    completed: dict[int, Scan]  # target id -> its newest completed scan
    running: list[Scan]  # by id


def status_rows(session: Session) -> StatusRows:
    return StatusRows(
        names=target_names(session),
        schedules=dict(session.exec(select(ScheduleState.target_id, ScheduleState.schedule)).all()),
        newest=_by_target(session, select(func.max(Scan.id)).group_by(Scan.target_id)),
        completed=_by_target(
            session,
            select(func.max(Scan.id)).where(Scan.status == ScanStatus.COMPLETED).group_by(Scan.target_id),
        ),
        running=list(
            session.exec(select(Scan).where(Scan.status == ScanStatus.RUNNING).order_by(Scan.id)).all()
        ),
    )


def _by_target(session: Session, scan_ids) -> dict[int, Scan]:
    return {scan.target_id: scan for scan in session.exec(select(Scan).where(Scan.id.in_(scan_ids))).all()}
