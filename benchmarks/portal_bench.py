"""Benchmark: govscan's full audit against bare navigation of the same visits (issue 15, items 1-2).

    make bench                                   # 20 pages, 3 rounds
    PYTHONPATH=. .venv/bin/python benchmarks/portal_bench.py --pages 200 --rounds 1

Generates a portal (``portal_site.py``), serves it over HTTPS under several host names on loopback
from a child process (``serving.py``), and runs, interleaved for several rounds, (a) bare navigation
of exactly the browser visits govscan made (``bare.py``: the first visits and the consent-scenario
revisits, read from the page table of the latest govscan run) and (b) the full govscan audit
(``scan_target`` on a fresh SQLite database, all families, consent scenarios on). Prints medians,
the ratio govscan / bare, pages per minute, CPU seconds and peak memory of the process tree, and the
per-phase profile of the govscan runs (``phases.py``); writes everything to a JSON file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from benchmarks import phases
from benchmarks.bare import FIRST_VISIT, Visit, bare_navigation
from benchmarks.loop_lag import LoopLag
from benchmarks.portal_site import FIRST_PARTY, Portal, write_portal
from benchmarks.process_tree import Measured
from benchmarks.report import medians, phase_medians, phase_table, summary_table
from benchmarks.serving import ServedPortal, serving
from scanner.capture.settings import CaptureSettings
from scanner.config.targets import CrawlSettings, TargetConfig
from scanner.net.network import NetworkSettings
from scanner.run.scan import scan_target
from scanner.store.db import open_database
from scanner.store.models import Page

RESULTS = Path(__file__).parent / "results"


def benchmark_target(portal: Portal, concurrency: int) -> TargetConfig:
    """All three families and the consent scenarios with their defaults; no request delay on loopback."""
    return TargetConfig(
        name="Benchmark portal",
        start_urls=(portal.start_url,),
        first_party_hosts=FIRST_PARTY,
        max_pages=portal.pages,
        max_depth=50,
        time_budget=36000,
        authority_level="kreis",
        crawl=CrawlSettings(concurrency=concurrency, request_delay=0),
    )


def capture_settings(target: TargetConfig) -> CaptureSettings:
    crawl = target.crawl
    return CaptureSettings(crawl.page_timeout, crawl.settle_quiet, crawl.settle_cap)  # as ScanRun makes them


def browser_visits(db_file: Path) -> list[Visit]:
    """The pages govscan opened in the browser (documents are fetched without it), in stored order."""
    engine = open_database(f"sqlite:///{db_file}", create=False)
    with Session(engine) as db:
        rows = db.exec(select(Page.url, Page.scenario).where(Page.kind == "html").order_by(Page.id)).all()
    engine.dispose()
    return [Visit(url, scenario) for url, scenario in rows]


async def run_govscan(target: TargetConfig, network: NetworkSettings, db_file: Path, served: ServedPortal):
    engine = open_database(f"sqlite:///{db_file}")
    with phases.recording(phases.PhaseRecorder()) as recorder, Measured(frozenset({served.pid})) as measured:
        async with LoopLag() as lag:
            outcome = await scan_target(target, engine=engine, network=network)
    engine.dispose()
    return measured.usage, lag, recorder.summary(), outcome


async def run_bare(visits, target, network, served: ServedPortal):
    with Measured(frozenset({served.pid})) as measured:
        async with LoopLag() as lag:
            failed = await bare_navigation(
                visits,
                network,
                capture_settings(target),
                concurrency=target.crawl.concurrency,
                per_host=target.crawl.per_host_concurrency,
            )
    return measured.usage, lag, failed


def axe_cli_note() -> str:
    """The optional @axe-core/cli row: only when npx finds it without the network."""
    try:
        found = subprocess.run(
            ["npx", "--offline", "--no-install", "@axe-core/cli", "--version"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "@axe-core/cli: npx not available; side-by-side row skipped"
    if found.returncode != 0:
        return "@axe-core/cli: not installed (npx --offline found none); side-by-side row skipped"
    return "@axe-core/cli: installed, but the side-by-side row is not implemented yet; skipped"


async def benchmark(pages: int, rounds: int, concurrency: int, workdir: Path) -> dict[str, Any]:
    phases.install()
    portal = write_portal(workdir / "site", pages)
    target = benchmark_target(portal, concurrency)
    runs: list[dict[str, Any]] = []
    visits: list[Visit] = []
    with serving(portal.root, workdir) as served:
        network = NetworkSettings.build(served.connect_to, served.ca_bundle)
        for round_number in range(rounds):
            # govscan first in odd rounds: its page table gives the visits, and the order alternates
            order = ("govscan", "bare") if round_number % 2 == 0 else ("bare", "govscan")
            for mode in order:
                print(f"round {round_number + 1}/{rounds}: {mode} ...", file=sys.stderr, flush=True)
                if mode == "govscan":
                    db_file = workdir / f"govscan-{round_number}.db"
                    usage, lag, profile, outcome = await run_govscan(target, network, db_file, served)
                    visits = browser_visits(db_file)
                    extra = {"phases": profile, "outcome": outcome.status, "summary": outcome.summary}
                else:
                    usage, lag, failed = await run_bare(visits, target, network, served)
                    extra = {"failed_visits": failed}
                first = sum(visit.scenario == FIRST_VISIT for visit in visits)
                runs.append(
                    {
                        "round": round_number + 1,
                        "mode": mode,
                        **usage.__dict__,
                        "pages_per_minute": first / usage.wall_seconds * 60,
                        "loop_blocked_seconds": lag.blocked_seconds,
                        "loop_worst_block_seconds": lag.worst_seconds,
                        **extra,
                    }
                )
    first = sum(visit.scenario == FIRST_VISIT for visit in visits)
    result: dict[str, Any] = {
        "pages": pages,
        "rounds_per_mode": rounds,
        "concurrency": concurrency,
        "visits": {"total": len(visits), "first_visit": first, "revisits": len(visits) - first},
        "visit_list": [visit.__dict__ for visit in visits],
        "rounds": runs,
        "medians": {"bare": medians(runs, "bare"), "govscan": medians(runs, "govscan")},
        "phases": phase_medians(runs),
        "phase_wraps": phases.PHASES,
    }
    bare, govscan = result["medians"]["bare"], result["medians"]["govscan"]
    result["ratio"] = {
        "wall": govscan["wall_seconds"] / bare["wall_seconds"],
        "cpu": govscan["cpu_seconds"] / bare["cpu_seconds"],
        "peak_mb": govscan["peak_mb"] / bare["peak_mb"],
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4, help="govscan's crawl concurrency (and bare's)")
    parser.add_argument("--out", type=Path, help="JSON file (default: benchmarks/results/<time>.json)")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="govscan-bench-") as workdir:
        run = benchmark(arguments.pages, arguments.rounds, arguments.concurrency, Path(workdir))
        result = asyncio.run(run)
    result["axe_cli"] = axe_cli_note()
    load_after = os.getloadavg()
    result["machine"] = {
        "cpus": os.cpu_count(),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "started": started.isoformat(timespec="seconds"),
    }
    out = arguments.out or RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(summary_table(result))
    print(f"load average (1/5/15 min): before {load_before}, after {load_after}; {os.cpu_count()} CPUs")
    print()
    print(phase_table(result["phases"], result["medians"]["govscan"]["wall_seconds"]))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
