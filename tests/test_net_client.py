"""govscan's own HTTP client: every connection goes through the one --connect-to mapping, host names
and IP literals alike, and bodies are bounded whatever the server sends."""

from __future__ import annotations

import gzip

from aiohttp import web

from scanner.net.client import HttpResponse, NetClient
from scanner.net.network import NetworkSettings

from httpserver import REQUEST_LOG, routes_from_dict, running

UNREACHABLE = "192.0.2.10"  # TEST-NET-1: never routed; without the mapping the request cannot succeed


async def test_an_ip_literal_is_mapped_like_a_host_name() -> None:
    app = routes_from_dict({"/": (200, "text/plain", b"gemappt")})
    async with running(app) as port:
        network = NetworkSettings.build([f"{UNREACHABLE}:80:127.0.0.1:{port}"])
        async with NetClient(network, timeout=5) as client:
            response = await client.fetch(f"http://{UNREACHABLE}/")
    assert isinstance(response, HttpResponse) and response.body == b"gemappt"
    assert [seen.host for seen in app[REQUEST_LOG]] == [UNREACHABLE]


async def test_a_compressed_body_is_cut_at_the_limit_after_decompression() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))  # 64 MiB of zeros in about 64 KiB

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})

    app = routes_from_dict({"/bombe": handler})
    async with running(app) as port:
        network = NetworkSettings.build([f"www.bombe-amt.de:80:127.0.0.1:{port}"])
        async with NetClient(network, timeout=20) as client:
            response = await client.fetch("http://www.bombe-amt.de/bombe", max_bytes=1024 * 1024)
    assert isinstance(response, HttpResponse)
    assert response.truncated and len(response.body) == 1024 * 1024
