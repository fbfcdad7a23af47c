"""security.tls.protocols: old protocol versions offered, current ones missing (tls probe)."""

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

NAMES = {
    "SSLv2": "SSL 2.0",
    "SSLv3": "SSL 3.0",
    "TLSv1": "TLS 1.0",
    "TLSv1.1": "TLS 1.1",
    "TLSv1.2": "TLS 1.2",
}
OFFERED_SEVERITY = {
    "SSLv2": Severity.CRITICAL,
    "SSLv3": Severity.CRITICAL,
    "TLSv1": Severity.SERIOUS,
    "TLSv1.1": Severity.SERIOUS,
}


@check(
    id="security.tls.protocols",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="tls",
    references=References(
        law=("DSGVO Art. 32",),
        standards=("BSI TR-02102-2", "BSI TR-03116-4", "RFC 8996", "Mozilla Server Side TLS 5.7"),
    ),
    doc=CheckDoc(
        title=Text(
            "Veraltete TLS-Versionen angeboten oder aktuelle fehlen",
            "Old TLS versions offered or current ones missing",
        ),
        what=Text(
            "Der Server nimmt SSL 2.0/3.0 (kritisch) oder TLS 1.0/1.1 (schwerwiegend) an, bietet kein "
            "TLS 1.2 an (mittel) oder kein TLS 1.3 (gering).",
            "The server accepts SSL 2.0/3.0 (critical) or TLS 1.0/1.1 (serious), does not offer TLS 1.2 "
            "(moderate) or does not offer TLS 1.3 (minor).",
        ),
        why=Text(
            "SSL und TLS bis 1.1 sind gebrochen oder veraltet (RFC 8996) und nach BSI TR-02102-2 nicht "
            "mehr zulässig; TR-03116-4 verlangt TLS 1.2, TLS 1.3 wird empfohlen. DSGVO Art. 32 fordert "
            "Verschlüsselung nach dem Stand der Technik.",
            "SSL and TLS up to 1.1 are broken or deprecated (RFC 8996) and no longer allowed by BSI "
            "TR-02102-2; TR-03116-4 requires TLS 1.2 and recommends TLS 1.3. GDPR Art. 32 requires "
            "state-of-the-art encryption.",
        ),
        how_to_fix=Text(
            "Nur TLS 1.2 und TLS 1.3 zulassen, z. B. 'ssl_protocols TLSv1.2 TLSv1.3;' (nginx) oder "
            "'SSLProtocol -all +TLSv1.2 +TLSv1.3' (Apache).",
            "Allow only TLS 1.2 and TLS 1.3, e.g. 'ssl_protocols TLSv1.2 TLSv1.3;' (nginx) or "
            "'SSLProtocol -all +TLSv1.2 +TLSv1.3' (Apache).",
        ),
        example="TLS 1.0 offered: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    ),
)
def tls_protocols(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(TlsEvidence)
    protocols = (evidence.protocols if evidence else None) or {}
    where = f"{probe.host}:{probe.port}"
    for protocol, severity in OFFERED_SEVERITY.items():
        entry = protocols.get(protocol) or {}
        if entry.get("offered"):
            name = NAMES[protocol]
            yield Finding(
                result=Result.FAIL,
                severity=severity,
                message=Text(f"{where} nimmt {name} an.", f"{where} accepts {name}."),
                subject=f"{name} angeboten",
                evidence={"protocol": name, "suites": [suite["name"] for suite in entry["suites"]]},
            )
    missing = [
        ("TLSv1.2", "TLS 1.2", Severity.MODERATE),
        ("TLSv1.3", "TLS 1.3", Severity.MINOR),
    ]
    for protocol, name, severity in missing:
        if (protocols.get(protocol) or {}).get("offered") is False:
            yield Finding(
                result=Result.FAIL,
                severity=severity,
                message=Text(f"{where} bietet {name} nicht an.", f"{where} does not offer {name}."),
                subject=f"{name} fehlt",
                evidence={"protocol": name, "offered": False},
            )
