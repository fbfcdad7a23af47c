"""A virtual-host static web server on 127.0.0.1 over HTTP and HTTPS, for the demo and the tests.

``root/<hostname>/...`` is served for that hostname on both ports; a scan reaches it through
``--connect-to`` and trusts it through ``--ca-bundle`` (a fresh local CA made with trustme), so
real-looking hostnames work without DNS or internet. Host folders may appear while the server
runs: certificates are issued per host name on first contact (SNI).

An optional ``root/<hostname>/_host.toml`` shapes a host's behaviour:

    redirect_http_to_https = true     # default true; false serves plain http:// as is
    delay_ms = 0                      # wait before every answer (slow servers, kill tests)
    [headers]                         # added to every response; a list repeats the header
    "Server" = "Apache/2.4.41 (Ubuntu)"
    [types]                           # content types of files without a telling extension
    "/css2" = "text/css"
    [redirects]                       # path -> location, answered with 302
    "/alt" = "https://www.example.de/neu"
"""

from __future__ import annotations

import asyncio
import mimetypes
import ssl
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trustme
from aiohttp import web

DEMO_SITE = Path(__file__).parent / "site"
SCHEME = web.AppKey("scheme", str)
# Without /etc/mime.types Python does not know these; the demo serves all of them.
for _type, _extension in (
    ("font/woff2", ".woff2"),
    ("image/svg+xml", ".svg"),
    ("text/vtt", ".vtt"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
):
    mimetypes.add_type(_type, _extension)
# aiohttp would announce itself with its version; a host without a configured Server header gets
# a neutral one, so that only the demo's deliberate version banners show up as findings.
NEUTRAL_SERVER = "govscan-demo"
CERT_LIFETIME = timedelta(days=90)
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


@dataclass(frozen=True)
class HostSettings:
    redirect_http_to_https: bool = True
    delay_ms: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    types: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, host_dir: Path) -> HostSettings:
        path = host_dir / "_host.toml"
        if not path.is_file():
            return cls()
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        headers = []
        for name, value in data.get("headers", {}).items():
            headers += [(name, item) for item in (value if isinstance(value, list) else [value])]
        return cls(
            redirect_http_to_https=data.get("redirect_http_to_https", True),
            delay_ms=int(data.get("delay_ms", 0)),
            headers=tuple(headers),
            types=dict(data.get("types", {})),
            redirects=dict(data.get("redirects", {})),
        )


