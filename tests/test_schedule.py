"""`govscan schedule`: due slots with a controllable clock (no sleeps), catch-up once, restarts."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import select
from typer.testing import CliRunner

from scanner.cli import app
from scanner.run.scan import ScanProgress, scan_target
from scanner.schedule.cron import due_slot, latest_slot, systemd_calendars
from scanner.schedule.scheduler import LocalScheduler
from scanner.store.db import session
from scanner.store.models import Page, Scan
from scanner.store.schedule import ScheduleState

from conftest import make_target
from localweb import LocalWeb, page

BERLIN = ZoneInfo("Europe/Berlin")
DAILY = "0 3 * * *"  # 03:00 Berlin time


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


class FakeClock:
    """The scheduler's clock, moved by the test; sleeping jumps to the wake-up time."""

    def __init__(self, now: datetime) -> None:
        self.current = now
        self.wake_ups: list[datetime] = []

    def now(self) -> datetime:
        return self.current

    async def sleep_until(self, moment: datetime) -> None:
        self.wake_ups.append(moment)
        self.current = max(self.current, moment)


@pytest.fixture
def scheduler_for(engine, browser, network):
    def build(targets, clock: FakeClock, **options) -> LocalScheduler:
        scan = options.pop("scan", functools.partial(scan_target, browser=browser))
        return LocalScheduler(
            engine, targets, zone=BERLIN, network=network, clock=clock, scan=scan, **options
        )

    return build


def daily_one_page(local_web: LocalWeb, scheduler_for, host: str, name: str):
    """A scheduler for one daily one-page target, its clock on a Monday morning."""
    origin = local_web.site(host, {"/": page("Start")})
    clock = FakeClock(berlin("2030-01-07T10:00"))
    return scheduler_for([make_target(name, [origin + "/"], schedule=DAILY)], clock), clock


def scans_of(engine, scheduler: LocalScheduler, name: str) -> list[Scan]:
    target_id = next(tid for tid, target in scheduler.targets.items() if target.name == name)
    with session(engine) as db:
        return list(db.exec(select(Scan).where(Scan.target_id == target_id).order_by(Scan.id)).all())


def test_the_due_slot_is_the_newest_one_not_in_the_future() -> None:
    monday_noon = berlin("2030-01-07T12:00")
    assert latest_slot(DAILY, monday_noon, BERLIN) == berlin("2030-01-07T03:00")
    assert latest_slot(DAILY, berlin("2030-01-07T03:00"), BERLIN) == berlin("2030-01-07T03:00")
    assert due_slot(DAILY, monday_noon, BERLIN, None) == berlin("2030-01-07T03:00")  # never run: due
    assert due_slot(DAILY, monday_noon, BERLIN, berlin("2030-01-07T03:00")) is None
    # three missed slots: one run, for the newest of them
    assert due_slot(DAILY, berlin("2030-01-10T12:00"), BERLIN, berlin("2030-01-07T03:00")) == berlin(
        "2030-01-10T03:00"
    )
    # summer time: still 03:00 on the wall clock
    assert latest_slot(DAILY, berlin("2030-07-01T12:00"), BERLIN) == datetime(2030, 7, 1, 1, 0, tzinfo=UTC)


def test_cron_lines_become_systemd_calendars_with_cron_day_semantics() -> None:
    assert systemd_calendars("0 3 * * 1", "Europe/Berlin") == ["Mon *-*-* 03:00:00 Europe/Berlin"]
    assert systemd_calendars("*/20 8-9 * * *", "UTC") == ["*-*-* 08,09:00,20,40:00 UTC"]
    # day of month OR day of week, as cron means it: two calendars
    assert systemd_calendars("30 2 1 * 0", "Europe/Berlin") == [
        "*-*-01 02:30:00 Europe/Berlin",
        "Sun *-*-* 02:30:00 Europe/Berlin",
    ]


