"""Certificate checks on the tls probe: trust, host name, expiry, key and signature."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import datetime

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

REFERENCES = References(
    law=("DSGVO Art. 32",), standards=("RFC 5280", "RFC 6125", "CA/Browser Forum Baseline Requirements")
)
EXPIRY_WINDOWS = ((0, Severity.CRITICAL), (14, Severity.SERIOUS), (30, Severity.MODERATE))
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
WEAK_HASHES = frozenset({"md5", "sha1", "md2", "md4"})


def _certificate(probe: HostProbeResult) -> dict | None:
    evidence = probe.evidence(TlsEvidence)
    return evidence.certificate if evidence else None


def _where(probe: HostProbeResult) -> str:
    return f"{probe.host}:{probe.port}"


def _cert_evidence(certificate: dict, **extra) -> dict:
    keys = ("subject", "issuer", "dns_names", "not_before", "not_after", "sha256")
    return {**{key: certificate.get(key) for key in keys}, **extra}


@check(
    id="security.tls.certificate-trust",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.CRITICAL,
    probe="tls",
    references=REFERENCES,
    doc=CheckDoc(
        title=Text("Zertifikatskette nicht vertrauenswürdig", "Certificate chain not trusted"),
        what=Text(
            "Die vom Server gesendete Kette führt nicht zu einer vertrauenswürdigen Wurzel (Systemspeicher "
            "oder --ca-bundle): selbst signiert, unbekannte Zertifizierungsstelle oder fehlendes "
            "Zwischenzertifikat.",
            "The chain the server sends does not lead to a trusted root (system store or --ca-bundle): "
            "self-signed, unknown authority or a missing intermediate certificate.",
        ),
        why=Text(
            "Browser zeigen eine Warnung; wer sie wegklickt, kann von jedem Angreifer im Netz getäuscht "
            "werden. DSGVO Art. 32; RFC 5280.",
            "Browsers show a warning; whoever clicks it away can be deceived by any attacker on the "
            "network. GDPR Art. 32; RFC 5280.",
        ),
        how_to_fix=Text(
            "Ein Zertifikat einer öffentlich vertrauten Stelle einsetzen (z. B. Let's Encrypt, DFN-PKI) "
            "und die vollständige Kette einschließlich Zwischenzertifikaten ausliefern.",
            "Use a certificate from a publicly trusted authority (e.g. Let's Encrypt, DFN-PKI) and send "
            "the full chain including intermediate certificates.",
        ),
        example="unable to get local issuer certificate",
    ),
)
def certificate_trust(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(TlsEvidence)
    trust, certificate = (evidence.trust if evidence else None) or {}, _certificate(probe)
    if certificate is None or trust.get("trusted") is not False:
        return
    yield Finding(
        result=Result.FAIL,
        message=Text(
            f"Die Zertifikatskette von {_where(probe)} ist nicht vertrauenswürdig: {trust.get('error')}.",
            f"The certificate chain of {_where(probe)} is not trusted: {trust.get('error')}.",
        ),
        subject=certificate["issuer"],
        evidence=_cert_evidence(certificate, trust=trust, chain_length=certificate.get("chain_length")),
    )


def hostname_matches(host: str, certificate: dict) -> bool:
    """RFC 6125: a SAN DNS name equal to the host, or a wildcard for exactly its first label."""
    host = host.lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host)) in certificate.get("ip_addresses", [])
    except ValueError:
        pass
    for name in certificate.get("dns_names") or []:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


@check(
    id="security.tls.certificate-hostname",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.CRITICAL,
    probe="tls",
    references=REFERENCES,
    doc=CheckDoc(
        title=Text("Zertifikat passt nicht zum Hostnamen", "Certificate does not match the host name"),
        what=Text(
            "Keiner der Namen im Zertifikat (subjectAltName) passt zum Hostnamen, unter dem der Server "
            "aufgerufen wird.",
            "None of the names in the certificate (subjectAltName) matches the host name the server "
            "is reached under.",
        ),
        why=Text(
            "Browser brechen die Verbindung mit einer Warnung ab; das Zertifikat beweist nicht, dass "
            "der Server zur Behörde gehört. RFC 6125; DSGVO Art. 32.",
            "Browsers stop the connection with a warning; the certificate does not prove that the "
            "server belongs to the authority. RFC 6125; GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "Ein Zertifikat ausstellen lassen, das alle Hostnamen des Servers als subjectAltName enthält "
            "(auch www. und die Domain selbst).",
            "Have a certificate issued that lists every host name of the server as subjectAltName "
            "(including www. and the bare domain).",
        ),
        example="www.example.de, certificate for: portal.example.de",
    ),
)
def certificate_hostname(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    certificate = _certificate(probe)
    if certificate is None or hostname_matches(probe.host, certificate):
        return
    names = ", ".join(certificate.get("dns_names") or []) or certificate["subject"]
    yield Finding(
        result=Result.FAIL,
        message=Text(
            f"Das Zertifikat von {_where(probe)} gilt nicht für {probe.host}, sondern für: {names}.",
            f"The certificate of {_where(probe)} is not valid for {probe.host} but for: {names}.",
        ),
        subject=probe.host,
        evidence=_cert_evidence(certificate),
    )


@check(
    id="security.tls.certificate-expiry",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.CRITICAL,
    probe="tls",
    references=REFERENCES,
    doc=CheckDoc(
        title=Text("Zertifikat abgelaufen oder läuft bald ab", "Certificate expired or expiring soon"),
        what=Text(
            "Das Zertifikat ist abgelaufen oder noch nicht gültig (kritisch), läuft in weniger als 14 "
            "Tagen ab (schwerwiegend) oder in weniger als 30 Tagen (mittel), gemessen zum Zeitpunkt "
            "der Prüfung.",
            "The certificate has expired or is not yet valid (critical), expires in less than 14 days "
            "(serious) or in less than 30 days (moderate), measured when the host was probed.",
        ),
        why=Text(
            "Ein abgelaufenes Zertifikat macht die Website für Bürgerinnen und Bürger unerreichbar oder "
            "gewöhnt sie daran, Warnungen wegzuklicken. RFC 5280.",
            "An expired certificate makes the website unreachable for citizens or teaches them to click "
            "warnings away. RFC 5280.",
        ),
        how_to_fix=Text(
            "Zertifikate automatisch erneuern (ACME) und den Ablauf überwachen; eine Warnschwelle von "
            "30 Tagen ist üblich.",
            "Renew certificates automatically (ACME) and monitor expiry; a warning threshold of 30 days "
            "is common.",
        ),
        example="notAfter 2026-11-30, probed 2026-11-20: 10 days left",
    ),
)
def certificate_expiry(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(TlsEvidence)
    certificate, probed = _certificate(probe), evidence.probed_at if evidence else None
    if certificate is None or not probed:
        return
    when = datetime.fromisoformat(probed)
    not_before = datetime.fromisoformat(certificate["not_before"])
    not_after = datetime.fromisoformat(certificate["not_after"])
    days_left = (not_after - when).total_seconds() / 86400
    evidence = _cert_evidence(certificate, probed_at=probed, days_left=round(days_left, 1))
    where = _where(probe)
    if when < not_before:
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"Das Zertifikat von {where} ist erst ab {not_before:%Y-%m-%d} gültig.",
                f"The certificate of {where} is valid only from {not_before:%Y-%m-%d}.",
            ),
            subject="not-yet-valid",
            evidence=evidence,
        )
        return
    window = next(((limit, severity) for limit, severity in EXPIRY_WINDOWS if days_left < limit), None)
    if window is None:
        return
    limit, severity = window
    if severity is Severity.CRITICAL:
        message = Text(
            f"Das Zertifikat von {where} ist seit {not_after:%Y-%m-%d} abgelaufen.",
            f"The certificate of {where} expired on {not_after:%Y-%m-%d}.",
        )
    else:
        message = Text(
            f"Das Zertifikat von {where} läuft am {not_after:%Y-%m-%d} ab ({days_left:.0f} Tage).",
            f"The certificate of {where} expires on {not_after:%Y-%m-%d} ({days_left:.0f} days).",
        )
    yield Finding(
        result=Result.FAIL,
        severity=severity,
        message=message,
        subject="expired" if severity is Severity.CRITICAL else f"expires-within-{limit}-days",
        evidence=evidence,
    )


@check(
    id="security.tls.certificate-key",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="tls",
    references=REFERENCES,
    doc=CheckDoc(
        title=Text(
            "Schwacher Zertifikatsschlüssel oder schwache Signatur", "Weak certificate key or signature"
        ),
        what=Text(
            f"Der Schlüssel des Zertifikats ist kürzer als {MIN_RSA_BITS} Bit (RSA/DSA) bzw. {MIN_EC_BITS} "
            "Bit (ECDSA), oder das Zertifikat ist mit SHA-1 oder MD5 signiert.",
            f"The certificate's key is shorter than {MIN_RSA_BITS} bits (RSA/DSA) or {MIN_EC_BITS} bits "
            "(ECDSA), or the certificate is signed with SHA-1 or MD5.",
        ),
        why=Text(
            "Kurze Schlüssel lassen sich faktorisieren, SHA-1- und MD5-Signaturen fälschen (Kollisionen). "
            "BSI TR-02102-2 verlangt RSA ab 3000 Bit; die CA/B-Baseline-Requirements verbieten SHA-1.",
            "Short keys can be factored, SHA-1 and MD5 signatures forged (collisions). BSI TR-02102-2 "
            "requires RSA of at least 3000 bits; the CA/B Baseline Requirements forbid SHA-1.",
        ),
        how_to_fix=Text(
            "Ein neues Zertifikat mit ECDSA P-256/P-384 oder RSA ab 3072 Bit und SHA-256-Signatur "
            "ausstellen lassen.",
            "Have a new certificate issued with ECDSA P-256/P-384 or RSA of 3072 bits or more and a "
            "SHA-256 signature.",
        ),
        example="RSA 1024 bit, sha1WithRSAEncryption",
    ),
)
def certificate_key(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    certificate = _certificate(probe)
    if certificate is None:
        return
    key_type, bits = certificate["key_type"], certificate.get("key_bits") or 0
    minimum = MIN_EC_BITS if key_type == "ecdsa" else MIN_RSA_BITS if key_type in ("rsa", "dsa") else 0
    where = _where(probe)
    if bits < minimum:
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"Der Zertifikatsschlüssel von {where} ist zu kurz: {key_type.upper()} {bits} Bit.",
                f"The certificate key of {where} is too short: {key_type.upper()} {bits} bits.",
            ),
            subject=f"{key_type}-{bits}",
            evidence=_cert_evidence(certificate, key_type=key_type, key_bits=bits),
        )
    digest = (certificate.get("signature_hash") or "").lower()
    if digest in WEAK_HASHES:
        algorithm = certificate.get("signature_algorithm")
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"Das Zertifikat von {where} ist mit {algorithm} signiert.",
                f"The certificate of {where} is signed with {algorithm}.",
            ),
            subject=f"signature-{digest}",
            evidence=_cert_evidence(certificate, signature_algorithm=algorithm),
        )
