"""A small HTTP(S) test server on 127.0.0.1 for tests that need real sockets (never the internet).

Typical use, with a client that maps real-looking names to the server::

    app = routes_from_dict({
        "/robots.txt": (200, "text/plain", b"User-agent: *\\nDisallow: /intern/\\n"),
        "www.example-amt.de/sitemap.xml": (200, "application/xml", SITEMAP_BYTES),
        "/alt": (301, "text/plain", b"", {"Location": "/neu"}),
        "/form": handler,  # any aiohttp handler, for method-specific behaviour
    })
    async with running(app) as port:
        network = NetworkSettings.build([f"www.example-amt.de:80:127.0.0.1:{port}"])
        async with NetClient(network) as client:
            ...
    assert ("GET", "www.example-amt.de", "/robots.txt") in [r[:3] for r in app[REQUEST_LOG]]

Keys are ``"/path"`` (any host) or ``"host/path"`` (only that Host header, port ignored); a key
may include the query (``"/suche?q=x"``), which wins over the bare path. HEAD requests get the
headers of the GET answer and no body. Unknown paths answer 404.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import NamedTuple

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# (status, content type, body) or (status, content type, body, extra headers)
Fixed = tuple[int, str, bytes] | tuple[int, str, bytes, Mapping[str, str]]


class SeenRequest(NamedTuple):
    method: str
    host: str  # Host header without port, lower case
    path_qs: str  # path and query as sent
    headers: Mapping[str, str]


REQUEST_LOG = web.AppKey("request_log", list[SeenRequest])


async def serve(
    app: web.Application, *, ssl_context: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, int]:
    """Start ``app`` on 127.0.0.1 on a free port; the caller ends it with ``await runner.cleanup()``."""
    runner = web.AppRunner(app, shutdown_timeout=1.0)  # a test server owes no client a graceful end
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    return runner, runner.addresses[0][1]


@asynccontextmanager
async def running(app: web.Application, *, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """``serve`` as a context manager yielding the port."""
    runner, port = await serve(app, ssl_context=ssl_context)
    try:
        yield port
    finally:
        await runner.cleanup()


def routes_from_dict(routes: Mapping[str, Fixed | Handler]) -> web.Application:
    """An app answering fixed responses (or delegating to handlers), logging every request."""
    app = web.Application()
    app[REQUEST_LOG] = []

    async def dispatch(request: web.Request) -> web.StreamResponse:
        host = (request.url.host or "").lower()
        app[REQUEST_LOG].append(SeenRequest(request.method, host, request.raw_path, dict(request.headers)))
        path = request.raw_path.split("?", 1)[0]
        for key in (host + request.raw_path, host + path, request.raw_path, path):
            if key in routes:
                route = routes[key]
                if callable(route):
                    return await route(request)
                return _fixed(route)
        return web.Response(status=404, text="not found")

    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app


def _fixed(spec: Fixed) -> web.Response:
    status, content_type, body, *rest = spec
    headers = dict(rest[0]) if rest else {}
    headers.setdefault("Content-Type", content_type)
    return web.Response(status=status, body=body, headers=headers)
