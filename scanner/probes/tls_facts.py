"""sslyze's result objects -> plain JSON facts for the ``tls`` probe's evidence."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from nassl.ephemeral_key_info import DhEphemeralKeyInfo, EcDhEphemeralKeyInfo
from sslyze import AllScanCommandsAttempts, CertificateInfoScanResult, ScanCommandAttemptStatusEnum

PROTOCOLS = (
    ("SSLv2", "ssl_2_0_cipher_suites"),
    ("SSLv3", "ssl_3_0_cipher_suites"),
    ("TLSv1", "tls_1_0_cipher_suites"),
    ("TLSv1.1", "tls_1_1_cipher_suites"),
    ("TLSv1.2", "tls_1_2_cipher_suites"),
    ("TLSv1.3", "tls_1_3_cipher_suites"),
)


def protocol_facts(scan: AllScanCommandsAttempts) -> dict[str, Any]:
    """Per protocol: offered (None: not tested) and the accepted suites with their key exchange."""
    facts: dict[str, Any] = {}
    for protocol, attribute in PROTOCOLS:
        attempt = getattr(scan, attribute)
        if attempt.status is not ScanCommandAttemptStatusEnum.COMPLETED or attempt.result is None:
            facts[protocol] = {"offered": None, "suites": []}
            continue
        suites = []
        for accepted in attempt.result.accepted_cipher_suites:
            suite = accepted.cipher_suite
            entry: dict[str, Any] = {
                "name": suite.name,
                "openssl": suite.openssl_name,
                "bits": suite.key_size,
                "anonymous": suite.is_anonymous,
            }
            key = accepted.ephemeral_key
            if isinstance(key, EcDhEphemeralKeyInfo):
                entry.update(kex="ECDH", group=key.curve_name, kex_bits=key.size)
            elif isinstance(key, DhEphemeralKeyInfo):
                entry.update(kex="DH", kex_bits=key.size)
            suites.append(entry)
        facts[protocol] = {"offered": attempt.result.is_tls_version_supported, "suites": suites}
    return facts


def certificate_facts(result: CertificateInfoScanResult | None) -> dict[str, Any] | None:
    """The certificate the server sends with SNI: leaf details, chain length, web-PKI validation."""
    if result is None or not result.certificate_deployments:
        return None
    deployment = result.certificate_deployments[0]
    leaf = deployment.received_certificate_chain[0]
    key = leaf.public_key()
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns_names = names.get_values_for_type(x509.DNSName)
        ip_names = [str(address) for address in names.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        dns_names, ip_names = [], []
    hash_algorithm = leaf.signature_hash_algorithm
    return {
        "subject": leaf.subject.rfc4514_string(),
        "issuer": leaf.issuer.rfc4514_string(),
        "dns_names": dns_names,
        "ip_addresses": ip_names,
        "not_before": leaf.not_valid_before_utc.isoformat(),
        "not_after": leaf.not_valid_after_utc.isoformat(),
        "key_type": _key_type(key),
        "key_bits": getattr(key, "key_size", None),
        "curve": key.curve.name if isinstance(key, ec.EllipticCurvePublicKey) else None,
        "signature_algorithm": getattr(leaf.signature_algorithm_oid, "_name", None),
        "signature_hash": hash_algorithm.name if hash_algorithm else None,
        "sha256": leaf.fingerprint(hashes.SHA256()).hex(),
        "chain_length": len(deployment.received_certificate_chain),
        "webpki": [
            {"store": check.trust_store.name, "error": check.validation_error}
            for check in deployment.path_validation_results
            if check.trust_store.name in ("Mozilla", "Supplied CA file")
        ],
    }


def _key_type(key: object) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ecdsa"
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return "eddsa"
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa"
    return type(key).__name__


def vulnerability_facts(scan: AllScanCommandsAttempts) -> dict[str, Any]:
    """Each value is the test's answer, or None when the test did not complete."""

    def result(attribute: str):
        attempt = getattr(scan, attribute)
        return attempt.result if attempt.status is ScanCommandAttemptStatusEnum.COMPLETED else None

    renegotiation = result("session_renegotiation")
    robot = result("robot")
    return {
        "compression": _field(result("tls_compression"), "supports_compression"),
        "secure_renegotiation": _field(renegotiation, "supports_secure_renegotiation"),
        "client_renegotiation": _field(renegotiation, "is_vulnerable_to_client_renegotiation_dos"),
        "extended_master_secret": _field(result("tls_extended_master_secret"), "supports_ems_extension"),
        "fallback_scsv": _field(result("tls_fallback_scsv"), "supports_fallback_scsv"),
        "heartbleed": _field(result("heartbleed"), "is_vulnerable_to_heartbleed"),
        "ccs_injection": _field(result("openssl_ccs_injection"), "is_vulnerable_to_ccs_injection"),
        "robot": robot.robot_result.value if robot else None,
        "early_data": _field(result("tls_1_3_early_data"), "supports_early_data"),
    }


def _field(result: object | None, name: str) -> bool | None:
    return None if result is None else bool(getattr(result, name))
