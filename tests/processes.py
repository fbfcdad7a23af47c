"""The processes a test started, read from /proc: to prove that none of them outlives what started it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    start_time: int  # clock ticks since boot: with the pid, names one process even if the pid is reused
    command: str


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of ``pid``, None when it is gone."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), fields[0], int(fields[19])


def parent_of(pid: int) -> int | None:
    stat = _stat(pid)
    return stat[0] if stat is not None else None


def _command(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(root: int) -> list[Process]:
    """Every living process below ``root`` (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[0], []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            stat = _stat(child)
            if stat is not None:
                found.append(Process(child, stat[2], _command(child)))
                todo.append(child)
    return found


def still_running(processes: list[Process]) -> list[Process]:
    """Those of ``processes`` that still run (zombies waiting for their parent's wait() count as gone)."""
    left = []
    for process in processes:
        stat = _stat(process.pid)
        if stat is not None and stat[2] == process.start_time and stat[1] != "Z":
            left.append(process)
    return left


def browser_processes(processes: list[Process]) -> list[Process]:
    return [process for process in processes if "chromium" in process.command or "node" in process.command]


def launch_processes(profile: Path) -> list[Process]:
    """The driver that launched the Chromium of ``profile``, and everything below it."""
    browser = _stat(main_chromium(profile))
    driver = _stat(browser[0]) if browser is not None else None
    if browser is None or driver is None:
        raise LookupError("the browser ended while it was looked at")
    return [Process(browser[0], driver[2], _command(browser[0])), *descendants(browser[0])]


def main_chromium(profile: Path) -> int:
    """The browser process (not a renderer or helper) whose user-data directory is ``profile``."""
    for process in descendants(os.getpid()):
        if f"--user-data-dir={profile}" in process.command and "--type=" not in process.command:
            return process.pid
    raise LookupError(f"no Chromium runs with the profile {profile}")
