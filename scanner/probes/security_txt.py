"""Probe ``security-txt``: the host's security.txt (RFC 9116), fetched for the check to validate.

As RFC 9116 and internet.nl do it: /.well-known/security.txt over https, then the legacy
/security.txt (which is itself an error). Judging the content is the check's job (sectxt).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scanner.evidence import HostProbeResult
from scanner.evidence.security_txt import SECURITY_TXT_PROBE, SecurityTxtEvidence
from scanner.net.client import HttpFailure, NetClient
from scanner.probes import host_probe

PATHS = (("/.well-known/security.txt", "well-known"), ("/security.txt", "root"))
MAX_BYTES = 100 * 1024
STORED_CHARS = 32 * 1024


@host_probe(SECURITY_TXT_PROBE, port=443)
async def probe_security_txt(host: str, port: int, client: NetClient) -> HostProbeResult:
    tried: list[dict] = []
    for path, location in PATHS:
        url = f"https://{host}{path}" if port == 443 else f"https://{host}:{port}{path}"
        response = await client.fetch(url, max_bytes=MAX_BYTES, headers={"Accept": "text/plain"})
        if isinstance(response, HttpFailure):
            if not tried:  # the host did not answer over https at all: not tested
                return HostProbeResult(
                    host, port, SECURITY_TXT_PROBE, False, {}, response.failure_class, response.detail
                )
            tried.append({"url": url, "failure_class": response.failure_class.value})
            continue
        tried.append({"url": url, "status": response.status, "final_url": response.url})
        # A redirect counts only when it ends on a security.txt path (RFC 9116 §3).
        if response.status == 200 and urlsplit(response.url).path.endswith(path):
            evidence = SecurityTxtEvidence(
                found=True,
                tried=tuple(tried),
                url=url,
                final_url=response.url,
                location=location,
                content_type=response.header("content-type"),
                content=response.body.decode("utf-8", "replace")[:STORED_CHARS],
                utf8=_is_utf8(response.body),
            )
            return HostProbeResult(host, port, SECURITY_TXT_PROBE, True, evidence.to_json())
    evidence = SecurityTxtEvidence(found=False, tried=tuple(tried))
    return HostProbeResult(host, port, SECURITY_TXT_PROBE, True, evidence.to_json())


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
