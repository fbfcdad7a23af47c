"""TLS profiles as data (``data/tls_profiles/*.json``) and their evaluation against the tls probe's facts.

A profile says what a server may offer (versions, suites, groups, key and certificate parameters,
forbidden features) and, for BSI, what it must offer at least one of. ``evaluate`` is a pure
function: the ``security.tls.profile`` check, the report's side-by-side table and the tests use it.
Rule names follow sslyze's Mozilla checker where it has one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from scanner.evidence.tls import TLS_PROFILES, TlsEvidence
from scanner.findings.registry import Text

DATA = Path(__file__).parent / "data" / "tls_profiles"
BINDING_FOR_BUND = "bsi"  # the BSI rules bind the federal administration (Mindeststandard TLS, § 8 BSIG)

# rule -> what it means, in the order the report lists them
RULES: dict[str, Text] = {
    "tls_versions": Text("Protokollversionen", "Protocol versions"),
    "ciphers": Text("Cipher-Suites bis TLS 1.2", "Cipher suites up to TLS 1.2"),
    "tls13_ciphers": Text("Cipher-Suites TLS 1.3", "TLS 1.3 cipher suites"),
    "groups": Text("Schlüsselaustausch-Gruppen", "Key exchange groups"),
    "dh_param_size": Text("DH-Parametergröße", "DH parameter size"),
    "ecdh_param_size": Text("ECDH-Schlüsselgröße", "ECDH key size"),
    "certificate_type": Text("Schlüsseltyp des Zertifikats", "Certificate key type"),
    "certificate_key_size": Text("Schlüssellänge des Zertifikats", "Certificate key size"),
    "certificate_signature": Text("Signaturalgorithmus des Zertifikats", "Certificate signature algorithm"),
    "certificate_lifespan": Text("Laufzeit des Zertifikats", "Certificate lifespan"),
    "certificate_trust": Text("Vertrauenskette", "Chain of trust"),
    "required_tls_versions": Text("Pflicht: Protokollversion", "Required: protocol version"),
    "required_ciphers": Text("Pflicht: Cipher-Suite", "Required: cipher suite"),
    "required_tls13_ciphers": Text("Pflicht: TLS-1.3-Suite", "Required: TLS 1.3 suite"),
    "required_groups": Text("Pflicht: Gruppe", "Required: group"),
    "compression": Text("TLS-Kompression", "TLS compression"),
    "insecure_renegotiation": Text("Unsichere Neuverhandlung", "Insecure renegotiation"),
    "client_renegotiation": Text("Vom Client angestoßene Neuverhandlung", "Client-initiated renegotiation"),
    "no_extended_master_secret": Text("Extended Master Secret fehlt", "Extended master secret missing"),
    "no_fallback_scsv": Text("TLS_FALLBACK_SCSV fehlt", "TLS_FALLBACK_SCSV missing"),
    "heartbleed": Text("Heartbleed", "Heartbleed"),
    "ccs_injection": Text("CCS-Injection", "CCS injection"),
    "robot": Text("ROBOT", "ROBOT"),
    "early_data": Text("0-RTT (Early Data)", "0-RTT (early data)"),
}
PROTOCOL_RULES = ("tls_versions", "ciphers", "tls13_ciphers", "dh_param_size", "ecdh_param_size")
# forbidden feature -> (vulnerability fact, the value that means "present")
FORBIDDEN_FACTS: dict[str, tuple[str, Any]] = {
    "compression": ("compression", True),
    "insecure_renegotiation": ("secure_renegotiation", False),
    "client_renegotiation": ("client_renegotiation", True),
    "no_extended_master_secret": ("extended_master_secret", False),
    "no_fallback_scsv": ("fallback_scsv", False),
    "heartbleed": ("heartbleed", True),
    "ccs_injection": ("ccs_injection", True),
    "robot": ("robot", "VULNERABLE_STRONG_ORACLE"),
    "early_data": ("early_data", True),
}


@dataclass(frozen=True)
class TlsProfile:
    name: str
    title: Text
    version: str
    source: str
    spec: dict[str, Any]

    def allowed(self, key: str) -> frozenset[str]:
        return frozenset(self.spec.get(key) or ())

    @property
    def rules(self) -> list[str]:
        """The rules this profile has an opinion on, in report order."""
        spec = self.spec
        required = {"required_" + key.removesuffix("_when_offered") for key in spec["required"]}

        def applies(rule: str) -> bool:
            if rule.startswith("required_"):
                return rule in required
            if rule in FORBIDDEN_FACTS:
                return rule in spec["forbidden"]
            if rule == "certificate_lifespan":
                return bool(spec["max_certificate_lifespan_days"])
            return rule != "dh_param_size" or bool(spec["dh_min_bits"])

        return [rule for rule in RULES if applies(rule)]


@cache
def load_profile(name: str) -> TlsProfile:
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return TlsProfile(data["name"], Text(**data["title"]), data["version"], data["source"], data)


def all_profiles() -> list[TlsProfile]:
    return [load_profile(name) for name in TLS_PROFILES]


def binding_profiles(tls_profile: str, authority_level: str | None) -> list[str]:
    """Profiles whose deviations are findings: the target's own, plus BSI for federal bodies."""
    names = [tls_profile]
    if authority_level == "bund" and BINDING_FOR_BUND not in names:
        names.append(BINDING_FOR_BUND)
    return names


