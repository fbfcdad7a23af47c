"""Probe ``http-redirect``: what a browser gets when it asks for http://host/ (port 80)."""

from __future__ import annotations

from urllib.parse import urljoin

from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.http_redirect import HTTP_REDIRECT_PROBE, HttpRedirectEvidence
from scanner.net.client import HttpFailure, NetClient
from scanner.probes import host_probe

MAX_HOPS = 10


@host_probe(HTTP_REDIRECT_PROBE, port=80)
async def probe_http_redirect(host: str, port: int, client: NetClient) -> HostProbeResult:
    """Follow the redirect chain from http://host/ hop by hop and record every hop.

    A refused connection means the host serves no plain HTTP at all: there is nothing to redirect,
    which is a result, not a failure. Timeouts and other errors leave the host untested.
    """
    url = f"http://{host}/" if port == 80 else f"http://{host}:{port}/"
    hops: list[dict[str, object]] = []
    for _ in range(MAX_HOPS):
        response = await client.fetch(url, follow_redirects=False, max_bytes=64 * 1024)
        if isinstance(response, HttpFailure):
            if not hops and response.failure_class is FailureClass.CONNECTION_REFUSED:
                evidence = HttpRedirectEvidence(http_available=False)
                return HostProbeResult(host, port, HTTP_REDIRECT_PROBE, True, evidence.to_json())
            if not hops:
                return HostProbeResult(
                    host, port, HTTP_REDIRECT_PROBE, False, {}, response.failure_class, response.detail
                )
            hops.append(
                {"url": url, "failure_class": response.failure_class.value, "detail": response.detail}
            )
            break
        location = response.header("location")
        hops.append({"url": url, "status": response.status, "location": location})
        if not (300 <= response.status < 400 and location):
            break
        url = urljoin(url, location)
    evidence = HttpRedirectEvidence(http_available=True, hops=tuple(hops))
    return HostProbeResult(host, port, HTTP_REDIRECT_PROBE, True, evidence.to_json())
