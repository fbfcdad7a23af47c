"""URL normalisation, dedupe keys, document detection and document probes."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from scanner.crawl.documents import probe_document
from scanner.crawl.urls import (
    DOCUMENT_EXTENSIONS,
    document_extension,
    is_document_content_type,
    looks_like_document,
    normalise_url,
    origin_of,
    url_key,
)
from scanner.evidence import FailureClass, Redirect
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings

from httpserver import REQUEST_LOG, routes_from_dict, running

SITE = "https://www.example-amt.de"
DROP = ("utm_*", "fbclid")

# (input, base, drop_params, expected)
CASES: list[tuple[str, str | None, tuple[str, ...], str | None]] = [
    # scheme and host case; path case kept
    (
        "HTTP://WWW.Example-Amt.DE/Rathaus/Buergerservice",
        None,
        (),
        "http://www.example-amt.de/Rathaus/Buergerservice",
    ),
    # empty path
    ("https://www.example-amt.de", None, (), "https://www.example-amt.de/"),
    # default ports removed, others kept
    ("http://www.example-amt.de:80/a", None, (), "http://www.example-amt.de/a"),
    ("https://www.example-amt.de:443/a", None, (), "https://www.example-amt.de/a"),
    ("http://www.example-amt.de:443/a", None, (), "http://www.example-amt.de:443/a"),
    ("https://www.example-amt.de:8443/a", None, (), "https://www.example-amt.de:8443/a"),
    ("https://user:pw@www.Example-Amt.de:443/", None, (), "https://user:pw@www.example-amt.de/"),
    # fragments
    ("https://www.example-amt.de/a#inhalt", None, (), "https://www.example-amt.de/a"),
    ("https://www.example-amt.de/#", None, (), "https://www.example-amt.de/"),
    # dot segments
    ("https://www.example-amt.de/a/./b/../c", None, (), "https://www.example-amt.de/a/c"),
    ("https://www.example-amt.de/a/b/..", None, (), "https://www.example-amt.de/a/"),
    ("https://www.example-amt.de/../../x", None, (), "https://www.example-amt.de/x"),
    ("https://www.example-amt.de/a/%2E%2E/x", None, (), "https://www.example-amt.de/x"),
    ("https://www.example-amt.de/a//b", None, (), "https://www.example-amt.de/a//b"),
    # trailing slashes untouched
    ("https://www.example-amt.de/a/", None, (), "https://www.example-amt.de/a/"),
    # percent-encoding: upper-case hex, decode unreserved, keep reserved escapes, encode the rest
    ("https://www.example-amt.de/%7euser/%2fa%2F", None, (), "https://www.example-amt.de/~user/%2Fa%2F"),
    ("https://www.example-amt.de/%41%62c%2d", None, (), "https://www.example-amt.de/Abc-"),
    ("https://www.example-amt.de/a%c3%bc", None, (), "https://www.example-amt.de/a%C3%BC"),
    (
        "https://www.example-amt.de/Bürgerservice/Anträge stellen",
        None,
        (),
        "https://www.example-amt.de/B%C3%BCrgerservice/Antr%C3%A4ge%20stellen",
    ),
    ('https://www.example-amt.de/a b"<>', None, (), "https://www.example-amt.de/a%20b%22%3C%3E"),
    ("https://www.example-amt.de/100%", None, (), "https://www.example-amt.de/100%"),
    (
        "https://www.example-amt.de/suche?q=Straße+Platz",
        None,
        (),
        "https://www.example-amt.de/suche?q=Stra%C3%9Fe+Platz",
    ),
    ("https://www.example-amt.de/a?x=%7e%2f&y=%3d", None, (), "https://www.example-amt.de/a?x=~%2F&y=%3D"),
    # IDN hosts (UTS 46 non-transitional: ß stays distinct from ss, as in browsers)
    ("https://www.Bürgeramt-Musterstadt.de/", None, (), "https://www.xn--brgeramt-musterstadt-pec.de/"),
    ("https://straße.example.de/", None, (), "https://xn--strae-oqa.example.de/"),
    ("https://XN--MNCHEN-3YA.de/", None, (), "https://xn--mnchen-3ya.de/"),
    # IPv6 literal
    ("https://[2001:DB8:0::1]:443/x", None, (), "https://[2001:db8::1]/x"),
    # dropped parameters; the order of the others is kept
    (
        "https://www.example-amt.de/a?utm_source=nl&id=5&UTM_Medium=mail&fbclid=z&b=1",
        None,
        DROP,
        "https://www.example-amt.de/a?id=5&b=1",
    ),
    ("https://www.example-amt.de/a?utm_source=nl", None, DROP, "https://www.example-amt.de/a"),
    (
        "https://www.example-amt.de/a?b=2&a=1&utm_campaign=x",
        None,
        DROP,
        "https://www.example-amt.de/a?b=2&a=1",
    ),
    ("https://www.example-amt.de/a?utm_source=nl", None, (), "https://www.example-amt.de/a?utm_source=nl"),
    ("https://www.example-amt.de/a?", None, (), "https://www.example-amt.de/a"),
    # relative references
    ("../impressum", f"{SITE}/rathaus/buergerservice/index.html", (), f"{SITE}/rathaus/impressum"),
    ("datei.pdf", f"{SITE}/dokumente/", (), f"{SITE}/dokumente/datei.pdf"),
    ("//cdn.example-amt.de/x.js", f"{SITE}/", (), "https://cdn.example-amt.de/x.js"),
    ("?seite=2", f"{SITE}/news?seite=1", (), f"{SITE}/news?seite=2"),
    ("#top", f"{SITE}/kontakt", (), f"{SITE}/kontakt"),
    ("/a?utm_source=x&q=1#f", f"{SITE}/b", DROP, f"{SITE}/a?q=1"),
    ("  https://www.example-amt.de/a\n", None, (), "https://www.example-amt.de/a"),
    # not http(s) or not parsable
    ("mailto:poststelle@example-amt.de", None, (), None),
    ("tel:+4930123456", None, (), None),
    ("javascript:void(0)", f"{SITE}/", (), None),
    ("data:text/html,hallo", None, (), None),
    ("ftp://ftp.example-amt.de/pub/", None, (), None),
    ("/relative/without/base", None, (), None),
    ("http://[::1", None, (), None),
    ("http://www.example-amt.de:99999/", None, (), None),
    ("http:///no-host", None, (), None),
    ("http://exa mple.de/", None, (), None),
]


@pytest.mark.parametrize(("url", "base", "drop", "expected"), CASES)
def test_normalise_url(url: str, base: str | None, drop: tuple[str, ...], expected: str | None) -> None:
    assert normalise_url(url, base=base, drop_params=drop) == expected


@pytest.mark.parametrize("expected", sorted({case[3] for case in CASES if case[3] is not None}))
def test_normalise_url_is_idempotent(expected: str) -> None:
    assert normalise_url(expected) == expected


def test_url_key_is_stable_and_spelling_insensitive() -> None:
    key = url_key("https://www.example-amt.de/a/b")
    assert len(key) == 32 and all(char in "0123456789abcdef" for char in key)
    assert url_key("HTTPS://WWW.EXAMPLE-AMT.DE:443/a/./b#x") == key
    assert url_key("https://www.example-amt.de/a/B") != key
    assert url_key("https://www.example-amt.de/a/b/") != key
    assert url_key("mailto:a@example-amt.de") != url_key("mailto:b@example-amt.de")


def test_origin_of() -> None:
    assert origin_of("HTTPS://user@WWW.example-amt.de:443/a?b#c") == "https://www.example-amt.de"
    assert origin_of("http://www.example-amt.de:8080/") == "http://www.example-amt.de:8080"
    assert origin_of("mailto:x@example-amt.de") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example-amt.de/dokumente/Satzung.PDF", "pdf"),
        ("https://www.example-amt.de/SharedDocs/Downloads/DE/antrag.pdf?__blob=publicationFile&v=2", "pdf"),
        ("https://www.example-amt.de/DE/antrag.docx;jsessionid=A1B2.live21", "docx"),
        ("https://www.example-amt.de/haushalt%202024.xlsx#blatt2", "xlsx"),
        ("https://www.example-amt.de/vortrag.odp", "odp"),
        ("https://www.example-amt.de/buch.epub", "epub"),
        ("https://www.example-amt.de/seite.html", None),
        ("https://www.example-amt.de/pdf/", None),
        ("https://www.example-amt.de/download?file=a.pdf", None),  # the query is not the path
        ("https://www.example-amt.de/daten.csv", None),
        ("https://www.example-amt.de/", None),
    ],
)
def test_document_extension(url: str, expected: str | None) -> None:
    assert document_extension(url) == expected
    assert looks_like_document(url) is (expected is not None)


def test_document_extensions_cover_office_and_pdf() -> None:
    expected = {
        "pdf",
        "doc",
        "docx",
        "dot",
        "dotx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "pps",
        "ppsx",
        "odt",
        "ods",
        "odp",
        "odg",
        "rtf",
        "epub",
    }
    assert set(DOCUMENT_EXTENSIONS) == expected
    assert all(is_document_content_type(media_type) for media_type in DOCUMENT_EXTENSIONS.values())


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/pdf", True),
        ("Application/PDF; charset=binary", True),
        ("application/msword", True),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
        ("application/vnd.oasis.opendocument.spreadsheet", True),
        ("application/vnd.ms-excel.sheet.macroEnabled.12", True),
        ("text/rtf", True),
        ("application/epub+zip", True),
        ("text/html; charset=utf-8", False),
        ("application/octet-stream", False),
        ("application/zip", False),
        ("", False),
        (None, False),
    ],
)
def test_is_document_content_type(content_type: str | None, expected: bool) -> None:
    assert is_document_content_type(content_type) is expected


# --- probe_document (over a live server) ---------------------------------------------------------

PDF = b"%PDF-1.7\n" + b"0" * 12_336
AMT = "www.example-amt.de"
LOCAL = "127.0.0.1"


async def head_refused(request: web.Request) -> web.Response:
    """Like many CMS download scripts: no HEAD, but Range support."""
    if request.method == "HEAD":
        return web.Response(status=405, headers={"Allow": "GET"})
    assert request.headers.get("Range") == "bytes=0-0"
    return web.Response(
        status=206,
        body=b"P",
        headers={
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Range": "bytes 0-0/98765",
        },
    )


async def head_not_implemented_no_range(request: web.Request) -> web.Response:
    if request.method == "HEAD":
        return web.Response(status=501)
    return web.Response(status=200, body=b"x" * 4096, content_type="application/msword")


async def head_drops_connection(request: web.Request) -> web.Response:
    if request.method == "HEAD":
        assert request.transport is not None
        request.transport.abort()
    return web.Response(
        status=206, body=b"%", headers={"Content-Type": "application/pdf", "Content-Range": "bytes 0-0/777"}
    )


DOCUMENT_ROUTES = {
    "/dokumente/satzung.pdf": (200, "application/pdf", PDF),
    "/alt/satzung.pdf": (301, "text/plain", b"", {"Location": "/dokumente/satzung.pdf"}),
    "/dokumente/haushalt.xlsx": head_refused,
    "/dokumente/antrag.doc": head_not_implemented_no_range,
    "/dokumente/plan.pdf": head_drops_connection,
}


@pytest.fixture
async def document_site() -> AsyncIterator[tuple[web.Application, NetClient]]:
    app = routes_from_dict(DOCUMENT_ROUTES)
    async with running(app) as port, NetClient(NetworkSettings.build([f"{AMT}:80:{LOCAL}:{port}"])) as client:
        yield app, client


def methods(app: web.Application) -> list[tuple[str, str, str | None]]:
    return [(seen.method, seen.path_qs, seen.headers.get("Range")) for seen in app[REQUEST_LOG]]


async def test_head_gives_type_and_length(document_site: tuple[web.Application, NetClient]) -> None:
    app, client = document_site
    info = await probe_document(client, f"http://{AMT}/dokumente/satzung.pdf")
    assert (info.status, info.content_type, info.size) == (200, "application/pdf", len(PDF))
    assert info.method == "HEAD"
    assert info.final_url == f"http://{AMT}/dokumente/satzung.pdf"
    assert info.failure_class is None and info.failure_detail is None
    assert methods(app) == [("HEAD", "/dokumente/satzung.pdf", None)]


async def test_redirects_are_recorded(document_site: tuple[web.Application, NetClient]) -> None:
    _, client = document_site
    info = await probe_document(client, f"http://{AMT}/alt/satzung.pdf")
    assert info.final_url == f"http://{AMT}/dokumente/satzung.pdf"
    assert info.redirect_chain == (Redirect(f"http://{AMT}/alt/satzung.pdf", 301, "/dokumente/satzung.pdf"),)
    assert info.size == len(PDF)


async def test_refused_head_falls_back_to_range_get(document_site: tuple[web.Application, NetClient]) -> None:
    app, client = document_site
    info = await probe_document(client, f"http://{AMT}/dokumente/haushalt.xlsx")
    assert (info.status, info.size, info.method) == (206, 98765, "GET")  # not the 1 of Content-Length
    assert info.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert info.failure_class is None
    path = "/dokumente/haushalt.xlsx"
    assert methods(app) == [("HEAD", path, None), ("GET", path, "bytes=0-0")]


async def test_range_ignored_uses_content_length(document_site: tuple[web.Application, NetClient]) -> None:
    _, client = document_site
    info = await probe_document(client, f"http://{AMT}/dokumente/antrag.doc")
    assert (info.status, info.content_type, info.size) == (200, "application/msword", 4096)
    assert info.method == "GET"


async def test_failed_head_falls_back_to_range_get(document_site: tuple[web.Application, NetClient]) -> None:
    app, client = document_site
    info = await probe_document(client, f"http://{AMT}/dokumente/plan.pdf")
    assert (info.status, info.size, info.method, info.failure_class) == (206, 777, "GET", None)
    seen = [method for method, _, _ in methods(app)]
    assert seen[-1] == "GET" and set(seen[:-1]) == {"HEAD"}  # aiohttp may retry the idempotent HEAD once


async def test_missing_document_is_an_http_error(document_site: tuple[web.Application, NetClient]) -> None:
    _, client = document_site
    info = await probe_document(client, f"http://{AMT}/dokumente/fehlt.pdf")
    assert (info.status, info.failure_class) == (404, FailureClass.HTTP_ERROR)
    assert info.failure_detail == "HTTP 404"


async def test_unreachable_document() -> None:
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with NetClient(NetworkSettings.build([f"{AMT}:80:127.0.0.1:{port}"])) as client:
        info = await probe_document(client, f"http://{AMT}/dokumente/satzung.pdf")
    assert (info.status, info.size, info.failure_class) == (None, None, FailureClass.CONNECTION_REFUSED)
    assert info.failure_detail is not None and info.failure_detail.startswith("HEAD: connection_refused")