@dataclass
class ProfileOutcome:
    profile: TlsProfile
    deviations: dict[str, list[str]] = field(default_factory=dict)  # rule -> what deviates
    not_tested: list[str] = field(default_factory=list)  # rules whose facts are missing

    def state(self, rule: str) -> str:
        """ok | deviation | not_tested | not_applicable, for the report's table."""
        if rule not in self.profile.rules:
            return "not_applicable"
        if rule in self.deviations:
            return "deviation"
        return "not_tested" if rule in self.not_tested else "ok"


def evaluate(profile: TlsProfile, evidence: TlsEvidence | dict[str, Any]) -> ProfileOutcome:
    """Compare the tls probe's facts with a profile: everything offered beyond it, everything missing.

    Takes the typed evidence, or a stored row's JSON (read through ``TlsEvidence.from_json``).
    """
    if isinstance(evidence, dict):
        evidence = TlsEvidence.from_json(evidence)
    outcome = ProfileOutcome(profile)
    spec = profile.spec
    protocols = evidence.protocols or {}

    def note(rule: str, values: list[str] | None) -> None:
        if values is None:
            outcome.not_tested.append(rule)
        elif values:
            outcome.deviations[rule] = sorted(set(values))

    if any(entry.get("offered") is None for entry in protocols.values()) or not protocols:
        outcome.not_tested += [
            *PROTOCOL_RULES,
            "required_tls_versions",
            "required_ciphers",
            "required_tls13_ciphers",
        ]
    else:
        offered = [name for name, entry in protocols.items() if entry["offered"]]
        suites = [suite for name in offered for suite in protocols[name]["suites"] if name != "TLSv1.3"]
        tls13 = protocols.get("TLSv1.3", {}).get("suites", [])
        note("tls_versions", [name for name in offered if name not in profile.allowed("tls_versions")])
        note("ciphers", [s["name"] for s in suites if s["name"] not in profile.allowed("ciphers")])
        note("tls13_ciphers", [s["name"] for s in tls13 if s["name"] not in profile.allowed("tls13_ciphers")])
        note("dh_param_size", _too_small(suites + tls13, "DH", spec["dh_min_bits"]))
        note("ecdh_param_size", _too_small(suites + tls13, "ECDH", spec["ecdh_min_bits"]))
        _required(outcome, spec["required"], offered, suites, tls13, evidence.groups)
    groups = evidence.groups
    note("groups", None if groups is None else [g for g in groups if g not in profile.allowed("groups")])
    _certificate(outcome, profile, evidence.certificate, evidence.trust or {}, note)
    vulnerabilities = evidence.vulnerabilities or {}
    for rule in spec["forbidden"]:
        fact, bad = FORBIDDEN_FACTS[rule]
        value = vulnerabilities.get(fact)
        note(rule, None if value is None else ([str(value)] if value == bad else []))
    return outcome


def _too_small(suites: list[dict], kex: str, minimum: int | None) -> list[str]:
    if not minimum:
        return []
    # OpenSSL reports 253 bits for X25519 keys; like sslyze's checker we add 3 before comparing.
    extra = 3 if kex == "ECDH" else 0
    return [
        f"{suite.get('group') or kex} {suite['kex_bits']} bit"
        for suite in suites
        if suite.get("kex") == kex and suite["kex_bits"] + extra < minimum
    ]


def _required(
    outcome: ProfileOutcome, required: dict, offered: list[str], suites: list, tls13: list, groups
) -> None:
    names = {suite["name"] for suite in suites}
    if "tls_versions" in required and not set(required["tls_versions"]) & set(offered):
        outcome.deviations["required_tls_versions"] = sorted(required["tls_versions"])
    if "ciphers" in required and not set(required["ciphers"]) & names:
        outcome.deviations["required_ciphers"] = sorted(required["ciphers"])
    wanted = required.get("tls13_ciphers_when_offered")
    if wanted and tls13 and not set(wanted) & {suite["name"] for suite in tls13}:
        outcome.deviations["required_tls13_ciphers"] = sorted(wanted)
    if "groups" in required:
        if groups is None:
            outcome.not_tested.append("required_groups")
        elif not set(required["groups"]) & set(groups):
            outcome.deviations["required_groups"] = sorted(required["groups"])


def _certificate(outcome: ProfileOutcome, profile: TlsProfile, certificate, trust: dict, note) -> None:
    spec = profile.spec
    rules = ("certificate_type", "certificate_key_size", "certificate_signature", "certificate_lifespan")
    if certificate is None:
        outcome.not_tested += [*rules, "certificate_trust"]
        return
    key_type, bits = certificate["key_type"], certificate.get("key_bits") or 0
    note("certificate_type", [] if key_type in profile.allowed("certificate_types") else [key_type])
    too_small = []
    if key_type == "rsa" and spec["rsa_min_bits"] and bits < spec["rsa_min_bits"]:
        too_small = [f"RSA {bits} bit"]
    if key_type == "ecdsa" and certificate.get("curve") not in profile.allowed("certificate_curves"):
        too_small = [f"ECDSA {certificate.get('curve')}"]
    note("certificate_key_size", too_small)
    signature = certificate.get("signature_algorithm") or "?"
    note(
        "certificate_signature", [] if signature in profile.allowed("certificate_signatures") else [signature]
    )
    longest = spec["max_certificate_lifespan_days"]
    days = (_date(certificate["not_after"]) - _date(certificate["not_before"])).days
    note("certificate_lifespan", [f"{days} days"] if longest and days > longest else [])
    trusted = trust.get("trusted")
    note("certificate_trust", None if trusted is None else ([] if trusted else [trust.get("error") or "?"]))


def _date(text: str) -> datetime:
    return datetime.fromisoformat(text)
