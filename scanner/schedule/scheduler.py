"""``govscan schedule``: run the targets' scans in the foreground, when their cron lines say.

One scan at a time, with the database of the local runner (SQLite by default). Each target's
state lives in the database (``scanner.store.schedule``): the newest slot handed to a run and a
marker naming the process that scans it. So the scheduler survives restarts: a run cut short by
Ctrl-C, a crash or a reboot is resumed when the scheduler comes back (unless a newer slot is due,
which then starts afresh), a slot missed while it was down is caught up once, and a second
scheduler on the same database never starts a target that a live process is scanning.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from scanner.capture.browser import ChromiumNotFound
from scanner.config.targets import TargetConfig
from scanner.net.network import NetworkSettings
from scanner.net.trust import TrustStoreError
from scanner.run.scan import ScanOutcome, scan_target
from scanner.schedule.cron import due_slot, next_slot
from scanner.store.db import session
from scanner.store.scans import runner_alive
from scanner.store.schedule import ScheduleState, claim_runner, release_runner, scheduled, sync_schedules, utc

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ScanFunction = Callable[..., Awaitable[ScanOutcome]]


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep_until(self, moment: datetime) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime) -> None:
        await asyncio.sleep(max((moment - self.now()).total_seconds(), 0.0))


@dataclass(frozen=True)
class DueRun:
    target: TargetConfig
    state: ScheduleState
    slot: datetime
    resume: bool  # the slot's run was cut short: continue its scan


class LocalScheduler:
    def __init__(
        self,
        engine: Engine,
        targets: Sequence[TargetConfig],
        *,
        zone: ZoneInfo,
        network: NetworkSettings | None = None,
        clock: Clock | None = None,
        scan: ScanFunction = scan_target,
        log: Callable[[str], None] = lambda line: None,
        max_sleep: timedelta = timedelta(minutes=10),
    ) -> None:
        self.engine, self.zone, self.network = engine, zone, network or NetworkSettings()
        self.clock = clock or SystemClock()
        self.scan, self.log, self.max_sleep = scan, log, max_sleep
        with session(engine) as db:
            self.ids = sync_schedules(db, targets)
        self.targets = {self.ids[target.name]: target for target in targets if target.schedule}
        self._running: set[int] = set()  # targets this process is scanning right now

    def due(self) -> list[DueRun]:
        """Targets to run now: a new slot has come, or the last slot's run was cut short."""
        now = self.clock.now()
        with session(self.engine) as db:
            states = {state.target_id: state for _, state in scheduled(db)}
        runs = []
        for target_id, target in self.targets.items():
            state = states[target_id]
            if state.running_since is not None and (
                target_id in self._running or runner_alive(state.runner_host, state.runner_pid)
            ):
                continue  # a live process scans it; look again when it is done
            slot = due_slot(target.schedule, now, self.zone, utc(state.last_slot))
            if slot is not None:
                runs.append(DueRun(target, state, slot, resume=False))
            elif state.last_slot is not None and not state.slot_finished:
                runs.append(DueRun(target, state, utc(state.last_slot), resume=True))
        return runs

    async def run_due(self) -> list[ScanOutcome]:
        """Run every due target once, one after the other."""
        outcomes = []
        for run in self.due():
            outcome = await self._run(run)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    async def run_forever(self, until: datetime | None = None) -> None:
        """Run due scans, sleep until the next slot, and so on (until ``until``, for tests)."""
        while True:
            await self.run_due()
            now = self.clock.now()
            if until is not None and now >= until:
                return
            if self.due():
                continue  # a slot came while the last scans ran
            wake = min(
                [next_slot(target.schedule, now, self.zone) for target in self.targets.values()]
                + [now + self.max_sleep]
            )
            await self.clock.sleep_until(min(wake, until) if until is not None else wake)

    async def _run(self, run: DueRun) -> ScanOutcome | None:
        target_id = run.state.target_id
        with session(self.engine) as db:
            if not claim_runner(db, run.state, run.slot, self.clock.now(), own_runs=self._running):
                return None  # another scheduler took it a moment ago
        self._running.add(target_id)
        action = "setzt fort" if run.resume else "startet"
        self.log(f"{run.target.name}: Termin {run.slot.astimezone(self.zone):%Y-%m-%d %H:%M}, {action} Scan")
        outcome: ScanOutcome | None = None
        finished = False
        try:
            outcome = await self.scan(run.target, engine=self.engine, network=self.network, resume=run.resume)
            finished = True
        except (ChromiumNotFound, TrustStoreError):
            raise  # the machine lacks something: stop, and resume the slot once it is fixed
        except Exception as error:  # a bug in one scan must not stop the schedule of all targets
            finished = True
            self.log(f"{run.target.name}: Scan abgebrochen: {type(error).__name__}: {error}")
        finally:
            self._running.discard(target_id)
            with session(self.engine) as db:
                release_runner(
                    db,
                    target_id,
                    finished=finished,
                    scan_id=outcome.scan_id if outcome else None,
                    status=outcome.status if outcome else ("failed" if finished else None),
                    now=self.clock.now(),
                )
        if outcome is not None:
            failure = f" ({outcome.failure_class})" if outcome.failure_class else ""
            self.log(f"{run.target.name}: Scan {outcome.scan_id} {outcome.status}{failure}")
        return outcome
