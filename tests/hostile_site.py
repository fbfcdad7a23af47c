"""A loopback web server whose paths each misbehave in one way a real, broken or hostile site does.

Every behaviour is bounded: a drip stops after ``MAX_SECONDS``, a stall ends then too, loops in
the browser are the browser's to end (govscan must end the page), so a test that goes wrong
costs minutes at most, never a hung run. ``/`` links to every case, so one scan meets them all.
"""

from __future__ import annotations

import asyncio
import functools
import zlib

from aiohttp import web

from httpserver import routes_from_dict

HTML = "text/html; charset=utf-8"
MAX_SECONDS = 90.0  # no response of this server lasts longer
DRIP_INTERVAL = 1.0  # seconds per byte of the slow drip

PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><main><h1>{title}</h1>{body}</main>
<footer><a href="/impressum.html">Impressum</a></footer></body></html>"""


def page(title: str, body: str = "", head: str = "") -> str:
    return PAGE.format(title=title, head=head, body=body)


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(status=status, text=text, content_type="text/html", charset="utf-8")


# --- pages that are complete on the wire but misbehave in the browser ---------------------

STATIC_CASES: dict[str, str] = {
    # JavaScript that never yields, while the document is still being parsed (no load event ever)
    "/endlos-vor-load.html": page("Endlos vor load", "<script>for(;;){}</script><p>nie erreicht</p>"),
    # ... and once the page has loaded (load fired, then every call into the page hangs)
    "/endlos-nach-load.html": page(
        "Endlos nach load", "<script>addEventListener('load',()=>setTimeout(()=>{for(;;){}},50))</script>"
    ),
    # network activity that never ends: a request every 100 ms, forever
    "/endlos-netz.html": page(
        "Endlos Netz", "<script>setInterval(()=>fetch('/ping?'+Math.random()).catch(()=>{}),100)</script>"
    ),
    # a page that reloads itself without end
    "/neu-laden.html": page("Neu laden", "<script>setTimeout(()=>location.reload(),10)</script>"),
    # dialogs and popups, again and again
    "/dialoge.html": page(
        "Dialoge",
        "<script>setInterval(()=>{alert('x');confirm('y');window.open('/dialoge.html')},200)</script>",
    ),
    # memory without end: the renderer runs out (V8's heap limit, about 2 GB here, in 6-9 s) and crashes
    "/speicher.html": page(
        "Speicher", "<script>const a=[];for(;;){a.push(new Array(1e7).fill(Math.random()))}</script>"
    ),
    # thousands of links and iframes
    "/viele-links.html": page(
        "Viele Links", "".join(f'<a href="/nirgends/{n}">Link {n}</a> ' for n in range(20000))
    ),
    "/viele-frames.html": page(
        "Viele Frames", "".join(f'<iframe src="/klein.html?{n}" title="{n}"></iframe>' for n in range(300))
    ),
    "/verschachtelt.html": page(
        "Verschachtelt", '<iframe src="/verschachtelt.html?1" title="tiefer"></iframe>'
    ),
    "/klein.html": page("Klein"),
    "/impressum.html": page("Impressum", "<p>Musterbehörde</p>"),
}


# --- responses that never arrive completely ----------------------------------------------

HEAD = b'<!doctype html><html><head><meta charset="utf-8"><title>Halb</title></head><body><main><p>'


async def stall(request: web.Request) -> web.StreamResponse:
    """The head and a little body, then nothing until the server's bound."""
    response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
    await response.prepare(request)
    await response.write(HEAD + b"Anfang")
    await asyncio.sleep(MAX_SECONDS)
    return response


async def drip(request: web.Request) -> web.StreamResponse:
    """One byte per second (the rest of the document never comes in time)."""
    response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
    await response.prepare(request)
    await response.write(HEAD)
    for _ in range(int(MAX_SECONDS / DRIP_INTERVAL)):
        await response.write(b"x")
        await asyncio.sleep(DRIP_INTERVAL)
    return response


async def reset(request: web.Request) -> web.StreamResponse:
    """A Content-Length of 20,000 bytes, 2,000 sent, then the connection is cut."""
    response = web.StreamResponse(
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Length": "20000"}
    )
    await response.prepare(request)
    await response.write(HEAD + b"x" * (2000 - len(HEAD)))
    await asyncio.sleep(0.2)
    if request.transport is not None:
        request.transport.abort()  # RST instead of the rest
    return response


HUGE_BYTES = 50 * 1024 * 1024


async def huge(request: web.Request) -> web.StreamResponse:
    """A 50 MB document, as a static file is served (with its Content-Length), and without one."""
    chunk = b"<p>Inhalt Inhalt Inhalt Inhalt</p>\n" * 2048
    chunks = HUGE_BYTES // len(chunk)
    tail = b"</main></body></html>"
    headers = {"Content-Type": HTML}
    if "ohne-laenge" not in request.path:
        headers["Content-Length"] = str(len(HEAD) + chunks * len(chunk) + len(tail))
    response = web.StreamResponse(headers=headers)
    await response.prepare(request)
    await response.write(HEAD)
    for _ in range(chunks):
        await response.write(chunk)
    await response.write(tail)
    return response


BOMB_BYTES = 256 * 1024 * 1024  # what the bomb expands to: 16 times govscan's document limit


@functools.cache
def _bomb() -> bytes:
    """256 MiB of spaces inside a page, gzip-compressed to about 250 KB (made once per test run)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip stream
    block = b" " * (1024 * 1024)
    parts = [compressor.compress(HEAD)]
    parts += [compressor.compress(block) for _ in range(BOMB_BYTES // len(block))]
    return b"".join([*parts, compressor.flush()])


async def bomb(request: web.Request) -> web.Response:
    body = await asyncio.to_thread(_bomb)  # a second of CPU, not on the server's event loop
    return web.Response(body=body, headers={"Content-Type": HTML, "Content-Encoding": "gzip"})


async def ping(request: web.Request) -> web.Response:
    return web.Response(text="pong")


STREAMED_CASES = {
    "/stockt.html": stall,
    "/tropft.html": drip,
    "/abgebrochen.html": reset,
    "/riesig.html": huge,
    "/riesig-ohne-laenge.html": huge,
    "/bombe.html": bomb,
}


def index() -> str:
    cases = [*STATIC_CASES, *STREAMED_CASES]
    return page("Feindliche Seiten", "".join(f'<a href="{path}">{path}</a> ' for path in cases))


def hostile_routes() -> dict:
    """Every case, ``/`` linking them all: for ``routes_from_dict``."""
    routes: dict = {path: (200, HTML, text.encode()) for path, text in STATIC_CASES.items()}
    routes |= STREAMED_CASES
    routes["/"] = (200, HTML, index().encode())
    routes["/ping"] = ping
    routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nAllow: /\n")
    return routes


def hostile_app() -> web.Application:
    return routes_from_dict(hostile_routes())
