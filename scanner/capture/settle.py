"""When a loaded page has settled: the network is quiet, and no frame has a cookie or storage write in hand.

After the load event the capture waits for a network-quiet window (``NetworkRecorder``), then asks
every frame's probe (``settle_probe.js``) whether a short timer is still due or a write has just
happened; if so it waits for that, and for the network to be quiet again, and asks once more. The
whole wait is capped by ``CaptureSettings.settle_cap``: a page that keeps busy is read when the cap
is reached, and the capture says what was still pending (``Timings.settle_stopped_early``) instead
of passing the page off as settled.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from scanner.capture.recorder import NetworkRecorder
from scanner.capture.settings import CaptureSettings

TIMER_HORIZON_MS = 2000  # timers due later than this are the page's life, not its loading
PROBE_SCRIPT = (Path(__file__).parent / "settle_probe.js").read_text(encoding="utf-8")
FRAME_ANSWER_TIMEOUT = 1.0
POLL_INTERVAL = 0.05


class StoppedEarly:
    """What was still pending when the settle cap was reached (the values of ``settle_stopped_early``)."""

    NETWORK = "network"
    TIMERS = "timers"
    WRITES = "storage-writes"
    UNRESPONSIVE = "frame-unresponsive"


@dataclass(frozen=True)
class FrameActivity:
    """The probe's answer, summed over frames: seconds until the last short timer, since the last write."""

    timer_due: float | None = None  # None: no short timer pending
    since_write: float | None = None  # None: no write seen
    unresponsive: bool = False

    def waiting_for(self, write_quiet: float) -> str | None:
        if self.unresponsive:
            return StoppedEarly.UNRESPONSIVE
        if self.timer_due is not None:
            return StoppedEarly.TIMERS
        if self.since_write is not None and self.since_write < write_quiet:
            return StoppedEarly.WRITES
        return None

    def pause(self, write_quiet: float) -> float:
        """How long to wait before asking again."""
        if self.timer_due is not None:
            return self.timer_due + POLL_INTERVAL
        if self.since_write is not None and self.since_write < write_quiet:
            return write_quiet - self.since_write
        return POLL_INTERVAL


async def install_probe(context: BrowserContext) -> None:
    await context.add_init_script(script=PROBE_SCRIPT.replace("__HORIZON__", str(TIMER_HORIZON_MS)))


async def wait_until_settled(page: Page, recorder: NetworkRecorder, settings: CaptureSettings) -> str | None:
    """Wait until the page settled, at most ``settle_cap`` seconds; returns what was pending at the cap."""
    deadline = time.monotonic() + settings.settle_cap
    while True:
        if not await recorder.wait_until_quiet(settings.settle_quiet, deadline - time.monotonic()):
            return StoppedEarly.NETWORK
        answer_within = min(FRAME_ANSWER_TIMEOUT, max(deadline - time.monotonic(), 0.1))
        activity = await frame_activity(page, answer_within)
        pending = activity.waiting_for(settings.settle_write_quiet)
        if pending is None:
            return None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return pending
        await asyncio.sleep(min(activity.pause(settings.settle_write_quiet), remaining))


async def frame_activity(page: Page, timeout: float) -> FrameActivity:
    frames = page.frames
    answers = await asyncio.gather(*(_ask(frame, timeout) for frame in frames))
    known = [answer for answer in answers if answer is not None]
    timers = [due / 1000 for due, _ in known if due >= 0]
    writes = [since / 1000 for _, since in known if since >= 0]
    return FrameActivity(
        timer_due=max(timers) if timers else None,
        since_write=min(writes) if writes else None,
        # a busy main frame may be running the tag; a silent subframe loaded within the network window
        unresponsive=bool(frames) and frames[0] is page.main_frame and answers[0] is None,
    )


_NO_PROBE = (-1.0, -1.0)  # a frame without the probe (about:blank, detached): nothing pending there


async def _ask(frame: Frame, timeout: float) -> tuple[float, float] | None:
    """The frame's answer; ``None`` when its renderer did not answer in time (still busy)."""
    try:
        answer = await asyncio.wait_for(
            frame.evaluate("() => window.__govscanSettle ? window.__govscanSettle() : null"), timeout
        )
    except TimeoutError:
        return None
    except PlaywrightError:  # detached or navigating frames have nothing to wait for
        return _NO_PROBE
    if not answer:
        return _NO_PROBE
    return float(answer[0]), float(answer[1])
