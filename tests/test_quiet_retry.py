"""A page whose collectors ran out of time while other pages shared the machine is visited once
more with the browser to itself (issue 16: axe "no result" under load); alone, it is not.

The server stands in for a machine under load: the images of the first visits, which run side by
side, come too late for the collectors to find time; afterwards they are quick.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from sqlmodel import select

from scanner.capture.browser import launch_browser
from scanner.evidence.axe import AxeEvidence
from scanner.net.network import NetworkSettings
from scanner.run.scan import scan_target
from scanner.store.db import session
from scanner.store.models import Page

from conftest import make_target
from httpserver import REQUEST_LOG, routes_from_dict, running

HOST = "www.ruhig-amt.de"
PAGE_TIMEOUT = 6.0
SLOW = 8.0  # seconds a slow image takes: longer than the page timeout


def page(title: str, body: str = "") -> bytes:
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    ).encode()


class SlowAtFirst:
    """Images that come after ``SLOW`` seconds for the first ``slow`` requests, then at once."""

    def __init__(self, slow: int) -> None:
        self.slow = slow

    async def __call__(self, request: web.Request) -> web.Response:
        if self.slow > 0:
            self.slow -= 1
            await asyncio.sleep(SLOW)
        return web.Response(body=b"GIF89a", content_type="image/gif")


def site(always_slow: bool = False) -> web.Application:
    image = '<img src="/bild.gif" alt="Wappen">'
    routes: dict = {
        "/": (200, "text/html", page("Start", '<a href="/a.html">A</a> <a href="/b.html">B</a>')),
        "/a.html": (200, "text/html", page("A", image)),
        "/b.html": (200, "text/html", page("B", image)),
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
    }
    routes["/bild.gif"] = SlowAtFirst(10**6 if always_slow else 2)  # the two first visits
    return routes_from_dict(routes)


@pytest_asyncio.fixture
async def served(request) -> AsyncIterator[tuple[web.Application, NetworkSettings]]:
    app = site(always_slow=getattr(request, "param", False))
    async with running(app) as port:
        network = NetworkSettings.build([f"{HOST}:80:127.0.0.1:{port}", f"{HOST}:443:127.0.0.1:1"])
        yield app, network


def target(concurrency: int):
    crawl = {
        "page_timeout": PAGE_TIMEOUT,
        "settle_cap": 30.0,  # settling may take all that loading left: the collectors find no time
        "concurrency": concurrency,
        "per_host_concurrency": concurrency,
        "respect_robots": False,
        "use_sitemaps": False,
    }
    return make_target("Ruhig", [f"http://{HOST}/"], max_depth=1, crawl=crawl)


def documents_served(app: web.Application, path: str) -> int:
    return sum(1 for seen in app[REQUEST_LOG] if seen.path_qs == path)


async def test_pages_whose_axe_found_no_time_under_load_are_visited_again_alone(served, engine) -> None:
    app, network = served
    async with launch_browser(network) as browser:
        outcome = await scan_target(target(concurrency=2), engine=engine, network=network, browser=browser)

    with session(engine) as db:
        pages = {p.url.removeprefix(f"http://{HOST}"): p for p in db.exec(select(Page)).all()}
    assert outcome.status == "completed"
    for path in ("/a.html", "/b.html"):
        assert documents_served(app, path) == 2, path  # the visit under load, then the one alone
        stored = pages[path]
        assert stored.status == "ok", path
        assert AxeEvidence.KIND in (stored.extras or {}), path
        assert "error" not in stored.extras[AxeEvidence.KIND], stored.extras[AxeEvidence.KIND]


@pytest.mark.parametrize("served", [True], indirect=True)  # images always slow
async def test_a_page_that_ran_out_of_time_alone_is_not_visited_again(served, engine) -> None:
    app, network = served
    async with launch_browser(network) as browser:
        await scan_target(target(concurrency=1), engine=engine, network=network, browser=browser)

    with session(engine) as db:
        pages = {p.url.removeprefix(f"http://{HOST}"): p for p in db.exec(select(Page)).all()}
    for path in ("/a.html", "/b.html"):
        assert documents_served(app, path) == 1, path
        assert pages[path].extras[AxeEvidence.KIND].get("out_of_time") is True, pages[path].extras
