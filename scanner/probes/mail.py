"""Probe ``mail-policy``: what the DNS of a mail domain says about its mail (with the DNSSEC
status of the domain and of its MX zones), plus the MTA-STS policy file. Once per mail domain
(the registrable domains of the hosts; ``mailto:`` domains of contact and legal pages and of
security.txt), asking the scan's one resolver; nothing here talks to port 25.

The MX lookup is the probe's base: when the DNS does not answer it, the domain is not tested
(timeout or dns_error). A later part without an answer is named in ``not_tested`` and left out,
never judged. The policy file is fetched through the scan's HTTP client (``--connect-to``, CA
bundle), certificate verified, redirects not followed (RFC 8461 §3.3).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from scanner.dns.query import DnsQueryError
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.mail import MAIL_POLICY_PROBE, MAIL_PROBE_PORT, MailPolicyEvidence
from scanner.mail.dkim import domainkey_exists
from scanner.mail.dmarc import dmarc_policy
from scanner.mail.dnssec import zone_statuses
from scanner.mail.mta_sts import MAX_POLICY_BYTES, POLICY_PATH, parse_policy, sts_record, uncovered
from scanner.mail.mx import MAX_MX, MxSet, mail_exchangers
from scanner.mail.spf import spf_policy
from scanner.mail.tls_rpt import tls_rpt_record
from scanner.net.client import HttpFailure, NetClient
from scanner.probes import host_probe
from scanner.probes.dns import not_asked


@host_probe(MAIL_POLICY_PROBE, port=MAIL_PROBE_PORT, per_domain=True, mail_domain=True)
async def probe_mail_policy(domain: str, port: int, client: NetClient) -> HostProbeResult:
    if (skipped := not_asked(domain, port, MAIL_POLICY_PROBE, client)) is not None:
        return skipped
    querier = client.dns.querier
    try:
        mx = await mail_exchangers(querier, domain)
    except DnsQueryError as error:
        failure = FailureClass.TIMEOUT if error.unreachable else FailureClass.DNS_ERROR
        return HostProbeResult(domain, port, MAIL_POLICY_PROBE, False, {}, failure, str(error))
    if not mx.domain_exists:
        detail = f"the DNS servers say {domain} does not exist"
        return HostProbeResult(domain, port, MAIL_POLICY_PROBE, False, {}, FailureClass.DNS_ERROR, detail)
    not_tested: dict[str, str] = {}

    async def part(name: str, ask: Callable[[], Awaitable[Any]]) -> Any:
        try:
            return await ask()
        except DnsQueryError as error:
            not_tested[name] = str(error)
            return None

    spf = await part("spf", lambda: spf_policy(querier, domain))
    dmarc = await part("dmarc", lambda: dmarc_policy(querier, domain))
    dkim = await part("dkim", lambda: domainkey_exists(querier, domain))
    tls_rpt = await part("tls_rpt", lambda: tls_rpt_record(querier, domain))
    mta_sts = await part("mta_sts", lambda: _mta_sts(client, domain, mx))
    # a domain without mail (null MX, no MX): its DNSSEC is the web's business (security.dnssec)
    dnssec = await zone_statuses(client.dns, [domain, *mx.hosts[:MAX_MX]]) if mx.receives_mail else {}
    evidence = MailPolicyEvidence(
        domain=domain,
        mx=mx.to_json(),
        spf=spf.to_json() if spf else None,
        dmarc=dmarc.to_json() if dmarc else None,
        dkim=None if dkim is None else {"name": f"_domainkey.{domain}", "exists": dkim},
        mta_sts=mta_sts,
        tls_rpt=tls_rpt.to_json() if tls_rpt else None,
        dnssec=dnssec,
        not_tested=not_tested,
        servers=tuple(client.dns.server_names),
    )
    return HostProbeResult(domain, port, MAIL_POLICY_PROBE, True, evidence.to_json())


async def _mta_sts(client: NetClient, domain: str, mx: MxSet) -> dict[str, Any]:
    record = await sts_record(client.dns.querier, domain)
    found: dict[str, Any] = {
        "records": list(record.records),
        "id": record.id,
        "record_problems": list(record.problems),
        "policy_url": None,
        "fetch": None,
        "policy": None,
        "uncovered": [],
    }
    if not record.records:
        return found
    url = f"https://mta-sts.{domain}{POLICY_PATH}"
    found["policy_url"] = url
    response = await client.fetch(url, follow_redirects=False, max_bytes=MAX_POLICY_BYTES, verify_tls=True)
    if isinstance(response, HttpFailure):
        found["fetch"] = {
            "ok": False,
            "failure_class": response.failure_class.value,
            "detail": response.detail,
        }
        return found
    content_type = response.content_type
    problems = []
    if response.status != 200:
        problems.append(f"HTTP {response.status}")
    if not content_type.startswith("text/plain"):
        problems.append(f"content type {content_type or 'none'!r}, expected text/plain")
    if response.truncated:
        problems.append(f"larger than {MAX_POLICY_BYTES} bytes")
    found["fetch"] = {"ok": not problems, "status": response.status, "problems": problems}
    if response.status == 200:
        policy = parse_policy(response.body.decode("utf-8", "replace"))
        found["policy"] = policy.to_json()
        if mx.receives_mail:
            found["uncovered"] = uncovered(policy, mx.hosts)
    return found
