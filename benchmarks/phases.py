"""Per-phase timing of a govscan run, by wrapping scanner functions at run time in this process only.

Nothing in ``scanner/`` changes: ``install()`` replaces functions and methods with timed twins that
record (phase, start, end) into the active ``PhaseRecorder`` and do nothing else while none is
active (the bare-navigation runs). Each phase reports summed seconds (over concurrent calls) and
wall-clock seconds in which at least one call was running. Phases nest: "visit" contains
navigation, settle, collectors and leaving; they are not meant to add up.

What each phase wraps (see ``PHASES``): the names in the modules that call them, so the timed twin
is the one the caller looks up (``scanner.run.scan.capture_page``, not only the original).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

# phase -> the function it wraps, printed with the profile and written into the JSON
PHASES: dict[str, str] = {
    "browser launch": "scanner.run.scan.launch_browser (until the browser is up)",
    "engine versions": "scanner.run.scan.scan_engine_versions",
    "visit (whole capture)": "scanner.run.scan.capture_page",
    "new context": "ScanBrowser.new_context",
    "close context": "BrowserContext.close",
    "devtools session": "NetworkRecorder.attach_devtools",
    "settle probe script": "scanner.capture.page.install_probe",
    "prepare: <collector>": "<Collector>.prepare, each collector class that overrides it",
    "before visit: consent": "ConsentCollector.before_visit (banner visit, detection, answer)",
    "navigation (goto to commit)": "Page.goto from capture_page itself (not consent's, not leaving)",
    "load events": "scanner.capture.page._wait_for (domcontentloaded, load)",
    "settle": "scanner.capture.page.wait_until_settled",
    "read page (DOM, storage, cookies)": "scanner.capture.page._read_page",
    "read: links / lang / storage / cookies": "page_reading.read_*, as page.py names them",
    "collect: <collector>": "<Collector>.collect, each collector class",
    "axe inject (per frame)": "_PartialRunner._prepare (evaluate axe.min.js, getFrameContexts)",
    "axe runPartial top / iframe": "Frame.evaluate of runner._RUN_PARTIAL",
    "axe finishRun": "scanner.capture.axe.runner._finish_run",
    "keyboard walk": "accessibility_interaction.keyboard_walk",
    "reflow": "accessibility_interaction.reflow_at",
    "leave page": "scanner.capture.page._leave_page",
    "page checks": "scanner.run.scan.run_page_checks",
    "db: add_page": "scanner.run.scan.add_page",
    "db: add_findings (page)": "scanner.run.scan.add_findings",
    "save page (checks+db, sync)": "ScanRun._save",
    "db: frontier claim": "Frontier.claim",
    "host probe: <name>": "HostProbe.run of every registered probe",
    "host checks + db": "HostProbeRunner._store",
    "consent revisit (each)": "ScanRun._revisit (waiting for a page slot, then the visit)",
    "consent revisits after the crawl": "ScanRun._visit_consent_scenarios",
    "waiting for host probes": "HostProbeRunner.finish",
    "site checks + db": "ScanRun._run_site_checks",
}

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("bench_phase", default=None)


class PhaseRecorder:
    def __init__(self) -> None:
        self.intervals: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.origin = time.monotonic()

    def add(self, phase: str, start: float, end: float) -> None:
        self.intervals[phase].append((start, end))  # list.append is atomic: probe threads may call

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            phase: {"calls": len(spans), "summed_s": sum(e - s for s, e in spans), "wall_s": union(spans)}
            for phase, spans in self.intervals.items()
        }


def union(spans: list[tuple[float, float]]) -> float:
    """Seconds in which at least one of ``spans`` was running."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


_active: PhaseRecorder | None = None


@contextlib.contextmanager
def recording(recorder: PhaseRecorder):
    global _active
    _active = recorder
    try:
        yield recorder
    finally:
        _active = None


def _timed(fn: Callable[..., Any], phase: str | Callable[..., str | None]) -> Callable[..., Any]:
    """A twin of ``fn`` (sync or async) recording its calls; ``phase`` may depend on the arguments."""

    def name_of(args: tuple, kwargs: dict) -> str | None:
        return phase(*args, **kwargs) if callable(phase) else phase

    if _is_async(fn):

        @functools.wraps(fn)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            recorder = _active
            name = name_of(args, kwargs) if recorder is not None else None
            if name is None:
                return await fn(*args, **kwargs)
            token, start = _current.set(name), time.monotonic()
            try:
                return await fn(*args, **kwargs)
            finally:
                recorder.add(name, start, time.monotonic())
                _current.reset(token)

        return timed_async

    @functools.wraps(fn)
    def timed_sync(*args: Any, **kwargs: Any) -> Any:
        recorder = _active
        name = name_of(args, kwargs) if recorder is not None else None
        if name is None:
            return fn(*args, **kwargs)
        start = time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            recorder.add(name, start, time.monotonic())

    return timed_sync