async def test_a_new_target_runs_at_once_then_waits_for_its_next_slot(
    local_web: LocalWeb, engine, scheduler_for
) -> None:
    scheduler, clock = daily_one_page(local_web, scheduler_for, "www.zeitplan-erst.de", "Erst")

    first = await scheduler.run_due()
    again = await scheduler.run_due()
    clock.current = berlin("2030-01-08T02:59")
    before_slot = await scheduler.run_due()
    clock.current = berlin("2030-01-08T03:00")
    at_slot = await scheduler.run_due()

    assert [outcome.status for outcome in first] == ["completed"]
    assert again == [] and before_slot == []
    assert [outcome.status for outcome in at_slot] == ["completed"]
    with session(engine) as db:
        state = db.exec(select(ScheduleState)).one()
    assert state.slot_finished and state.running_since is None
    assert state.last_scan_id == at_slot[0].scan_id

    status = CliRunner().invoke(app, ["status", "--db", str(engine.url), "--json"])
    assert status.exit_code == 0, status.output
    shown = json.loads(status.stdout)
    assert shown["queue"] is None and shown["running"] == [] and shown["failures"] == {}
    [row] = shown["targets"]
    assert (row["name"], row["schedule"], row["last_scan_id"], row["last_status"]) == (
        "Erst",
        DAILY,
        at_slot[0].scan_id,
        "completed",
    )
    assert row["age_hours"] is not None


async def test_missed_slots_are_caught_up_once_and_the_loop_follows_the_cron_line(
    local_web: LocalWeb, engine, scheduler_for
) -> None:
    scheduler, clock = daily_one_page(local_web, scheduler_for, "www.zeitplan-nachholen.de", "Nachholen")
    await scheduler.run_due()

    clock.current = berlin("2030-01-10T12:00")  # down over three slots
    caught_up = await scheduler.run_due()
    await scheduler.run_forever(until=berlin("2030-01-11T12:00"))

    assert len(caught_up) == 1
    scans = scans_of(engine, scheduler, "Nachholen")
    assert len(scans) == 1 + 1 + 1  # first run, one catch-up, the slot of the 11th
    assert all(scan.status == "completed" for scan in scans)
    assert berlin("2030-01-11T03:00") in clock.wake_ups  # woke at the slot, not after it


async def test_a_target_a_live_process_scans_is_not_started_twice(
    local_web: LocalWeb, engine, scheduler_for
) -> None:
    scheduler, clock = daily_one_page(local_web, scheduler_for, "www.zeitplan-besetzt.de", "Besetzt")
    with session(engine) as db:  # another scheduler on this machine, alive, holds the target
        db.exec(
            update(ScheduleState).values(
                running_since=clock.now(), runner_host=socket.gethostname(), runner_pid=_live_pid()
            )
        )
        db.commit()

    assert scheduler.due() == []
    assert await scheduler.run_due() == []
    assert scans_of(engine, scheduler, "Besetzt") == []


async def test_a_scan_cut_short_is_resumed_when_the_scheduler_starts_again(
    local_web: LocalWeb, engine, browser, scheduler_for
) -> None:
    files = {"/": page("".join(f'<a href="/s{index}.html">{index}</a>' for index in range(8)))}
    files |= {f"/s{index}.html": page(f"Seite {index}", lang=None) for index in range(8)}
    origin = local_web.site("www.zeitplan-neustart.de", files, host_toml="delay_ms = 100\n")
    target = make_target("Neustart", [origin + "/"], schedule=DAILY)
    some_pages_done = asyncio.Event()

    def watch(progress: ScanProgress) -> None:
        if progress.pages_done >= 2:
            some_pages_done.set()

    clock = FakeClock(berlin("2030-01-07T10:00"))
    first = scheduler_for(
        [target], clock, scan=functools.partial(scan_target, browser=browser, on_progress=watch)
    )
    running = asyncio.create_task(first.run_due())
    await some_pages_done.wait()
    running.cancel()  # Ctrl-C
    with pytest.raises(asyncio.CancelledError):
        await running
    with session(engine) as db:  # ... or a crash: the marker of a process that is gone
        db.exec(update(ScheduleState).values(running_since=clock.now(), runner_pid=_dead_pid()))
        db.commit()
    [interrupted] = scans_of(engine, first, "Neustart")
    assert interrupted.status == "interrupted"

    clock.current += timedelta(hours=1)  # same slot, an hour later: the scheduler is back
    restarted = scheduler_for([target], clock)
    [outcome] = await restarted.run_due()

    assert outcome.scan_id == interrupted.id and outcome.status == "completed"
    with session(engine) as db:
        urls = db.exec(select(Page.url).where(Page.scan_id == interrupted.id)).all()
        assert db.get(Scan, interrupted.id).resumed_count == 1
    assert sorted(urls) == sorted({origin + "/"} | {f"{origin}/s{index}.html" for index in range(8)})
    assert await restarted.run_due() == []  # the slot is done


