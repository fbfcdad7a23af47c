"""security.tls.cipher-suites and security.tls.key-exchange: what the accepted suites are made of."""

from __future__ import annotations

import re
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

# Broken outright: no encryption, no authentication, export grade, RC4, (3)DES and friends, MD5.
BROKEN = re.compile(r"_NULL_|_anon_|_EXPORT|_RC4_|_DES|3DES|_IDEA_|_RC2_|_MD5$|_WITH_NULL")
# Without an ephemeral key exchange a stolen server key decrypts every recorded session.
NO_FORWARD_SECRECY = re.compile(r"^(TLS|SSL)_(RSA|DH|ECDH|PSK|RSA_PSK)_(WITH|[A-Z]+_WITH)_")
MIN_DH_BITS = 2048
MIN_EC_BITS = 224
REFERENCES = References(
    law=("DSGVO Art. 32",),
    standards=("BSI TR-02102-2", "RFC 7465", "RFC 7525", "Mozilla Server Side TLS 5.7"),
)


def _offered_suites(probe: HostProbeResult) -> Iterator[tuple[str, dict]]:
    evidence = probe.evidence(TlsEvidence)
    for protocol, entry in (evidence.protocols if evidence else {}).items():
        for suite in entry.get("suites") or []:
            yield protocol, suite


def weakness(name: str) -> str | None:
    """'broken', 'no-forward-secrecy' or None for an IANA suite name."""
    if BROKEN.search(name):
        return "broken"
    if NO_FORWARD_SECRECY.match(name):
        return "no-forward-secrecy"
    return None


@check(
    id="security.tls.cipher-suites",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="tls",
    references=REFERENCES,
    doc=CheckDoc(
        title=Text("Schwache Cipher-Suites angeboten", "Weak cipher suites offered"),
        what=Text(
            "Der Server nimmt Cipher-Suites ohne Verschlüsselung oder Authentisierung, mit Export-"
            "Schlüsseln, RC4, (3)DES oder MD5 an (schwerwiegend), oder solche ohne Forward Secrecy "
            "(statischer RSA-/DH-Schlüsselaustausch, mittel).",
            "The server accepts cipher suites without encryption or authentication, with export keys, "
            "RC4, (3)DES or MD5 (serious), or suites without forward secrecy (static RSA/DH key "
            "exchange, moderate).",
        ),
        why=Text(
            "Solche Suites lassen sich brechen (RFC 7465, Sweet32) oder erlauben es, mitgeschnittene "
            "Sitzungen später mit dem Serverschlüssel zu entschlüsseln. BSI TR-02102-2 lässt nur "
            "(EC)DHE mit AES-GCM/-CCM/-CBC-SHA2 zu. DSGVO Art. 32.",
            "Such suites can be broken (RFC 7465, Sweet32) or let recorded sessions be decrypted "
            "later with the server key. BSI TR-02102-2 allows only (EC)DHE with AES-GCM/-CCM/-CBC-SHA2. "
            "GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "Die Cipher-Liste auf ECDHE mit AES-GCM (und ggf. CHACHA20) beschränken, z. B. nach dem "
            "Mozilla-Konfigurationsgenerator (Profil Intermediate).",
            "Restrict the cipher list to ECDHE with AES-GCM (and possibly CHACHA20), e.g. following "
            "Mozilla's configuration generator (intermediate profile).",
        ),
        example="TLS_RSA_WITH_AES_128_CBC_SHA (TLS 1.2)",
    ),
)
def weak_cipher_suites(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    found: dict[str, dict[str, list[str]]] = {}
    for protocol, suite in _offered_suites(probe):
        kind = weakness(suite["name"])
        if kind:
            found.setdefault(kind, {}).setdefault(suite["name"], []).append(protocol)
    where = f"{probe.host}:{probe.port}"
    texts = {
        "broken": (
            Severity.SERIOUS,
            Text(
                "{where} nimmt gebrochene Cipher-Suites an: {names}.",
                "{where} accepts broken cipher suites: {names}.",
            ),
        ),
        "no-forward-secrecy": (
            Severity.MODERATE,
            Text(
                "{where} nimmt Cipher-Suites ohne Forward Secrecy an: {names}.",
                "{where} accepts cipher suites without forward secrecy: {names}.",
            ),
        ),
    }
    for kind, suites in sorted(found.items()):
        severity, template = texts[kind]
        names = ", ".join(sorted(suites))
        yield Finding(
            result=Result.FAIL,
            severity=severity,
            message=Text(
                template.de.format(where=where, names=names), template.en.format(where=where, names=names)
            ),
            subject=kind,
            evidence={"suites": {name: sorted(protocols) for name, protocols in sorted(suites.items())}},
        )


@check(
    id="security.tls.key-exchange",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="tls",
    references=REFERENCES,
    doc=CheckDoc(
        title=Text("Zu schwacher Schlüsselaustausch", "Key exchange too weak"),
        what=Text(
            f"Der Server handelt Diffie-Hellman-Parameter unter {MIN_DH_BITS} Bit oder elliptische "
            f"Kurven unter {MIN_EC_BITS} Bit aus.",
            f"The server negotiates Diffie-Hellman parameters below {MIN_DH_BITS} bits or elliptic "
            f"curves below {MIN_EC_BITS} bits.",
        ),
        why=Text(
            "Kleine DH-Gruppen sind mit vertretbarem Aufwand zu brechen (Logjam); BSI TR-02102-2 "
            "verlangt mindestens 3000 Bit, Mozilla mindestens 2048 Bit. DSGVO Art. 32.",
            "Small DH groups can be broken with reasonable effort (Logjam); BSI TR-02102-2 requires at "
            "least 3000 bits, Mozilla at least 2048 bits. GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "ECDHE mit X25519, P-256 oder P-384 bevorzugen; für DHE die Gruppen ffdhe3072 oder "
            "ffdhe4096 (RFC 7919) verwenden.",
            "Prefer ECDHE with X25519, P-256 or P-384; for DHE use the groups ffdhe3072 or ffdhe4096 "
            "(RFC 7919).",
        ),
        example="DH 1024 bit with TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    ),
)
def weak_key_exchange(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    weak: dict[str, list[str]] = {}
    for protocol, suite in _offered_suites(probe):
        bits = suite.get("kex_bits") or 0
        if suite.get("kex") == "DH" and bits < MIN_DH_BITS:
            weak.setdefault(f"DH {bits} bit", []).append(f"{suite['name']} ({protocol})")
        if suite.get("kex") == "ECDH" and bits + 3 < MIN_EC_BITS:  # OpenSSL reports X25519 as 253
            weak.setdefault(f"{suite.get('group')} {bits} bit", []).append(f"{suite['name']} ({protocol})")
    where = f"{probe.host}:{probe.port}"
    for parameters, suites in sorted(weak.items()):
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"{where} handelt einen zu schwachen Schlüsselaustausch aus: {parameters}.",
                f"{where} negotiates a key exchange that is too weak: {parameters}.",
            ),
            subject=parameters,
            evidence={"parameters": parameters, "suites": sorted(suites)},
        )
