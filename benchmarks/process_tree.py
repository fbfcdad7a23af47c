"""CPU seconds and peak memory of this process and all its descendants (Chromium's included).

Memory: a thread reads /proc every ``interval`` seconds and sums the memory of this process and
every descendant (the portal server and other processes that existed before the block left out);
the peak of those sums is reported twice: PSS (``smaps_rollup``: shared pages split between the
processes sharing them, what the tree really occupies) and RSS (shared pages counted once per
process, as `ps` adds up: an upper bound). CPU: ``getrusage`` of this process plus its reaped children; the
browser tree is closed at the end of each run, so all of its processes have been reaped by then.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class ProcessStat:
    pid: int
    ppid: int
    rss_bytes: int


def read_processes() -> list[ProcessStat]:
    stats = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        fields = text.rsplit(")", 1)[1].split()  # the name in parentheses may contain spaces
        stats.append(ProcessStat(int(entry.name), int(fields[1]), int(fields[21]) * PAGE_SIZE))
    return stats


def tree(root: int, excluded: frozenset[int] = frozenset()) -> list[ProcessStat]:
    """``root`` and its descendants, without the subtrees of ``excluded``."""
    processes = read_processes()
    children: dict[int, list[ProcessStat]] = {}
    by_pid = {stat.pid: stat for stat in processes}
    for stat in processes:
        children.setdefault(stat.ppid, []).append(stat)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in excluded or pid not in by_pid:
            continue
        found.append(by_pid[pid])
        todo += [child.pid for child in children.get(pid, [])]
    return found


def pss_bytes(stat: ProcessStat) -> int:
    try:
        text = Path(f"/proc/{stat.pid}/smaps_rollup").read_text()
    except OSError:  # ended, or not readable: its RSS is the best we know
        return stat.rss_bytes
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return stat.rss_bytes


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime


class TreeSampler:
    """``with TreeSampler(exclude={server_pid}) as sampler:`` ... ``sampler.peak_bytes``."""

    def __init__(self, exclude: frozenset[int] = frozenset(), interval: float = 0.2) -> None:
        # helpers started before the block (the portal server, multiprocessing's tracker) are not measured
        self.exclude = exclude | {stat.pid for stat in tree(os.getpid())[1:]}
        self.interval = interval
        self.peak_bytes = 0  # PSS
        self.peak_rss_bytes = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-tree-sampler", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        processes = tree(os.getpid(), self.exclude)
        total = sum(pss_bytes(stat) for stat in processes)
        self.samples += 1
        self.peak_rss_bytes = max(self.peak_rss_bytes, sum(stat.rss_bytes for stat in processes))
        if total > self.peak_bytes:
            self.peak_bytes, self.peak_processes = total, len(processes)


@dataclass(frozen=True)
class Usage:
    wall_seconds: float
    cpu_seconds: float
    peak_mb: float  # PSS of the tree
    peak_rss_mb: float
    peak_processes: int


class Measured:
    """Wall clock, CPU and peak tree memory of one block."""

    def __init__(self, exclude: frozenset[int]) -> None:
        self.sampler = TreeSampler(exclude)
        self.usage: Usage | None = None

    def __enter__(self) -> Measured:
        self._cpu, self._started = cpu_seconds(), time.monotonic()
        self.sampler.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.sampler.__exit__(*exc_info)
        self.usage = Usage(
            wall_seconds=time.monotonic() - self._started,
            cpu_seconds=cpu_seconds() - self._cpu,
            peak_mb=self.sampler.peak_bytes / 2**20,
            peak_rss_mb=self.sampler.peak_rss_bytes / 2**20,
            peak_processes=self.sampler.peak_processes,
        )
