"""Probe ``tls``: the TLS configuration of host:443 as sslyze sees it, once per host and scan.

sslyze is blocking and opens its own connections: it runs in a worker thread, at most two
connections to the server at a time (German federal servers refuse more), retried when the
connection itself failed for a transient reason. When sslyze cannot reach or finish the server,
the host is "not tested" with a failure class, never a pass or a fail.

The result is stored as plain facts (protocols, suites, groups, certificate, vulnerability tests)
so that checks and the TLS profiles judge it without sslyze's objects. Chain trust is judged by
OpenSSL against the system roots plus ``--ca-bundle`` (what browsers and our HTTP client trust);
sslyze's own stricter web-PKI validation is kept in the evidence beside it.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import warnings
from datetime import UTC, datetime
from pathlib import Path
from traceback import TracebackException
from typing import Any

from cryptography.utils import CryptographyDeprecationWarning
from sslyze import (
    ScanCommand,
    ScanCommandAttemptStatusEnum,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanResult,
    ServerScanStatusEnum,
)
from sslyze import __version__ as sslyze_version
from sslyze.errors import (
    ConnectionToServerTimedOut,
    ServerHostnameCouldNotBeResolved,
    ServerRejectedConnection,
    TlsHandshakeFailed,
)
from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument

from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.tls import TLS_PROBE, TlsEvidence
from scanner.net.client import NetClient
from scanner.net.hostnames import is_ip
from scanner.net.trust import client_ssl_context
from scanner.probes import host_probe
from scanner.probes.tls_facts import certificate_facts, protocol_facts, vulnerability_facts

CONNECTIONS_PER_SERVER = 2
ATTEMPTS = 3
RETRY_PAUSES = (2.0, 6.0)  # seconds before the second and third attempt
NETWORK_TIMEOUT = 10.0
COMMANDS = frozenset(
    {
        ScanCommand.SSL_2_0_CIPHER_SUITES,
        ScanCommand.SSL_3_0_CIPHER_SUITES,
        ScanCommand.TLS_1_0_CIPHER_SUITES,
        ScanCommand.TLS_1_1_CIPHER_SUITES,
        ScanCommand.TLS_1_2_CIPHER_SUITES,
        ScanCommand.TLS_1_3_CIPHER_SUITES,
        ScanCommand.ELLIPTIC_CURVES,
        ScanCommand.CERTIFICATE_INFO,
        ScanCommand.TLS_COMPRESSION,
        ScanCommand.SESSION_RENEGOTIATION,
        ScanCommand.TLS_EXTENDED_MASTER_SECRET,
        ScanCommand.TLS_FALLBACK_SCSV,
        ScanCommand.HEARTBLEED,
        ScanCommand.ROBOT,
        ScanCommand.OPENSSL_CCS_INJECTION,
        ScanCommand.TLS_1_3_EARLY_DATA,
    }
)
TRANSIENT = (FailureClass.TIMEOUT, FailureClass.CONNECTION_RESET, FailureClass.NETWORK_ERROR)
# sslyze's bundled trust stores hold an old root with a negative serial; cryptography warns on every load.
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module=r"sslyze\.")


@host_probe(TLS_PROBE, port=443, connections=CONNECTIONS_PER_SERVER)
async def probe_tls(host: str, port: int, client: NetClient) -> HostProbeResult:
    """Scan ``host:port`` (through ``--connect-to`` when mapped) and record the facts."""
    try:
        address, connect_port = await server_address(host, port, client)
    except OSError as error:
        return HostProbeResult(
            host, port, TLS_PROBE, False, {"attempts": 0}, FailureClass.DNS_ERROR, str(error)
        )
    ca_bundle = client.network.ca_bundle
    failure: tuple[FailureClass, str] = (FailureClass.NETWORK_ERROR, "not run")
    for attempt in range(ATTEMPTS):
        if attempt:
            await asyncio.sleep(RETRY_PAUSES[attempt - 1])
        outcome = await asyncio.to_thread(_scan, host, address, connect_port, ca_bundle)
        if isinstance(outcome, dict):
            trust = await asyncio.to_thread(_openssl_trust, host, address or host, connect_port, ca_bundle)
            evidence = TlsEvidence(
                **outcome,
                trust=trust,
                attempts=attempt + 1,
                probed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            return HostProbeResult(host, port, TLS_PROBE, True, evidence.to_json())
        failure = outcome
        if failure[0] not in TRANSIENT:
            break
    return HostProbeResult(host, port, TLS_PROBE, False, {"attempts": attempt + 1}, failure[0], failure[1])


async def server_address(host: str, port: int, client: NetClient) -> tuple[str | None, int]:
    """Where sslyze connects for ``host:port``: the ``--connect-to`` mapping, else the address the
    configured DNS servers give (None: sslyze asks the system). Raises OSError without an address."""
    mapped = client.network.host_map.resolve(host, port)
    address, connect_port = mapped if mapped else (None, port)
    if client.network.dns_servers and not is_ip(address or host):
        # Configured DNS servers answer for every connection the mapping leaves alone.
        address = (await client.dns.addresses(address or host))[0][1]
    elif address is not None and not is_ip(address):
        address = await asyncio.to_thread(lookup_address, address, connect_port)
    return address, connect_port


def lookup_address(name: str, port: int) -> str:
    return socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)[0][4][0]


def _scan(
    host: str, address: str | None, port: int, ca_bundle: Path | None
) -> dict[str, Any] | tuple[FailureClass, str]:
    """One sslyze run (blocking): the facts, or why the server could not be scanned."""
    extra = ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=ca_bundle) if ca_bundle else None
    )
    request = ServerScanRequest(
        server_location=ServerNetworkLocation(host, port, ip_address=address),
        network_configuration=ServerNetworkConfiguration(
            tls_server_name_indication=host, network_timeout=int(NETWORK_TIMEOUT), network_max_retries=1
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
        return FailureClass.DNS_ERROR, str(error)
    if result.scan_status is not ServerScanStatusEnum.COMPLETED or result.scan_result is None:
        return _connectivity_failure(result.connectivity_error_trace)
    return scan_facts(result)


def _connectivity_failure(trace: TracebackException | None) -> tuple[FailureClass, str]:
    if trace is None:
        return FailureClass.NETWORK_ERROR, "sslyze could not complete the scan"
    detail = "".join(trace.format_exception_only()).strip()[:500]
    kind = trace.exc_type
    if kind is not None and issubclass(kind, ConnectionToServerTimedOut):
        return FailureClass.TIMEOUT, detail
    if kind is not None and issubclass(kind, ServerRejectedConnection):
        return FailureClass.CONNECTION_REFUSED, detail
    if kind is not None and issubclass(kind, TlsHandshakeFailed):
        return FailureClass.TLS_ERROR, detail
    return FailureClass.NETWORK_ERROR, detail


def scan_facts(result: ServerScanResult) -> dict[str, Any]:
    scan = result.scan_result
    assert scan is not None
    errors = {
        command.value: f"{attempt.error_reason.value if attempt.error_reason else 'error'}"
        for command in COMMANDS
        if (attempt := getattr(scan, command.value)).status is not ScanCommandAttemptStatusEnum.COMPLETED
    }
    return {
        "scanner": f"sslyze {sslyze_version}",
        "server": {"address": result.server_location.ip_address, "port": result.server_location.port},
        "protocols": protocol_facts(scan),
        "groups": (
            sorted(curve.name for curve in scan.elliptic_curves.result.supported_curves or [])
            if scan.elliptic_curves.result
            else None
        ),
        "certificate": certificate_facts(scan.certificate_info.result),
        "vulnerabilities": vulnerability_facts(scan),
        "errors": errors,  # commands that did not complete: their rows are "not tested"
    }


def _openssl_trust(host: str, address: str, port: int, ca_bundle: Path | None) -> dict[str, Any]:
    """Does OpenSSL build a trusted chain (system roots plus the CA bundle)? Name and dates are
    judged separately, so an expired or misnamed certificate does not count as untrusted too."""
    context = client_ssl_context(ca_bundle)
    context.check_hostname = False
    store = "system" + (" + ca-bundle" if ca_bundle else "")
    try:
        with (
            socket.create_connection((address, port), timeout=NETWORK_TIMEOUT) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return {"trusted": True, "store": store, "error": None}
    except ssl.SSLCertVerificationError as error:
        # An expired certificate in an otherwise trusted chain is the expiry check's business.
        trusted = error.verify_code == 10  # X509_V_ERR_CERT_HAS_EXPIRED
        return {"trusted": trusted, "store": store, "error": error.verify_message, "code": error.verify_code}
    except (OSError, ssl.SSLError) as error:
        return {"trusted": None, "store": store, "error": f"{type(error).__name__}: {error}"}
