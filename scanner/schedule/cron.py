"""Cron lines of targets.toml evaluated in one time zone: due slots, next slots, systemd calendars.

A target is due when the newest slot of its cron line that is not in the future is newer than the
slot last handed to a run. Only that newest slot counts, so a scheduler that was down over several
slots catches up once, not once per missed slot. A target never run before is due at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

DEFAULT_TIMEZONE = "Europe/Berlin"  # schedules are written in the authorities' local time
WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


class CronError(ValueError):
    pass


def timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronError(
            f'--timezone {name}: unknown time zone; expected a name like "Europe/Berlin"'
        ) from None


def latest_slot(cron: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The newest slot of ``cron`` at or before ``now``, in UTC."""
    after_now = now.astimezone(zone).replace(microsecond=0) + timedelta(seconds=1)
    return croniter(cron, after_now).get_prev(datetime).astimezone(UTC)


def next_slot(cron: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The first slot of ``cron`` after ``now``, in UTC."""
    return croniter(cron, now.astimezone(zone)).get_next(datetime).astimezone(UTC)


def due_slot(cron: str, now: datetime, zone: ZoneInfo, last_slot: datetime | None) -> datetime | None:
    """The slot to run now, or None when the newest slot was handed to a run already."""
    slot = latest_slot(cron, now, zone)
    return slot if last_slot is None or slot > last_slot else None


def systemd_calendars(cron: str, zone_name: str) -> list[str]:
    """``OnCalendar=`` values that fire exactly when ``cron`` does (several values: their union).

    Cron runs a job when day-of-month OR day-of-week matches if both are restricted, systemd
    when both match; so that case becomes two calendars.
    """
    try:
        minutes, hours, days, months, weekdays = croniter(cron).expanded
    except (ValueError, KeyError) as error:
        raise CronError(f'invalid cron expression "{cron}": {error}') from None
    for field in (minutes, hours, days, months, weekdays):
        if any(not isinstance(value, int) and value != "*" for value in field):
            raise CronError(
                f'"{cron}" uses a cron feature systemd calendars cannot express (L, #); '
                "use --print-cron or 'govscan schedule' for it"
            )

    def values(field: list, width: int = 2) -> str:
        return "*" if field == ["*"] else ",".join(f"{value:0{width}d}" for value in field)

    time_part = f"{values(hours)}:{values(minutes)}:00 {zone_name}"
    day_names = "" if weekdays == ["*"] else ",".join(WEEKDAYS[day % 7] for day in sorted(set(weekdays)))
    if days != ["*"] and day_names:
        return [
            f"*-{values(months)}-{values(days)} {time_part}",
            f"{day_names} *-{values(months)}-* {time_part}",
        ]
    return [f"{day_names} *-{values(months)}-{values(days)} {time_part}".strip()]
