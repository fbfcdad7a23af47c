"""Probe ``smtp-tls``: STARTTLS on port 25 of every MX of a mail domain, as sslyze sees it, with
the MX's DANE TLSA records and the DNSSEC status of the domain and of each MX zone.

Each MX is reached through ``--connect-to`` (``mx:25`` mapped), else at the address the configured
DNS servers (or the system) give. Port 25 refused, filtered or timing out is "not tested"
(``port_25_unreachable``, the detail says which), never a fail: many networks block outbound
port 25, so a closed port says more about the scanner's network than about the server. STARTTLS
refused by the server or a handshake that fails after STARTTLS is a fact the checks judge.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import warnings
from datetime import UTC, datetime
from pathlib import Path
from traceback import TracebackException
from typing import Any

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from sslyze import (
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)
from sslyze.connection_helpers.opportunistic_tls_helpers import ProtocolWithOpportunisticTlsEnum
from sslyze.errors import (
    ConnectionToServerTimedOut,
    ServerHostnameCouldNotBeResolved,
    ServerRejectedConnection,
    ServerRejectedOpportunisticTlsNegotiation,
    TlsHandshakeFailed,
)
from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument

from scanner.dns.query import DnsQueryError
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.mail import MAIL_PROBE_PORT, SMTP_TLS_PROBE, SmtpTlsEvidence
from scanner.mail.dane import matches, rollover_scheme, tlsa_name, tlsa_set
from scanner.mail.dnssec import zone_statuses
from scanner.mail.mx import MAX_MX, mail_exchangers
from scanner.net.client import NetClient
from scanner.net.trust import client_ssl_context
from scanner.probes import host_probe
from scanner.probes.dns import not_asked
from scanner.probes.tls import (
    COMMANDS,
    CONNECTIONS_PER_SERVER,
    NETWORK_TIMEOUT,
    lookup_address,
    scan_facts,
    server_address,
)

CONNECT_TIMEOUT = 8.0  # seconds for the first plain connection to port 25
UNREACHABLE = FailureClass.PORT_25_UNREACHABLE.value
EHLO_NAME = "govscan.invalid"
PORT_25_NOTE = (
    "port 25 could not be reached from the scanner; many networks (providers, clouds, offices) "
    "block outbound port 25, so this says nothing about the mail server"
)
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module=r"sslyze\.")


@host_probe(SMTP_TLS_PROBE, port=MAIL_PROBE_PORT, per_domain=True, mail_domain=True)
async def probe_smtp_tls(domain: str, port: int, client: NetClient) -> HostProbeResult:
    if (skipped := not_asked(domain, port, SMTP_TLS_PROBE, client)) is not None:
        return skipped
    resolver = client.dns
    try:
        mx = await mail_exchangers(resolver.querier, domain)
    except DnsQueryError as error:
        failure = FailureClass.TIMEOUT if error.unreachable else FailureClass.DNS_ERROR
        return HostProbeResult(domain, port, SMTP_TLS_PROBE, False, {}, failure, str(error))
    hosts = list(mx.hosts) if mx.receives_mail else []
    dnssec = await zone_statuses(resolver, [domain, *hosts[:MAX_MX]])
    servers = [await _server(client, host, dnssec[host]) for host in hosts[:MAX_MX]]
    evidence = SmtpTlsEvidence(
        domain=domain, mx=mx.to_json(), servers=tuple(servers), dnssec=dnssec, skipped=tuple(hosts[MAX_MX:])
    )
    if servers and not any(server["tested"] for server in servers):
        first = servers[0]
        return HostProbeResult(
            domain,
            port,
            SMTP_TLS_PROBE,
            False,
            evidence.to_json(),
            FailureClass(first["failure_class"]),
            f"no MX could be tested: {first['reason']}",
        )
    return HostProbeResult(domain, port, SMTP_TLS_PROBE, True, evidence.to_json())


async def _server(client: NetClient, host: str, dnssec: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"host": host, "port": MAIL_PROBE_PORT}
    records: tuple = ()
    try:
        found = await tlsa_set(client.dns, host, dnssec.get("zone"), dnssec["status"])
        records = found.records
        entry["tlsa"] = {
            "name": tlsa_name(host),
            "dnssec": found.dnssec,
            "dnssec_problem": found.problem,
            "records": [record.to_json() for record in records],
            "rollover": rollover_scheme(list(records)),
        }
    except DnsQueryError as error:
        entry["tlsa"] = {"name": tlsa_name(host), "not_tested": str(error)}
    try:
        address, connect_port = await server_address(host, MAIL_PROBE_PORT, client)
        if address is None:
            address = await asyncio.to_thread(lookup_address, host, connect_port)
    except OSError as error:
        return {**entry, "tested": False, "failure_class": FailureClass.DNS_ERROR.value, "reason": str(error)}
    entry["address"] = f"{address}:{connect_port}"
    if (closed := await _port_closed(address, connect_port)) is not None:
        return {**entry, **closed}
    outcome = await asyncio.to_thread(_scan, host, address, connect_port, client.network.ca_bundle)
    chain = outcome.pop("_chain", [])
    if outcome.get("handshake") and "records" in entry["tlsa"]:
        entry["tlsa"]["matching"] = [record.to_json() for record in records if matches(record, chain)]
    return {**entry, **outcome}


async def _port_closed(address: str, port: int) -> dict[str, Any] | None:
    """One plain connection first: a port that refuses or stays silent is not tested at once,
    without sslyze's retries on every scan command."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(address, port), CONNECT_TIMEOUT)
    except TimeoutError:
        reason = f"{address}:{port}: no connection within {CONNECT_TIMEOUT:g} s; {PORT_25_NOTE}"
        return {"tested": False, "failure_class": UNREACHABLE, "reason": reason}
    except OSError as error:  # refused, no route, reset
        what = "connection refused" if isinstance(error, ConnectionRefusedError) else str(error)
        reason = f"{address}:{port}: {what}; {PORT_25_NOTE}"
        return {"tested": False, "failure_class": UNREACHABLE, "reason": reason}
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None