def test_schedule_prints_cron_lines_and_systemd_units(tmp_path: Path) -> None:
    targets = tmp_path / "targets.toml"
    targets.write_text(
        """
[[target]]
name = "Gemeinde Groß Köris"
start_urls = ["https://www.gross-koeris.de/"]
authority_level = "gemeinde"
schedule = "0 3 1 * 1"

[[target]]
name = "Ohne Zeitplan"
start_urls = ["https://www.ohne.de/"]
authority_level = "gemeinde"
""",
        encoding="utf-8",
    )
    runner = CliRunner()
    common = ["schedule", "--targets", str(targets), "--db", str(tmp_path / "s.db")]

    cron = runner.invoke(app, [*common, "--print-cron"])
    units = runner.invoke(app, [*common, "--print-systemd", "--out", str(tmp_path / "units")])

    assert cron.exit_code == 0, cron.output
    assert "CRON_TZ=Europe/Berlin" in cron.output
    line = next(line for line in cron.output.splitlines() if line.startswith("0 3 1 * 1 "))
    assert "flock -n /tmp/govscan-gemeinde-gross-koeris.lock" in line
    assert "--target 'Gemeinde Groß Köris'" in line and f"sqlite:///{tmp_path / 's.db'}" in line
    assert "Ohne Zeitplan" not in cron.output
    assert units.exit_code == 0, units.output
    timer = (tmp_path / "units" / "govscan-scan-gemeinde-gross-koeris.timer").read_text()
    service = (tmp_path / "units" / "govscan-scan-gemeinde-gross-koeris.service").read_text()
    assert "OnCalendar=*-*-01 03:00:00 Europe/Berlin\nOnCalendar=Mon *-*-* 03:00:00 Europe/Berlin" in timer
    assert "Persistent=true" in timer
    assert '--target "Gemeinde Groß Köris"' in service and "--resume" in service
    assert not (tmp_path / "s.db").exists()  # printing writes no database


def test_schedule_rejects_bad_input_with_exit_code_2(tmp_path: Path) -> None:
    targets = tmp_path / "targets.toml"
    base = '[[target]]\nname = "A"\nstart_urls = ["https://www.a.de/"]\nauthority_level = "kreis"\n'
    runner = CliRunner()

    targets.write_text(base + 'schedule = "0 3 * *"\n', encoding="utf-8")
    bad_cron = runner.invoke(app, ["schedule", "--targets", str(targets), "--db", str(tmp_path / "x.db")])
    targets.write_text(base, encoding="utf-8")
    no_schedule = runner.invoke(app, ["schedule", "--targets", str(targets), "--db", str(tmp_path / "x.db")])
    targets.write_text(base + 'schedule = "0 3 * * *"\n', encoding="utf-8")
    bad_zone = runner.invoke(app, ["schedule", "--targets", str(targets), "--timezone", "Europe/Bärlin"])

    assert bad_cron.exit_code == 2 and "expected a cron expression with 5 fields" in bad_cron.output
    assert no_schedule.exit_code == 2 and "no target has a schedule" in no_schedule.output
    assert bad_zone.exit_code == 2 and "--timezone Europe/Bärlin: unknown time zone" in bad_zone.output
    assert not (tmp_path / "x.db").exists()


def _live_pid() -> int:
    return os.getppid()  # pytest's parent: alive, and not this process


def _dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid
