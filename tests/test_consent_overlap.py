"""Consent-scenario revisits run beside the crawl, pick the same sample as after it, and stay polite."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

import scanner.run.scan as scan_module
from scanner.crawl.urls import url_key
from scanner.net.hostnames import host_of
from scanner.store.db import session
from scanner.store.models import Page

from conftest import make_target
from localweb import page

# The page the sample must take keeps the network busy until the settle cap: a sampler that took
# whichever pages rendered first would pick another one.
BUSY = "<script>setInterval(() => fetch('/puls.txt?' + Date.now()), 100);</script>"
PAGES = "abcdef"


async def test_revisits_start_while_first_visits_are_queued(
    local_web, run_scan, engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"/": page("".join(f'<a href="/{name}.html">Seite {name}</a>' for name in PAGES))}
    origin = "https://www.zeitgleich-amt.de"
    sampled = min(PAGES, key=lambda name: url_key(f"{origin}/{name}.html"))  # depth 1, then by URL key
    files |= {f"/{name}.html": page(f"Seite {name}" + (BUSY if name == sampled else "")) for name in PAGES}
    files["/puls.txt"] = "1"
    site = local_web.site("www.zeitgleich-amt.de", files)
    open_pages: Counter[str] = Counter()
    most_open: Counter[str] = Counter()
    capture_page = scan_module.capture_page

    async def counting_capture(browser, url, **kwargs):
        host = host_of(url)
        open_pages[host] += 1
        most_open[host] = max(most_open[host], open_pages[host])
        try:
            return await capture_page(browser, url, **kwargs)
        finally:
            open_pages[host] -= 1

    monkeypatch.setattr(scan_module, "capture_page", counting_capture)
    target = make_target(
        "Zeitgleich-Amt",
        [site + "/"],
        crawl={"concurrency": 3, "per_host_concurrency": 2},
        consent={"sample_pages": 1},
    )

    outcome = await run_scan(target)

    assert outcome.status == "completed"
    with session(engine) as db:
        rows = db.exec(select(Page.id, Page.url, Page.scenario).order_by(Page.id)).all()
    revisits = [(url, scenario) for _, url, scenario in rows if scenario != "first-visit"]
    assert sorted(revisits) == [
        (site + "/", "accepted"),
        (site + "/", "rejected"),
        (f"{site}/{sampled}.html", "accepted"),
        (f"{site}/{sampled}.html", "rejected"),
    ]  # the same sample as when it was chosen after the crawl
    first_revisit = min(id_ for id_, _, scenario in rows if scenario != "first-visit")
    last_first_visit = max(id_ for id_, _, scenario in rows if scenario == "first-visit")
    assert first_revisit < last_first_visit  # the homepage's revisits did not wait for the crawl's end
    assert most_open["www.zeitgleich-amt.de"] == 2  # per_host_concurrency, revisits included