def _is_async(fn: Callable[..., Any]) -> bool:
    import inspect

    return inspect.iscoroutinefunction(fn)


def _patch(owner: Any, attribute: str, phase: str | Callable[..., str | None]) -> None:
    setattr(owner, attribute, _timed(getattr(owner, attribute), phase))


def _timed_context_manager(factory: Callable[..., Any], phase: str) -> Callable[..., Any]:
    """An async context manager whose entering (the launch) is timed."""

    @contextlib.asynccontextmanager
    async def timed(*args: Any, **kwargs: Any):
        manager = factory(*args, **kwargs)
        start = time.monotonic()
        value = await manager.__aenter__()
        if _active is not None:
            _active.add(phase, start, time.monotonic())
        try:
            yield value
        except BaseException as error:
            if not await manager.__aexit__(type(error), error, error.__traceback__):
                raise
        else:
            await manager.__aexit__(None, None, None)

    return timed


_installed = False


def install() -> None:
    """Wrap the phases once per process; harmless while no recorder is active."""
    global _installed
    if _installed:
        return
    _installed = True
    from playwright.async_api import BrowserContext, Frame
    from playwright.async_api import Page as PlaywrightPage

    import scanner.capture.axe.runner as axe_runner
    import scanner.capture.collectors.accessibility_interaction as interaction
    import scanner.capture.page as page
    import scanner.run.hosts as hosts
    import scanner.run.scan as scan
    from scanner.capture.browser import ScanBrowser
    from scanner.capture.recorder import NetworkRecorder
    from scanner.crawl.frontier import Frontier
    from scanner.families import collector_declarations, resolve
    from scanner.probes import PROBES, load_all_probes

    scan.launch_browser = _timed_context_manager(scan.launch_browser, "browser launch")
    _patch(scan, "scan_engine_versions", "engine versions")
    _patch(scan, "capture_page", "visit (whole capture)")
    _patch(ScanBrowser, "new_context", "new context")
    _patch(BrowserContext, "close", "close context")
    _patch(NetworkRecorder, "attach_devtools", "devtools session")
    _patch(page, "install_probe", "settle probe script")
    _patch(page, "_wait_for", "load events")
    _patch(page, "wait_until_settled", "settle")
    _patch(page, "_read_page", "read page (DOM, storage, cookies)")
    for reader in ("read_links", "read_html_lang", "read_storage", "read_cookies"):
        _patch(page, reader, f"read: {reader.removeprefix('read_')}")
    _patch(page, "_leave_page", "leave page")
    _patch(PlaywrightPage, "goto", _navigation_phase)
    for declaration in collector_declarations():
        collector_class = resolve(declaration.path)
        for method in ("prepare", "before_visit", "collect"):
            if method in collector_class.__dict__:
                label = {"prepare": "prepare", "before_visit": "before visit", "collect": "collect"}[method]
                _patch(collector_class, method, lambda self, *a, _l=label, **k: f"{_l}: {self.name}")
    _patch(axe_runner._PartialRunner, "_prepare", "axe inject (per frame)")
    _patch(Frame, "evaluate", _axe_partial_phase(axe_runner._RUN_PARTIAL))
    _patch(axe_runner, "_finish_run", "axe finishRun")
    _patch(interaction, "keyboard_walk", "keyboard walk")
    _patch(interaction, "reflow_at", "reflow")
    _patch(scan, "run_page_checks", "page checks")
    _patch(scan, "add_page", "db: add_page")
    _patch(scan, "add_findings", "db: add_findings (page)")
    _patch(scan.ScanRun, "_save", "save page (checks+db, sync)")
    _patch(Frontier, "claim", "db: frontier claim")
    _patch(scan.ScanRun, "_revisit", "consent revisit (each)")
    _patch(scan.ScanRun, "_visit_consent_scenarios", "consent revisits after the crawl")
    _patch(scan.ScanRun, "_run_site_checks", "site checks + db")
    _patch(hosts.HostProbeRunner, "_store", "host checks + db")
    _patch(hosts.HostProbeRunner, "finish", "waiting for host probes")
    for name, probe in list(load_all_probes().items()):
        PROBES[name] = dataclasses.replace(probe, run=_timed(probe.run, f"host probe: {name}"))


def _navigation_phase(page: Any, url: str, *args: Any, **kwargs: Any) -> str | None:
    """Only capture_page's own navigation; consent's banner visit and leaving have phases of their own."""
    return "navigation (goto to commit)" if _current.get() == "visit (whole capture)" else None


def _axe_partial_phase(run_partial: str) -> Callable[..., str | None]:
    def phase(frame: Any, expression: str, *args: Any, **kwargs: Any) -> str | None:
        if expression is not run_partial and expression != run_partial:
            return None
        return "axe runPartial top" if frame.parent_frame is None else "axe runPartial iframe"

    return phase