def _scan(host: str, address: str | None, port: int, ca_bundle: Path | None) -> dict[str, Any]:
    """One sslyze STARTTLS run (blocking): facts, or why the server could not be tested."""
    extra = ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=ca_bundle) if ca_bundle else None
    )
    request = ServerScanRequest(
        server_location=ServerNetworkLocation(host, port, ip_address=address),
        network_configuration=ServerNetworkConfiguration(
            tls_server_name_indication=host,
            tls_opportunistic_encryption=ProtocolWithOpportunisticTlsEnum.SMTP,
            smtp_ehlo_hostname=EHLO_NAME,
            network_timeout=int(NETWORK_TIMEOUT),
            network_max_retries=1,
        ),
        scan_commands=set(COMMANDS),
        scan_commands_extra_arguments=extra,
    )
    scanner = Scanner(
        per_server_concurrent_connections_limit=CONNECTIONS_PER_SERVER, concurrent_server_scans_limit=1
    )
    try:
        scanner.queue_scans([request])
        [result] = list(scanner.get_results())
    except ServerHostnameCouldNotBeResolved as error:
        return {"tested": False, "failure_class": FailureClass.DNS_ERROR.value, "reason": str(error)}
    if result.scan_status is not ServerScanStatusEnum.COMPLETED or result.scan_result is None:
        return _failure(result.connectivity_error_trace)
    facts = scan_facts(result)
    certificate_info = result.scan_result.certificate_info.result
    deployment = certificate_info.certificate_deployments[0] if certificate_info else None
    chain: list[x509.Certificate] = list(deployment.received_certificate_chain) if deployment else []
    facts["trust"] = _openssl_trust(host, address or host, port, ca_bundle)
    facts["probed_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return {"tested": True, "starttls": True, "handshake": True, "tls": facts, "_chain": chain}


def _failure(trace: TracebackException | None) -> dict[str, Any]:
    detail = "".join(trace.format_exception_only()).strip()[:500] if trace else "sslyze could not complete"
    kind = trace.exc_type if trace else None
    if kind is not None and issubclass(kind, ServerRejectedOpportunisticTlsNegotiation):
        return {"tested": True, "starttls": False, "handshake": False, "reason": detail}
    if kind is not None and issubclass(kind, TlsHandshakeFailed):
        return {"tested": True, "starttls": True, "handshake": False, "reason": detail}
    if kind is not None and issubclass(kind, ConnectionToServerTimedOut | ServerRejectedConnection):
        return {"tested": False, "failure_class": UNREACHABLE, "reason": f"{detail}; {PORT_25_NOTE}"}
    return {"tested": False, "failure_class": FailureClass.NETWORK_ERROR.value, "reason": detail}


def _openssl_trust(host: str, address: str, port: int, ca_bundle: Path | None) -> dict[str, Any]:
    """Does OpenSSL build a trusted chain after STARTTLS (system roots plus the CA bundle)? As for
    the web (``tls._openssl_trust``): name and dates are judged apart, an expired leaf in a trusted
    chain counts as trusted here."""
    context = client_ssl_context(ca_bundle)
    context.check_hostname = False
    store = "system" + (" + ca-bundle" if ca_bundle else "")
    try:
        with socket.create_connection((address, port), timeout=NETWORK_TIMEOUT) as raw:
            reader = raw.makefile("rb")
            _reply(reader)  # the greeting
            raw.sendall(f"EHLO {EHLO_NAME}\r\n".encode())
            _reply(reader)
            raw.sendall(b"STARTTLS\r\n")
            if not _reply(reader).startswith(b"220"):
                return {"trusted": None, "store": store, "error": "STARTTLS refused"}
            with context.wrap_socket(raw, server_hostname=host):
                return {"trusted": True, "store": store, "error": None}
    except ssl.SSLCertVerificationError as error:
        trusted = error.verify_code == 10  # X509_V_ERR_CERT_HAS_EXPIRED: the expiry check's business
        return {"trusted": trusted, "store": store, "error": error.verify_message, "code": error.verify_code}
    except (OSError, ssl.SSLError) as error:
        return {"trusted": None, "store": store, "error": f"{type(error).__name__}: {error}"}


def _reply(reader) -> bytes:
    """One SMTP reply, its continuation lines ("250-") read through to the last ("250 ")."""
    lines = []
    while True:
        line = reader.readline(1024)
        lines.append(line)
        if len(line) < 4 or line[3:4] != b"-":
            return b"".join(lines)
