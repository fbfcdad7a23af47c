"""Sitemap parsing (XML, gzip, text, hostile input) and breadth-first discovery over a live server."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from scanner.crawl.scope import CrawlScope, FirstPartySet
from scanner.crawl.sitemaps import SITEMAP_MAX_BYTES, discover_sitemap_urls, parse_sitemap, sitemap_candidates
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings

from httpserver import REQUEST_LOG, routes_from_dict, running

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
AMT = "http://www.example-amt.de"
EXTERN = "http://www.example-extern.de"


def urlset(*locs: str, namespace: str = NS) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc><lastmod>2024-05-01</lastmod></url>\n" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {namespace}>\n{entries}</urlset>\n'.encode()


def sitemapindex(*locs: str, namespace: str = NS) -> bytes:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>\n" for loc in locs)
    return f'<?xml version="1.0"?>\n<sitemapindex {namespace}>\n{entries}</sitemapindex>\n'.encode()


# --- parse_sitemap -------------------------------------------------------------------------------


def test_namespaced_urlset_with_bom_and_whitespace() -> None:
    data = (
        b"\xef\xbb\xbf"
        + (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS} xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            "<url>\n  <loc>\n    https://www.example-amt.de/rathaus/\n  </loc>\n"
            "  <image:image><image:loc>https://www.example-amt.de/bild.jpg</image:loc></image:image></url>"
            "<!-- ein Kommentar -->"
            "<url><loc><![CDATA[https://www.example-amt.de/suche?q=a&b=c]]></loc></url>"
            "<url><loc>https://www.example-amt.de/a?x=1&amp;y=2</loc></url>"
            "<url><loc>   </loc></url>"
            "</urlset>"
        ).encode()
    )
    document = parse_sitemap(data)
    assert document.error is None
    assert document.urls == [
        "https://www.example-amt.de/rathaus/",
        "https://www.example-amt.de/suche?q=a&b=c",
        "https://www.example-amt.de/a?x=1&y=2",
    ]
    assert document.sitemaps == []


def test_unnamespaced_sitemapindex_and_google_084_namespace() -> None:
    plain = parse_sitemap(sitemapindex(f"{AMT}/a.xml", f"{AMT}/b.xml", namespace=""))
    assert (plain.sitemaps, plain.urls, plain.error) == ([f"{AMT}/a.xml", f"{AMT}/b.xml"], [], None)
    old = parse_sitemap(urlset(f"{AMT}/x", namespace='xmlns="http://www.google.com/schemas/sitemap/0.84"'))
    assert old.urls == [f"{AMT}/x"]


def test_gzip_is_detected_by_magic_bytes() -> None:
    document = parse_sitemap(gzip.compress(urlset(f"{AMT}/gz")))
    assert (document.urls, document.error) == ([f"{AMT}/gz"], None)
    # two gzip members (concatenated files) are one stream
    two = parse_sitemap(
        gzip.compress(b"https://www.example-amt.de/1\n") + gzip.compress(b"https://www.example-amt.de/2\n")
    )
    assert two.urls == [f"{AMT.replace('http:', 'https:')}/1", f"{AMT.replace('http:', 'https:')}/2"]


def test_plain_text_sitemap() -> None:
    document = parse_sitemap(b"https://www.example-amt.de/a\r\n\r\n  http://www.example-amt.de/b \nkein URL")
    assert document.urls == ["https://www.example-amt.de/a", "http://www.example-amt.de/b"]
    assert document.error is None


@pytest.mark.parametrize(
    ("data", "error_start"),
    [
        (b"<urlset><url><loc>https://www.example-amt.de/</loc></url>", "malformed XML"),
        (b"<!DOCTYPE html><html><body><p>Seite nicht gefunden<br></body></html>", "malformed XML"),
        (b"<html><body><p>Seite nicht gefunden</p></body></html>", "not a sitemap: root element <html>"),
        (b"", "empty file"),
        (b"\xef\xbb\xbf  \n", "empty file"),
        (b"Diese Datei ist keine Sitemap.", "neither XML nor a list of URLs"),
        (gzip.compress(urlset(f"{AMT}/x"))[:-12], "gzip: truncated"),
        (b"\x1f\x8b\x08\x00garbage", "gzip:"),
    ],
)
def test_broken_files_give_an_error_not_an_exception(data: bytes, error_start: str) -> None:
    document = parse_sitemap(data)
    assert document.error is not None and document.error.startswith(error_start), document.error
    assert document.urls == [] and document.sitemaps == []


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b" " * (SITEMAP_MAX_BYTES + 1024), compresslevel=1)
    assert len(bomb) < 1024 * 1024
    document = parse_sitemap(bomb)
    assert document.error is not None and "uncompressed" in document.error


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIMNIS")
    external = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'
        "<urlset><url><loc>https://www.example-amt.de/&secret;</loc></url></urlset>"
    ).encode()
    document = parse_sitemap(external)
    assert len(document.urls) <= 1
    assert not any("GEHEIMNIS" in url for url in document.urls)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
        b"<urlset><url><loc>https://www.example-amt.de/&e;</loc></url></urlset>"
    )
    document = parse_sitemap(laughs)
    assert all(len(url) < 1000 for url in document.urls)


def test_sitemap_candidates() -> None:
    assert sitemap_candidates("https://www.example-amt.de/") == ["https://www.example-amt.de/sitemap.xml"]
    assert sitemap_candidates("https://www.example-amt.de", [f"{AMT}/s.xml"]) == [f"{AMT}/s.xml"]


# --- discover_sitemap_urls -----------------------------------------------------------------------

ROUTES = {
    "/sitemap.xml": (
        200,
        "application/xml",
        sitemapindex(
            f"{AMT}/sitemaps/seiten.xml",
            f"{AMT}/sitemaps/index-2.xml",
            f"{AMT}/sitemap.xml",  # lists itself
            f"{EXTERN}/sitemap.xml",  # out of scope: never fetched
            f"{AMT}/sitemaps/umzug.xml",  # redirects out of scope
            f"{AMT}/sitemaps/news.xml.gz",
            "/sitemaps/gz-als-xml.xml",  # relative (against the rules, but seen in the wild)
            f"{AMT}/sitemaps/kaputt.xml",
            f"{AMT}/sitemaps/fehlt.xml",
        ),
    ),
    "/sitemaps/seiten.xml": (
        200,
        "text/xml; charset=utf-8",
        urlset(
            f"{AMT}/",
            f"{AMT}/rathaus/",
            f"{AMT}/rathaus/?utm_source=newsletter",  # the same page once utm_* is dropped
            "HTTP://WWW.EXAMPLE-AMT.DE:80/rathaus/#oeffnungszeiten",  # the same page, other spelling
            f"{EXTERN}/partner",  # out of scope
            f"{AMT}/intern/akte",  # excluded by the scope
            f"{AMT}/buergerservice/",
        ),
    ),
    "/sitemaps/index-2.xml": (
        200,
        "application/xml",
        sitemapindex(f"{AMT}/sitemaps/tief.xml", f"{AMT}/sitemap.xml", namespace=""),
    ),
    "/sitemaps/tief.xml": (200, "application/xml", urlset(f"{AMT}/tief/1", f"{AMT}/rathaus/", namespace="")),
    "/sitemaps/umzug.xml": (301, "text/plain", b"", {"Location": f"{EXTERN}/sitemap.xml"}),
    "/sitemaps/news.xml.gz": (
        200,
        "application/x-gzip",
        gzip.compress(urlset(f"{AMT}/news/1", f"{AMT}/news/2")),
    ),
    "/sitemaps/gz-als-xml.xml": (200, "application/xml", gzip.compress(urlset(f"{AMT}/gz/1"))),
    "/sitemaps/kaputt.xml": (200, "application/xml", b"<urlset><url><loc>http://www.example-amt.de/k</loc>"),
    f"{EXTERN.removeprefix('http://')}/sitemap.xml": (200, "application/xml", urlset(f"{EXTERN}/x")),
}

EXPECTED_URLS = [
    f"{AMT}/",
    f"{AMT}/rathaus/",
    f"{AMT}/buergerservice/",
    f"{AMT}/news/1",
    f"{AMT}/news/2",
    f"{AMT}/gz/1",
    f"{AMT}/tief/1",
]

SCOPE = CrawlScope(FirstPartySet(["example-amt.de"]), exclude=[r"/intern/"])


@pytest.fixture
async def site() -> AsyncIterator[tuple[web.Application, NetClient]]:
    app = routes_from_dict(ROUTES)
    async with running(app) as port:
        hosts = ("www.example-amt.de", "www.example-extern.de")
        network = NetworkSettings.build([f"{host}:80:127.0.0.1:{port}" for host in hosts])
        async with NetClient(network) as client:
            yield app, client


def fetched(app: web.Application) -> list[str]:
    return [f"http://{seen.host}{seen.path_qs}" for seen in app[REQUEST_LOG]]


async def test_discovery_breadth_first(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    result = await discover_sitemap_urls(
        client, [f"{AMT}/sitemap.xml"], allow=SCOPE.allows, max_urls=100, drop_params=["utm_*"]
    )
    assert result.urls == EXPECTED_URLS
    assert result.sitemaps_read == [
        f"{AMT}/sitemap.xml",
        f"{AMT}/sitemaps/seiten.xml",
        f"{AMT}/sitemaps/index-2.xml",
        f"{AMT}/sitemaps/news.xml.gz",
        f"{AMT}/sitemaps/gz-als-xml.xml",
        f"{AMT}/sitemaps/tief.xml",
    ]
    errors = dict(result.errors)
    assert set(errors) == {f"{AMT}/sitemaps/{name}.xml" for name in ("umzug", "kaputt", "fehlt")}
    assert errors[f"{AMT}/sitemaps/umzug.xml"].startswith("redirected_out_of_scope")
    assert errors[f"{AMT}/sitemaps/kaputt.xml"].startswith("parse error: malformed XML")
    assert errors[f"{AMT}/sitemaps/fehlt.xml"] == "HTTP 404"
    assert result.skipped == [f"{EXTERN}/sitemap.xml"]
    assert result.limit_reached is None
    requested = fetched(app)
    assert not any(url.startswith(EXTERN) for url in requested)
    assert len(requested) == len(set(requested)) == 9  # each file once, despite the loops


async def test_max_urls_stops_early(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    result = await discover_sitemap_urls(
        client, [f"{AMT}/sitemap.xml"], allow=SCOPE.allows, max_urls=4, drop_params=["utm_*"]
    )
    assert result.urls == EXPECTED_URLS[:4]
    assert result.limit_reached == "max_urls"
    assert f"{AMT}/sitemaps/gz-als-xml.xml" not in fetched(app)


async def test_max_sitemaps_stops_early(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    result = await discover_sitemap_urls(
        client, [f"{AMT}/sitemap.xml"], allow=SCOPE.allows, max_urls=100, max_sitemaps=2
    )
    assert result.sitemaps_read == [f"{AMT}/sitemap.xml", f"{AMT}/sitemaps/seiten.xml"]
    assert result.limit_reached == "max_sitemaps"
    assert len(fetched(app)) == 2
    # without drop_params the utm variant is a page of its own
    assert result.urls == [
        f"{AMT}/",
        f"{AMT}/rathaus/",
        f"{AMT}/rathaus/?utm_source=newsletter",
        f"{AMT}/buergerservice/",
    ]


async def test_out_of_scope_start_is_not_fetched(site: tuple[web.Application, NetClient]) -> None:
    app, client = site
    result = await discover_sitemap_urls(
        client, [f"{EXTERN}/sitemap.xml", "mailto:x@example-amt.de"], allow=SCOPE.allows, max_urls=10
    )
    assert (result.urls, result.sitemaps_read, result.skipped) == ([], [], [f"{EXTERN}/sitemap.xml"])
    assert result.errors == [("mailto:x@example-amt.de", "not an http(s) URL")]
    assert fetched(app) == []
