"""security.tls.vulnerabilities: known TLS weaknesses sslyze tests for (tls probe)."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.evidence import HostProbeResult
from scanner.evidence.tls import TlsEvidence
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
)

# fact -> (the value that means vulnerable, severity, German, English)
PROBLEMS: dict[str, tuple[object, Severity, str, str]] = {
    "heartbleed": (True, Severity.CRITICAL, "anfällig für Heartbleed", "vulnerable to Heartbleed"),
    "ccs_injection": (True, Severity.CRITICAL, "anfällig für CCS-Injection", "vulnerable to CCS injection"),
    "robot": ("VULNERABLE_STRONG_ORACLE", Severity.CRITICAL, "anfällig für ROBOT", "vulnerable to ROBOT"),
    "compression": (
        True,
        Severity.SERIOUS,
        "TLS-Kompression aktiv (CRIME)",
        "TLS compression enabled (CRIME)",
    ),
    "secure_renegotiation": (
        False,
        Severity.SERIOUS,
        "keine sichere Neuverhandlung (RFC 5746)",
        "no secure renegotiation (RFC 5746)",
    ),
    "extended_master_secret": (
        False,
        Severity.MODERATE,
        "kein Extended Master Secret (RFC 7627)",
        "no extended master secret (RFC 7627)",
    ),
    "fallback_scsv": (
        False,
        Severity.MODERATE,
        "kein TLS_FALLBACK_SCSV (Downgrade-Schutz, RFC 7507)",
        "no TLS_FALLBACK_SCSV (downgrade protection, RFC 7507)",
    ),
}


@check(
    id="security.tls.vulnerabilities",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="tls",
    references=References(
        law=("DSGVO Art. 32",),
        standards=("BSI TR-02102-2", "RFC 5746", "RFC 7507", "RFC 7627", "Mozilla Server Side TLS 5.7"),
    ),
    doc=CheckDoc(
        title=Text("Bekannte TLS-Schwachstellen", "Known TLS weaknesses"),
        what=Text(
            "sslyze weist Heartbleed, CCS-Injection oder ROBOT nach (kritisch), TLS-Kompression oder "
            "fehlende sichere Neuverhandlung (schwerwiegend), oder es fehlen Extended Master Secret "
            "bzw. TLS_FALLBACK_SCSV (mittel).",
            "sslyze proves Heartbleed, CCS injection or ROBOT (critical), TLS compression or missing "
            "secure renegotiation (serious), or extended master secret or TLS_FALLBACK_SCSV are missing "
            "(moderate).",
        ),
        why=Text(
            "Diese Schwachstellen erlauben das Auslesen von Speicher, das Entschlüsseln oder Verändern "
            "von Verbindungen oder ein Herabstufen auf schwächere Protokolle. BSI TR-02102-2; DSGVO Art. 32.",
            "These weaknesses let an attacker read memory, decrypt or alter connections, or downgrade "
            "them to weaker protocols. BSI TR-02102-2; GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "TLS-Bibliothek (OpenSSL o. ä.) und Server aktualisieren, Kompression abschalten; bei ROBOT "
            "RSA-Schlüsselaustausch abschalten.",
            "Update the TLS library (OpenSSL or similar) and the server, disable compression; for ROBOT "
            "disable RSA key exchange.",
        ),
        example="supports_fallback_scsv: false",
    ),
)
def tls_vulnerabilities(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(TlsEvidence)
    if evidence is None:
        return
    facts = evidence.vulnerabilities or {}
    where = f"{probe.host}:{probe.port}"
    for fact, (bad, severity, de, en) in PROBLEMS.items():
        if facts.get(fact) is not None and facts[fact] == bad:
            yield Finding(
                result=Result.FAIL,
                severity=severity,
                message=Text(f"{where}: {de}.", f"{where}: {en}."),
                subject=fact,
                evidence={fact: facts[fact], "scanner": evidence.scanner},
            )
