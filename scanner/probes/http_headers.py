"""Probe ``http-headers``: what the HTTP header grade (MDN Observatory algorithm v5) needs.

Like the Observatory it fetches https://host/ and http://host/ (redirects hop by hop), then
/robots.txt on the graded origin (more cookies) and a CORS preflight with an Origin header. A
certificate the client does not trust is fetched again without verification and marked
unverified, which the grade penalises. Cookie values are hashed before anything is stored. The
grade itself is the ``security.http-headers`` check's judgement, made from this evidence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.http_headers import HTTP_HEADERS_PROBE, HttpHeadersEvidence
from scanner.evidence.redact import short_hash
from scanner.evidence.site_fetches import HTML_TYPES, FetchedResponse, SiteFetches
from scanner.net.client import HttpFailure, HttpResponse, NetClient
from scanner.probes import host_probe

MAX_HOPS = 10
MAX_BODY = 2 * 1024 * 1024
STORED_BODY = 100 * 1024  # of the <meta> and <script> elements kept for the grade
CORS_ORIGIN = "https://http-observatory.security.mozilla.org"  # the Origin the Observatory sends
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@host_probe(HTTP_HEADERS_PROBE, port=443, connections=1)
async def probe_http_headers(host: str, port: int, client: NetClient) -> HostProbeResult:
    https, https_cookies, https_failure = await _session(client, f"https://{host}/")
    http, http_cookies, _ = await _session(client, f"http://{host}/")
    if https is None and http is None:
        failure_class, detail = https_failure or (FailureClass.NETWORK_ERROR, "no answer")
        return HostProbeResult(host, port, HTTP_HEADERS_PROBE, False, {}, failure_class, detail)
    auto, cookies = (https, https_cookies) if https is not None else (http, http_cookies)
    assert auto is not None
    origin = f"{urlsplit(auto.url).scheme}://{urlsplit(auto.url).netloc}"
    robots = await client.fetch(
        origin + "/robots.txt",
        max_bytes=64 * 1024,
        verify_tls=auto.verified,
        headers={"Accept": "text/plain"},
    )
    if isinstance(robots, HttpResponse):
        cookies += [_hash_cookie(value) for key, value in robots.headers if key == "set-cookie"]
    preflight = await client.fetch(
        auto.url,
        method="OPTIONS",
        follow_redirects=False,
        verify_tls=auto.verified,
        headers={"Origin": CORS_ORIGIN, "Access-Control-Request-Method": "GET"},
        max_bytes=16 * 1024,
    )
    fetches = SiteFetches(
        host=host,
        http=_essentials(http),
        https=_essentials(https),
        cors=_response(preflight, ()) if isinstance(preflight, HttpResponse) else None,
        cors_origin=CORS_ORIGIN,
        set_cookies=tuple(cookies),
    )
    evidence = HttpHeadersEvidence(fetches=fetches.as_json())
    return HostProbeResult(host, port, HTTP_HEADERS_PROBE, True, evidence.to_json())


async def _session(
    client: NetClient, url: str
) -> tuple[FetchedResponse | None, list[str], tuple[FailureClass, str] | None]:
    """Follow redirects from ``url`` hop by hop; retry a hop unverified when its certificate fails."""
    chain: list[tuple[str, int]] = []
    cookies: list[str] = []
    verified = True
    response: HttpResponse | HttpFailure | None = None
    for _ in range(MAX_HOPS):
        response = await _fetch(client, url, verified)
        if (
            isinstance(response, HttpFailure)
            and response.failure_class is FailureClass.TLS_ERROR
            and verified
        ):
            verified = False
            response = await _fetch(client, url, verified)
        if isinstance(response, HttpFailure):
            return None, [], (response.failure_class, response.detail)
        chain.append((url, response.status))
        cookies += [_hash_cookie(value) for key, value in response.headers if key == "set-cookie"]
        location = response.header("location")
        if not (300 <= response.status < 400 and location):
            break
        url = urljoin(url, location)
    assert isinstance(response, HttpResponse)
    return _response(response, tuple(chain), verified), cookies, None


async def _fetch(client: NetClient, url: str, verified: bool) -> HttpResponse | HttpFailure:
    return await client.fetch(
        url, follow_redirects=False, max_bytes=MAX_BODY, verify_tls=verified, headers={"Accept": ACCEPT_HTML}
    )


def _response(response: HttpResponse, chain: tuple, verified: bool = True) -> FetchedResponse:
    headers = tuple(
        (key, _hash_cookie(value) if key == "set-cookie" else value) for key, value in response.headers
    )
    body = response.body.decode("utf-8", "replace") if response.body else ""
    return FetchedResponse(
        url=chain[-1][0] if chain else response.url,
        status=response.status,
        headers=headers,
        body=body,
        verified=verified,
        chain=chain,
    )


def _essentials(response: FetchedResponse | None) -> FetchedResponse | None:
    """The response with its body cut down to what the grade reads: every ``<meta>`` and ``<script>``.

    The header tests look at ``<meta http-equiv>`` policies and at script sources only, so the
    stored evidence grades exactly as the whole page would, at a fraction of its size.
    """
    if response is None or not response.body:
        return response
    if response.mime_type not in HTML_TYPES:
        body = ""
    else:
        try:
            document = BeautifulSoup(response.body, "lxml")
        except Exception:  # the grade says "not parseable" on the whole page; keep its start
            body = response.body[:STORED_BODY]
        else:
            body = "".join(_bare(element) for element in document.find_all(["meta", "script"]))
            body = f"<html><head>{body[:STORED_BODY]}</head></html>"
    return replace(response, body=body)


def _bare(element: Tag) -> str:
    """The element with its attributes and without its content (inline scripts are not graded)."""
    element.clear()
    return str(element)


_COOKIE_VALUE = re.compile(r"^(\s*[^=;]+=)([^;]*)")


def _hash_cookie(header: str) -> str:
    """``SID=abc; Secure`` -> ``SID=~<hash>; Secure``: the attributes are the evidence, not the value."""
    return _COOKIE_VALUE.sub(lambda match: f"{match.group(1)}~{short_hash(match.group(2))}", header, count=1)
