"""Browser processes that die with govscan: a parent-death signal on the driver and on Chromium.

Playwright starts a Node.js driver, which starts Chromium. When govscan is killed (SIGKILL
included) nothing tells them to stop, so they lived on. Linux's ``PR_SET_PDEATHSIG`` asks the kernel
to signal a process when its parent dies, and it survives ``execve``: both programs are started
through a small wrapper that sets it and then becomes the real program. The driver gets SIGKILL
when govscan dies; Chromium gets SIGTERM when the driver dies, so it can end its own renderers,
zygotes and utility processes (they watch their browser process and exit with it).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

_WRAPPER = """#!{python} -I
# Written by govscan: run {program!r} so that it dies with its parent (PR_SET_PDEATHSIG).
import ctypes, os, sys
ctypes.CDLL(None, use_errno=True).prctl(1, {signal}, 0, 0, 0)
if {parent} and os.getppid() != {parent}:
    sys.exit(70)  # the parent died before the signal was armed: nobody would stop this process
os.execv({program!r}, [{program!r}, *sys.argv[1:]])
"""


def supported(folder: Path) -> bool:
    """Linux, and ``folder`` may hold programs (a /tmp mounted noexec may not)."""
    return sys.platform.startswith("linux") and not os.statvfs(folder).f_flag & os.ST_NOEXEC


def write_wrapper(folder: Path, name: str, program: Path, death_signal: signal.Signals, parent: int) -> Path:
    """An executable in ``folder`` that runs ``program`` with ``death_signal`` armed for its parent's death.

    ``parent`` (0: unknown) closes the race in which the parent dies between fork and prctl.
    """
    path = folder / name
    path.write_text(
        _WRAPPER.format(python=sys.executable, program=str(program), signal=int(death_signal), parent=parent),
        encoding="utf-8",
    )
    path.chmod(0o700)
    return path


def driver_wrapper(folder: Path, node: Path) -> Path:
    """The Node.js driver, killed when this process dies."""
    return write_wrapper(folder, "node", node, signal.SIGKILL, os.getpid())


def chromium_wrapper(folder: Path, chromium: Path) -> Path:
    """Chromium, told to end (with its children) when the driver dies."""
    return write_wrapper(folder, "chromium", chromium, signal.SIGTERM, 0)