class VirtualHostServer:
    """Use as ``async with VirtualHostServer(root) as server:``; see ``connect_to()``."""

    def __init__(
        self,
        root: Path = DEMO_SITE,
        *,
        http_port: int = 0,
        https_port: int = 0,
        ca: trustme.CA | None = None,
        address: str = "127.0.0.1",  # another loopback address (127.0.0.2) is another "server IP"
    ) -> None:
        self.root = root
        self.address = address
        self._settings: dict[str, HostSettings] = {}
        self.requests_seen: list[tuple[str, str]] = []  # (host, path) of every request, for tests
        self._tls_contexts: dict[str, ssl.SSLContext] = {}
        self.ca = ca or trustme.CA(organization_name="govscan local test CA")
        self._ports = (http_port, https_port)
        self._runners: list[web.AppRunner] = []
        self._tempdir = tempfile.TemporaryDirectory(prefix="govscan-ca-")
        self.ca_bundle = Path(self._tempdir.name) / "ca.pem"
        self.http_port = self.https_port = 0

    async def __aenter__(self) -> VirtualHostServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def hosts(self) -> list[str]:
        return sorted(
            path.name for path in self.root.iterdir() if path.is_dir() and not path.name.startswith("_")
        )

    async def start(self) -> None:
        self.ca.cert_pem.write_to_path(str(self.ca_bundle))
        tls = self._tls_context("localhost")
        tls.sni_callback = self._choose_certificate
        self.http_port = await self._serve("http", self._ports[0], None)
        self.https_port = await self._serve("https", self._ports[1], tls)

    def _tls_context(self, host: str) -> ssl.SSLContext:
        if host not in self._tls_contexts:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            # One configuration for every host, within Mozilla's intermediate profile: ECDHE with
            # AEAD suites, one group, a certificate valid for 90 days (Python's defaults would add
            # CBC suites, X448/P-521 and trustme's 25-year certificates).
            context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
            context.set_ecdh_curve("prime256v1")
            valid_from = datetime.now(UTC) - timedelta(days=1)
            certificate = self.ca.issue_cert(
                host, not_before=valid_from, not_after=valid_from + CERT_LIFETIME
            )
            certificate.configure_cert(context)
            self._tls_contexts[host] = context
        return self._tls_contexts[host]

    def _choose_certificate(self, connection, server_name: str | None, _context) -> None:
        if server_name:
            connection.context = self._tls_context(server_name.lower())

    async def stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        self._tempdir.cleanup()

    def connect_to(self, hosts: Iterable[str] | None = None) -> list[str]:
        """``--connect-to`` rules that send ports 80 and 443 of every served host here."""
        rules = []
        for host in hosts or self.hosts:
            rules += [
                f"{host}:80:{self.address}:{self.http_port}",
                f"{host}:443:{self.address}:{self.https_port}",
            ]
        return rules

    def connect_all(self) -> list[str]:
        """Rules that send ports 80 and 443 of every host name here: nothing reaches the internet."""
        return [f":80:{self.address}:{self.http_port}", f":443:{self.address}:{self.https_port}"]

    async def _serve(self, scheme: str, port: int, tls: ssl.SSLContext | None) -> int:
        app = web.Application()
        app[SCHEME] = scheme
        app.router.add_route("*", "/{path:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.address, port, ssl_context=tls)
        await site.start()
        self._runners.append(runner)
        return site._server.sockets[0].getsockname()[1]  # the port the OS chose for port 0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.host or "").split(":")[0].lower().rstrip(".")
        self.requests_seen.append((host, request.path))
        settings = self._host_settings(host)
        if settings is None:
            return web.Response(status=421, text=f"this server does not serve {host}\n")
        if settings.delay_ms:
            await asyncio.sleep(settings.delay_ms / 1000)
        response = self._respond(request, host, settings)
        for name, value in settings.headers:
            response.headers.add(name, value)
        response.headers.setdefault("Server", NEUTRAL_SERVER)
        return response

    def _host_settings(self, host: str) -> HostSettings | None:
        if host not in self._settings:
            host_dir = self.root / host
            if host.startswith("_") or "/" in host or not host_dir.is_dir():
                return None
            self._settings[host] = HostSettings.load(host_dir)
        return self._settings[host]

    def _respond(self, request: web.Request, host: str, settings: HostSettings) -> web.StreamResponse:
        if request.app[SCHEME] == "http" and settings.redirect_http_to_https:
            return _redirect(301, f"https://{host}{request.path_qs}")
        if request.path in settings.redirects:
            return _redirect(302, settings.redirects[request.path])
        if request.method == "POST":  # beacons and forms: accepted, nothing stored
            return web.Response(status=204)
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD, POST"})
        host_dir = (self.root / host).resolve()
        target = (host_dir / request.path.lstrip("/")).resolve()
        if not target.is_relative_to(host_dir) or any(
            part.startswith("_") for part in target.relative_to(host_dir).parts
        ):
            return _not_found()
        if target.is_dir():
            if not request.path.endswith("/"):
                return _redirect(301, request.path + "/")
            target = target / "index.html"
        if not target.is_file():
            return _not_found()
        content_type = settings.types.get(request.path) or mimetypes.guess_type(target.name)[0]
        content_type = content_type or "application/octet-stream"
        if content_type.startswith(TEXT_TYPES):
            content_type += "; charset=utf-8"
        body = target.read_bytes()
        return web.Response(body=body, headers={"Content-Type": content_type})


def _redirect(status: int, location: str) -> web.Response:
    return web.Response(status=status, headers={"Location": location})


def _not_found() -> web.Response:
    html = '<!doctype html><html lang="de"><title>Nicht gefunden</title><h1>Seite nicht gefunden</h1></html>'
    return web.Response(status=404, text=html, content_type="text/html")
