"""robots.txt: rules, groups, and what an absent or failing robots.txt means (RFC 9309)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from scanner import user_agent_suffix
from scanner.crawl.robots import ROBOTS_MAX_BYTES, RobotsCache, fetch_robots
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings

from httpserver import REQUEST_LOG, routes_from_dict, running

AMT = "www.example-amt.de"  # only a "*" group
KREIS = "www.example-kreis.de"  # a govscan group besides "*"
STADT = "www.example-stadt.de"  # robots.txt behind redirects, across hosts
FEHLER = "www.example-fehler.de"  # 500
LANGSAM = "www.example-langsam.de"  # 429
WEG = "www.example-weg.de"  # 404
SCHLEIFE = "www.example-schleife.de"  # redirect loop
GROSS = "www.example-gross.de"  # larger than 500 KiB
HOSTS = (AMT, KREIS, STADT, FEHLER, LANGSAM, WEG, SCHLEIFE, GROSS)

AMT_ROBOTS = b"""\xef\xbb\xbf# robots.txt des Amtes
User-agent: *
Disallow: /intern/
Allow: /intern/oeffentlich/
Disallow: /*.pdf$
Disallow: /suche*
Crawl-delay: 2

Sitemap: https://www.example-amt.de/sitemap.xml
Sitemap: https://www.example-amt.de/sitemap-news.xml.gz
"""

KREIS_ROBOTS = b"""User-agent: *
Disallow: /

User-agent: GovScan
Disallow: /verwaltung/
Allow: /verwaltung/formulare
Crawl-delay: 5
"""

# Comment padding: "Disallow: /vorne/" ends below 500 KiB, "Disallow: /hinten/" starts above it.
_PADDING_LINE = b"# " + b"x" * 1021 + b"\n"
GROSS_ROBOTS = (
    b"User-agent: *\n"
    + _PADDING_LINE * 490
    + b"Disallow: /vorne/\n"
    + _PADDING_LINE * 30
    + b"Disallow: /hinten/\n"
)

ROUTES = {
    f"{AMT}/robots.txt": (200, "text/plain; charset=utf-8", AMT_ROBOTS),
    f"{KREIS}/robots.txt": (200, "text/plain", KREIS_ROBOTS),
    f"{STADT}/robots.txt": (301, "text/plain", b"", {"Location": "/robots-neu.txt"}),
    f"{STADT}/robots-neu.txt": (302, "text/plain", b"", {"Location": f"http://{AMT}/robots-stadt.txt"}),
    f"{AMT}/robots-stadt.txt": (200, "text/plain", b"User-agent: *\nDisallow: /geheim/\n"),
    f"{FEHLER}/robots.txt": (500, "text/plain", b"Interner Fehler"),
    f"{LANGSAM}/robots.txt": (429, "text/plain", b"Zu viele Anfragen", {"Retry-After": "60"}),
    f"{WEG}/robots.txt": (404, "text/html", b"<h1>Seite nicht gefunden</h1>"),
    f"{SCHLEIFE}/robots.txt": (302, "text/plain", b"", {"Location": "/a"}),
    f"{SCHLEIFE}/a": (302, "text/plain", b"", {"Location": "/b"}),
    f"{SCHLEIFE}/b": (302, "text/plain", b"", {"Location": "/a"}),
    f"{GROSS}/robots.txt": (200, "text/plain", GROSS_ROBOTS),
}


@pytest.fixture
async def site() -> AsyncIterator[tuple[web.Application, NetClient]]:
    app = routes_from_dict(ROUTES)
    async with running(app) as port:
        network = NetworkSettings.build([f"{host}:80:127.0.0.1:{port}" for host in HOSTS])
        async with NetClient(network, user_agent=f"Mozilla/5.0 {user_agent_suffix()}") as client:
            yield app, client


def robots_requests(app: web.Application) -> list[tuple[str, str]]:
    return [(seen.host, seen.path_qs) for seen in app[REQUEST_LOG] if seen.path_qs.startswith("/robots")]


async def test_star_group_rules(site: tuple[web.Application, NetClient]) -> None:
    _, client = site
    policy = await fetch_robots(client, f"http://{AMT}")
    assert (policy.status, policy.http_status, policy.fetched_url) == ("ok", 200, f"http://{AMT}/robots.txt")
    base = f"http://{AMT}"
    expectations = {
        "/": True,
        "/rathaus/": True,
        "/intern/": False,
        "/intern/akten/1": False,
        "/intern/oeffentlich/": True,  # longer Allow beats shorter Disallow
        "/intern/oeffentlich/plan": True,
        "/amtsblatt.pdf": False,  # "/*.pdf$"
        "/a/b/amtsblatt.pdf": False,
        "/amtsblatt.pdf?download=1": True,  # "$" anchors the end
        "/amtsblatt.pdfx": True,
        "/suche": False,
        "/suche?q=hund": False,
        "/suchergebnisse": False,  # "/suche*" is a prefix match
        "/such": True,
    }
    assert {path: policy.allows(base + path) for path in expectations} == expectations
    assert policy.crawl_delay == 2.0
    assert policy.sitemaps == [f"https://{AMT}/sitemap.xml", f"https://{AMT}/sitemap-news.xml.gz"]


async def test_govscan_group_beats_star_group(site: tuple[web.Application, NetClient]) -> None:
    _, client = site
    policy = await fetch_robots(client, f"http://{KREIS}/")
    assert policy.status == "ok"
    assert policy.allows(f"http://{KREIS}/")  # "*" says Disallow: /, but the govscan group applies
    assert not policy.allows(f"http://{KREIS}/verwaltung/personal")
    assert policy.allows(f"http://{KREIS}/verwaltung/formulare/antrag")
    assert policy.crawl_delay == 5.0
    assert policy.sitemaps == []
    # Another crawler gets the "*" group.
    assert not policy.allows(f"http://{KREIS}/", user_agent_token="otherbot")


async def test_redirects_are_followed_across_hosts(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    policy = await fetch_robots(client, f"http://{STADT}")
    assert policy.status == "ok"
    assert policy.fetched_url == f"http://{AMT}/robots-stadt.txt"
    assert not policy.allows(f"http://{STADT}/geheim/akte")
    assert policy.allows(f"http://{STADT}/intern/")  # the redirect target's own robots.txt is not used
    assert robots_requests(app) == [
        (STADT, "/robots.txt"),
        (STADT, "/robots-neu.txt"),
        (AMT, "/robots-stadt.txt"),
    ]


async def test_redirect_loop_counts_as_missing(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    policy = await fetch_robots(client, f"http://{SCHLEIFE}")
    assert policy.status == "missing"
    assert policy.detail is not None and policy.detail.startswith("too_many_redirects")
    assert policy.allows(f"http://{SCHLEIFE}/irgendwas")
    assert len([seen for seen in app[REQUEST_LOG] if seen.host == SCHLEIFE]) == 6  # first request + 5 hops


async def test_404_allows_everything(site: tuple[web.Application, NetClient]) -> None:
    _, client = site
    policy = await fetch_robots(client, f"http://{WEG}")
    assert (policy.status, policy.http_status, policy.detail) == ("missing", 404, "HTTP 404")
    assert policy.allows(f"http://{WEG}/intern/")
    assert policy.crawl_delay is None and policy.sitemaps == []


@pytest.mark.parametrize(("host", "status"), [(FEHLER, 500), (LANGSAM, 429)])
async def test_server_error_disallows_everything(
    site: tuple[web.Application, NetClient], host: str, status: int
) -> None:
    _, client = site
    policy = await fetch_robots(client, f"http://{host}")
    assert (policy.status, policy.http_status) == ("unreachable", status)
    assert not policy.allows(f"http://{host}/")
    assert not policy.allows(f"http://{host}/robots.txt-is-not-special-here")


async def test_connection_refused_disallows_everything() -> None:
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    network = NetworkSettings.build([f"www.example-zu.de:80:127.0.0.1:{port}"])
    async with NetClient(network) as client:
        policy = await fetch_robots(client, "http://www.example-zu.de")
    assert policy.status == "unreachable"
    assert policy.http_status is None
    assert policy.detail is not None and policy.detail.startswith("connection_refused")
    assert not policy.allows("http://www.example-zu.de/")


async def test_body_is_read_up_to_500_kib(site: tuple[web.Application, NetClient]) -> None:
    _, client = site
    assert len(GROSS_ROBOTS) > ROBOTS_MAX_BYTES > GROSS_ROBOTS.index(b"Disallow: /vorne/\n") + 18
    policy = await fetch_robots(client, f"http://{GROSS}")
    assert policy.status == "ok"
    assert policy.allows(f"http://{GROSS}/hinten/")  # beyond 500 KiB: ignored
    assert not policy.allows(f"http://{GROSS}/vorne/")


async def test_cache_fetches_each_origin_once(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    cache = RobotsCache(client)
    urls = [f"http://{AMT}/seite/{index}" for index in range(10)] + [f"HTTP://{AMT.upper()}:80/x#y"]
    policies = await asyncio.gather(*(cache.policy_for(url) for url in urls))
    assert all(policy is policies[0] for policy in policies)
    assert not policies[0].allows(f"http://{AMT}/intern/")
    kreis = await cache.policy_for(f"http://{KREIS}/")
    assert kreis.allows(f"http://{KREIS}/")
    assert robots_requests(app) == [(AMT, "/robots.txt"), (KREIS, "/robots.txt")]
    with pytest.raises(ValueError):
        await cache.policy_for("mailto:poststelle@example-amt.de")


async def test_cache_is_bounded(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    cache = RobotsCache(client, max_origins=2)
    for host in (AMT, KREIS, WEG):
        await cache.policy_for(f"http://{host}/")
    assert len(cache) == 2
    await cache.policy_for(f"http://{WEG}/")  # still cached
    await cache.policy_for(f"http://{AMT}/")  # forgotten: fetched again
    assert [host for host, _ in robots_requests(app)] == [AMT, KREIS, WEG, AMT]
