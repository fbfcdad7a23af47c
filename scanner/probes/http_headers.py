"""Probe ``http-headers``: what the HTTP header grade (MDN Observatory algorithm v5) needs, and the grade.

Like the Observatory it fetches https://host/ and http://host/ (redirects hop by hop), then
/robots.txt on the graded origin (more cookies) and a CORS preflight with an Origin header. A
certificate the client does not trust is fetched again without verification and marked
unverified, which the grade penalises. Cookie values are hashed before anything is stored.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.http_headers import HTTP_HEADERS_PROBE, HttpHeadersEvidence
from scanner.evidence.redact import short_hash
from scanner.net.client import HttpFailure, HttpResponse, NetClient
from scanner.probes import host_probe
from scanner.probes.observatory import ALGORITHM_VERSION, FetchedResponse, SiteFetches, grade_site
from scanner.probes.observatory.preload import DATASET_NAME, installed_preload_list
from scanner.store.security import add_header_grade

MAX_HOPS = 10
MAX_BODY = 2 * 1024 * 1024
STORED_BODY = 100 * 1024  # enough to re-grade; the grade itself is computed from the whole page
CORS_ORIGIN = "https://http-observatory.security.mozilla.org"  # the Origin the Observatory sends
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@host_probe(HTTP_HEADERS_PROBE, port=443, connections=1, persist=add_header_grade)
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
        http=http,
        https=https,
        cors=_response(preflight, ()) if isinstance(preflight, HttpResponse) else None,
        cors_origin=CORS_ORIGIN,
        set_cookies=tuple(cookies),
    )
    preload = installed_preload_list()
    not_graded = None
    grade = None
    if not 200 <= auto.status < 300:
        not_graded = f"HTTP {auto.status} at {auto.url}"  # the Observatory grades 2xx pages only
    else:
        grade = grade_site(fetches, preload).as_json()
    stored = SiteFetches(
        host, _trimmed(http), _trimmed(https), fetches.cors, CORS_ORIGIN, fetches.set_cookies
    )
    evidence = HttpHeadersEvidence(
        algorithm_version=ALGORITHM_VERSION,
        preload_list="installed" if preload else "not installed",
        preload_dataset=DATASET_NAME,
        grade=grade,
        not_graded=not_graded,
        fetches=stored.as_json(),
    )
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


def _trimmed(response: FetchedResponse | None) -> FetchedResponse | None:
    if response is None or len(response.body) <= STORED_BODY:
        return response
    return FetchedResponse(
        response.url,
        response.status,
        response.headers,
        response.body[:STORED_BODY],
        response.verified,
        response.chain,
    )


_COOKIE_VALUE = re.compile(r"^(\s*[^=;]+=)([^;]*)")


def _hash_cookie(header: str) -> str:
    """``SID=abc; Secure`` -> ``SID=~<hash>; Secure``: the attributes are the evidence, not the value."""
    return _COOKIE_VALUE.sub(lambda match: f"{match.group(1)}~{short_hash(match.group(2))}", header, count=1)
