"""A portal where a third of the pages are hostile: every page classified, each hostile page costing
at most one page timeout (issue 17, "Done when").

    make bench-hostile           # or: PYTHONPATH=. .venv/bin/python benchmarks/hostile_portal.py --each

Serves the hostile-site test server (``tests/hostile_site.py``: a path per hostile behaviour) with
two ordinary pages beside each hostile one, on loopback under one host name, and scans it with the
default settings of every family (no request delay). ``--each`` first scans every hostile case on
its own, so that what one page costs is measured without other pages sharing the machine. Prints
a table per page (status, failure class, seconds) and the scan's total against its bound.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_site import HTML, STATIC_CASES, STREAMED_CASES, hostile_routes, page

from scanner.capture.browser import launch_browser
from scanner.capture.settings import CaptureSettings
from scanner.config.targets import CrawlSettings, TargetConfig
from scanner.net.network import NetworkSettings
from scanner.run.scan import scan_target
from scanner.store.db import open_database, session
from scanner.store.models import Page

from httpserver import routes_from_dict, running

HOST = "www.feindlich-amt.de"
# Pages of the hostile server that are not hostile themselves.
ORDINARY_CASES = {"/klein.html", "/impressum.html"}
HOSTILE = [path for path in [*STATIC_CASES, *STREAMED_CASES] if path not in ORDINARY_CASES]
ORDINARY_PER_HOSTILE = 2


def ordinary_paths() -> list[str]:
    return [f"/amt/seite-{n}.html" for n in range(len(HOSTILE) * ORDINARY_PER_HOSTILE)]


def ordinary_page(path: str) -> bytes:
    body = (
        "<nav><a href='/'>Start</a> <a href='/impressum.html'>Impressum</a></nav>"
        f"<p>Eine gewöhnliche Seite der Verwaltung: {path}.</p>"
        "<form><label>Name <input name='name'></label><button>Senden</button></form>"
        "<img src='/logo.png' alt=''>"
    )
    return page(f"Seite {path}", body).encode()


def portal_app():
    """The hostile server, with ordinary pages and an index that links every page."""
    routes = hostile_routes()
    paths = [*HOSTILE, *ordinary_paths()]
    routes["/"] = (
        200,
        HTML,
        page("Portal", "".join(f'<a href="{path}">{path}</a> ' for path in paths)).encode(),
    )
    routes |= {path: (200, HTML, ordinary_page(path)) for path in ordinary_paths()}
    return routes_from_dict(routes)


def target(name: str, start: str, page_timeout: float, max_depth: int, **options) -> TargetConfig:
    return TargetConfig(
        name=name,
        start_urls=(f"http://{HOST}{start}",),
        first_party_hosts=(HOST,),
        max_pages=500,
        max_depth=max_depth,
        time_budget=36000,
        authority_level="kreis",
        crawl=CrawlSettings(
            page_timeout=page_timeout, request_delay=0, respect_robots=False, use_sitemaps=False
        ),
        **options,
    )


async def main(page_timeout: float, each: bool) -> None:
    hard_limit = CaptureSettings(page_timeout=page_timeout).hard_limit
    async with running(portal_app()) as port:
        # nothing listens on port 1: the host probes' HTTPS attempts are refused at once
        network = NetworkSettings.build([f"{HOST}:80:127.0.0.1:{port}", f"{HOST}:443:127.0.0.1:1"])
        async with launch_browser(network) as browser:
            with tempfile.TemporaryDirectory() as folder:
                engine = open_database(f"sqlite:///{Path(folder) / 'hostile.db'}")
                if each:
                    limits = f"page timeout {page_timeout:g} s, hard limit {hard_limit:g} s"
                    print(f"Each hostile page alone ({limits})")
                    print("| case | status / class | s |\n|---|---|---|")
                    for path in ["/klein.html", *HOSTILE]:  # an ordinary page first: the baseline
                        started = time.monotonic()
                        outcome = await scan_target(
                            target(path, path, page_timeout, 0, consent={"enabled": False}),
                            engine=engine,
                            network=network,
                            browser=browser,
                        )
                        seconds = time.monotonic() - started
                        for row in _pages(engine, outcome.scan_id):
                            print(f"| {path} | {_status(row)} | {seconds:.1f} |")
                crawl = target("Portal", "/", page_timeout, 1)
                started = time.monotonic()
                outcome = await scan_target(crawl, engine=engine, network=network, browser=browser)
                seconds = time.monotonic() - started
                rows = _pages(engine, outcome.scan_id)
    print_portal(rows, seconds, page_timeout, crawl.crawl.concurrency, outcome.status)


def _pages(engine, scan_id: int) -> list[Page]:
    with session(engine) as db:
        return list(db.exec(select(Page).where(Page.scan_id == scan_id).order_by(Page.id)))


def _status(row: Page) -> str:
    return row.status + (f" / {row.failure_class}" if row.failure_class else "")


def print_portal(
    rows: list[Page], seconds: float, page_timeout: float, concurrency: int, status: str
) -> None:
    hostile = [row for row in rows if row.url.removeprefix(f"http://{HOST}") in HOSTILE]
    classes: dict[str, int] = {}
    for row in rows:
        classes[_status(row)] = classes.get(_status(row), 0) + 1
    print(f"\nPortal: {len(rows)} pages ({len(hostile)} hostile), scan {status}, {seconds:.1f} s")
    for label, count in sorted(classes.items()):
        print(f"  {count:3d} × {label}")
    bound = len(hostile) * page_timeout / concurrency
    print(
        f"Hostile pages' share at one page timeout each over {concurrency} workers: {bound:.0f} s; "
        f"the rest of the scan (ordinary pages, host probes, checks): {seconds - bound:.0f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page-timeout", type=float, default=10.0)
    parser.add_argument("--each", action="store_true", help="first scan every hostile case on its own")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the hostile server's own resets
    asyncio.run(main(arguments.page_timeout, arguments.each))
