"""Benchmark: crawl a generated site of N pages and record throughput and memory as the crawl grows.

    .venv/bin/python benchmarks/crawl_scale.py --pages 2000 --concurrency 4

Prints one line per 250 pages: pages done, elapsed seconds, pages per second, resident memory of
the govscan process and of all Chromium processes. Flat memory over the crawl is the point: the
frontier lives in the database, not in memory. Not part of the test suite (speed is measured here).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from pathlib import Path

from scanner.config.targets import CrawlSettings, TargetConfig
from scanner.demo.server import VirtualHostServer
from scanner.net.network import NetworkSettings
from scanner.run.scan import ScanProgress, scan_target
from scanner.store.db import open_database

HOST = "www.gross-amt.de"


def write_site(root: Path, pages: int, fanout: int = 12) -> None:
    """Page i links to pages fanout*i+1 ... fanout*i+fanout and to a few neighbours: a wide tree."""
    site = root / HOST
    site.mkdir(parents=True)
    for index in range(pages):
        children = range(fanout * index + 1, min(fanout * index + fanout + 1, pages))
        neighbours = [(index + step) % pages for step in (1, 7, 31)]
        links = "".join(
            f'<li><a href="/p/{target}.html">Seite {target}</a></li>' for target in [*children, *neighbours]
        )
        html = (
            f'<!doctype html><html lang="de"><head><title>Seite {index}</title></head><body><main>'
            f"<h1>Seite {index}</h1><p>{'Text der Verwaltung. ' * 40}</p><ul>{links}</ul>"
            "</main></body></html>"
        )
        path = site / "p" / f"{index}.html" if index else site / "index.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(html, encoding="utf-8")


def chromium_rss_mb() -> float:
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if "Name:\tchrom" in text:
            for line in text.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def own_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(pages: int, concurrency: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="govscan-bench-"))
    write_site(root, pages)
    async with VirtualHostServer(root) as server:
        network = NetworkSettings.build(server.connect_all(), server.ca_bundle)
        engine = open_database(f"sqlite:///{root / 'bench.db'}")
        target = TargetConfig(
            name="Benchmark",
            start_urls=(f"https://{HOST}/",),
            first_party_hosts=(HOST,),
            max_pages=pages,
            max_depth=50,
            time_budget=36000,
            authority_level="kreis",
            crawl=CrawlSettings(
                concurrency=concurrency,
                per_host_concurrency=concurrency,
                request_delay=0,
                settle_quiet=0.1,
                settle_cap=1,
                use_sitemaps=False,
            ),
        )
        started = time.monotonic()
        next_report = [250]

        def report(progress: ScanProgress) -> None:
            if progress.pages_done >= next_report[0]:
                elapsed = time.monotonic() - started
                print(
                    f"{progress.pages_done:6d} pages  {elapsed:7.1f} s"
                    f"  {progress.pages_done / elapsed:5.2f} pages/s"
                    f"  govscan {own_rss_mb():6.0f} MB  chromium {chromium_rss_mb():6.0f} MB"
                    f"  queued {progress.queued}",
                    flush=True,
                )
                next_report[0] += 250

        outcome = await scan_target(target, engine=engine, network=network, on_progress=report)
        print(
            outcome.status,
            outcome.stopped_by,
            outcome.summary["pages"],
            f"{time.monotonic() - started:.0f} s",
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.pages, arguments.concurrency))
