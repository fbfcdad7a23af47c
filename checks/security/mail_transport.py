"""Mail transport per MX (the ``smtp-tls`` probe): STARTTLS offered and working, the TLS profiles
(Mozilla and BSI TR-03116-4 side by side, as for the web), the certificate, DANE TLSA, DNSSEC of
the MX zones as the TLSA records need it, and a view of what BSI TR-03108 requires (DNSSEC of
the domain and the MX zones is judged by security.mail-dnssec in ``mail_policy``, from DNS alone).

An MX whose port 25 could not be reached is "not tested" (the evidence says why: many networks
block outbound port 25) and none of these checks judges it. Where DANE validates, the
certificate's PKIX trust and name are informational only (RFC 7672 §3.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from checks.security.mail_findings import fail
from checks.security.tls_certificate import hostname_matches
from checks.security.tls_profiles import RULES, all_profiles, binding_profiles, evaluate
from scanner.evidence import HostProbeResult
from scanner.evidence.mail import SmtpTlsEvidence
from scanner.evidence.tls import TlsEvidence
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Scope,
    Severity,
    Text,
    check,
)

BSI_PROFILE = "bsi"
TR_03108 = "BSI TR-03108-1 (Sicherer E-Mail-Transport)"


def _handshaken(evidence: SmtpTlsEvidence) -> list[dict[str, Any]]:
    return [server for server in evidence.tested if server.get("handshake")]


def dane_state(server: dict[str, Any]) -> str:
    """valid | mismatch | unusable | bogus | unsigned | absent | not_tested, for one MX."""
    tlsa = server.get("tlsa") or {}
    if "records" not in tlsa:
        return "not_tested"
    records = tlsa["records"]
    if not records:
        return "absent"
    if tlsa.get("dnssec") == "bogus":
        return "bogus"  # RFC 7672 §2.1.1: DANE senders defer the mail
    if tlsa.get("dnssec") != "secure":
        return "unsigned" if tlsa.get("dnssec") == "insecure" else "not_tested"
    if not any(record["usage"] in (2, 3) for record in records):
        return "unusable"
    if not server.get("handshake"):
        return "not_tested"
    return "valid" if tlsa.get("matching") else "mismatch"


def _tls(server: dict[str, Any], dane_valid: bool) -> TlsEvidence:
    """The MX's facts in the web probe's shape; PKIX trust not asked where DANE validates."""
    facts = dict(server["tls"])
    if dane_valid:
        facts["trust"] = {"trusted": True, "store": "DANE (RFC 7672)", "error": None}
    return TlsEvidence.from_json(facts)


@check(
    id="security.mail-starttls",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="smtp-tls",
    references=References(law=("DSGVO Art. 32",), standards=("RFC 3207", "RFC 8314", TR_03108)),
    doc=CheckDoc(
        title=Text("Mailserver ohne funktionierendes STARTTLS", "Mail server without working STARTTLS"),
        what=Text(
            "Ein MX der Domain bietet auf Port 25 kein STARTTLS an, oder der TLS-Handshake danach "
            "scheitert. Ist Port 25 vom Scanner aus nicht erreichbar, gilt der MX als nicht getestet, "
            "nie als Mangel (viele Netze sperren ausgehenden Port 25).",
            "An MX of the domain does not offer STARTTLS on port 25, or the TLS handshake after it "
            "fails. When port 25 cannot be reached from the scanner the MX is not tested, never a "
            "defect (many networks block outbound port 25).",
        ),
        why=Text(
            "Ohne STARTTLS gehen Mails von Bürgerinnen und Bürgern an die Behörde im Klartext über das "
            "Netz (DSGVO Art. 32); BSI TR-03108 verlangt STARTTLS.",
            "Without STARTTLS mail from citizens to the authority crosses the network in clear text "
            "(GDPR Art. 32); BSI TR-03108 requires STARTTLS.",
        ),
        how_to_fix=Text(
            "STARTTLS am Mailserver mit einem Zertifikat für den MX-Namen einschalten (Postfix: "
            "smtpd_tls_security_level = may, smtpd_tls_chain_files).",
            "Enable STARTTLS on the mail server with a certificate for the MX name (Postfix: "
            "smtpd_tls_security_level = may, smtpd_tls_chain_files).",
        ),
        example="mx.stadt-beispiel.de:25: Server does not support STARTTLS with SMTP",
    ),
)
def mail_starttls(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(SmtpTlsEvidence)
    if evidence is None:
        return
    for server in evidence.tested:
        host, reason = server["host"], server.get("reason", "")
        if not server["starttls"]:
            yield fail(
                f"{host} no-starttls",
                f"{host}:25 bietet kein STARTTLS an ({reason}).",
                f"{host}:25 does not offer STARTTLS ({reason}).",
                server,
            )
        elif not server["handshake"]:
            yield fail(
                f"{host} handshake",
                f"{host}:25 bietet STARTTLS an, aber der TLS-Handshake scheitert ({reason}).",
                f"{host}:25 offers STARTTLS but the TLS handshake fails ({reason}).",
                server,
            )


@check(
    id="security.mail-tls-profile",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="smtp-tls",
    references=References(
        law=("DSGVO Art. 32",),
        standards=("Mozilla Server Side TLS 5.7", "BSI TR-03116-4", "BSI TR-02102-2", TR_03108),
    ),
    doc=CheckDoc(
        title=Text("Mailserver weicht vom TLS-Profil ab", "Mail server deviates from the TLS profile"),
        what=Text(
            "Die TLS-Konfiguration eines MX nach STARTTLS, bewertet mit denselben Profilen wie die "
            "Webserver: das Profil des Ziels (tls_profile), für Bundesbehörden zusätzlich BSI "
            "TR-03116-4, das TR-03108 für Mailserver vorschreibt (die TR-03108-Sicht prüft es immer). "
            "Alle Profile stehen im Nachweis nebeneinander.",
            "The TLS configuration of an MX after STARTTLS, judged with the same profiles as the web "
            "servers: the target's profile (tls_profile), for federal bodies BSI TR-03116-4 as well, "
            "which TR-03108 prescribes for mail servers (the TR-03108 view always judges it). Every "
            "profile's outcome is in the evidence side by side.",
        ),
        why=Text(
            "Veraltete Protokolle und schwache Suites machen die Verschlüsselung der Mails angreifbar "
            "(DSGVO Art. 32; BSI TR-03108, TR-03116-4).",
            "Outdated protocols and weak suites make the encryption of mail attackable (GDPR Art. 32; "
            "BSI TR-03108, TR-03116-4).",
        ),
        how_to_fix=Text(
            "Am Mailserver nur TLS 1.2 und 1.3 mit den Suites aus BSI TR-02102-2 anbieten.",
            "Offer only TLS 1.2 and 1.3 with the suites of BSI TR-02102-2 on the mail server.",
        ),
        example="mx.stadt-beispiel.de:25 deviates from BSI TR-03116-4: TLS versions TLSv1.0",
    ),
)
def mail_tls_profile(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(SmtpTlsEvidence)
    if evidence is None:
        return
    binding = binding_profiles(context.tls_profile, context.authority_level)
    for server in _handshaken(evidence):
        tls = _tls(server, dane_state(server) == "valid")
        outcomes = {profile.name: evaluate(profile, tls) for profile in all_profiles()}
        side_by_side = {
            name: {"deviations": outcome.deviations, "not_tested": outcome.not_tested}
            for name, outcome in outcomes.items()
        }
        for name in binding:
            outcome = outcomes[name]
            if not outcome.deviations:
                continue
            rules_de = ", ".join(RULES[rule].de for rule in outcome.deviations)
            rules_en = ", ".join(RULES[rule].en for rule in outcome.deviations)
            title = outcome.profile.title
            yield fail(
                f"{server['host']} {name}",
                f"{server['host']}:25 weicht vom Profil {title.de} ab: {rules_de}.",
                f"{server['host']}:25 deviates from the profile {title.en}: {rules_en}.",
                {"host": server["host"], "profile": name, "profiles": side_by_side},
            )


@check(
    id="security.mail-certificate",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="smtp-tls",
    references=References(standards=("RFC 7672 §3.1", "RFC 8461 §4.2", "RFC 6125")),
    doc=CheckDoc(
        title=Text("Zertifikat des Mailservers ungültig", "Mail server certificate invalid"),
        what=Text(
            "Das Zertifikat, das ein MX nach STARTTLS zeigt, ist abgelaufen, passt nicht zum MX-Namen "
            "oder führt zu keiner vertrauenswürdigen Zertifizierungsstelle. Validiert DANE (TLSA unter "
            "DNSSEC passt), sind Vertrauen und Name nur informativ (RFC 7672); ein Ablauf bleibt ein "
            "Befund, außer bei DANE-EE.",
            "The certificate an MX presents after STARTTLS has expired, does not match the MX name, or "
            "chains to no trusted certificate authority. Where DANE validates (TLSA under DNSSEC "
            "matches), trust and name are informational (RFC 7672); expiry stays a finding except with "
            "DANE-EE.",
        ),
        why=Text(
            "Sendende Server mit MTA-STS lehnen ungültige Zertifikate ab (RFC 8461 §4.2); ohne gültiges "
            "Zertifikat lässt sich ein gefälschter Mailserver nicht erkennen.",
            "Senders using MTA-STS refuse invalid certificates (RFC 8461 §4.2); without a valid "
            "certificate a forged mail server cannot be told apart.",
        ),
        how_to_fix=Text(
            "Ein öffentlich vertrauenswürdiges Zertifikat für den MX-Namen einsetzen und rechtzeitig "
            "erneuern, oder DANE mit TLSA 3 1 1 veröffentlichen.",
            "Use a publicly trusted certificate for the MX name and renew it in time, or publish DANE "
            "with TLSA 3 1 1.",
        ),
        example="mx.stadt-beispiel.de:25: certificate for other.example, not mx.stadt-beispiel.de",
    ),
)
def mail_certificate(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(SmtpTlsEvidence)
    if evidence is None:
        return
    for server in _handshaken(evidence):
        host, tls = server["host"], server["tls"]
        certificate = tls.get("certificate")
        if certificate is None:
            continue
        dane = dane_state(server) == "valid"
        dane_ee = dane and any(record["usage"] == 3 for record in server["tlsa"]["matching"])
        facts = {"host": host, "certificate": certificate, "trust": tls.get("trust"), "dane_valid": dane}
        if not dane_ee and _date(certificate["not_after"]) < _date(tls["probed_at"]):
            yield fail(
                f"{host} expired",
                f"Das Zertifikat von {host}:25 ist am {certificate['not_after'][:10]} abgelaufen.",
                f"The certificate of {host}:25 expired on {certificate['not_after'][:10]}.",
                facts,
                Severity.SERIOUS,
            )
        if dane:
            continue  # RFC 7672 §3.1: trust and name are the TLSA records' business
        if not hostname_matches(host, certificate):
            names = ", ".join(certificate.get("dns_names") or []) or certificate["subject"]
            yield fail(
                f"{host} name",
                f"Das Zertifikat von {host}:25 gilt nicht für diesen Namen ({names}).",
                f"The certificate of {host}:25 is not valid for that name ({names}).",
                facts,
            )
        if (tls.get("trust") or {}).get("trusted") is False:
            yield fail(
                f"{host} untrusted",
                f"Das Zertifikat von {host}:25 führt zu keiner vertrauenswürdigen Zertifizierungsstelle.",
                f"The certificate of {host}:25 chains to no trusted certificate authority.",
                facts,
            )


@check(
    id="security.mail-dane",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="smtp-tls",
    references=References(standards=("RFC 7672", "RFC 6698", "RFC 7671", TR_03108)),
    doc=CheckDoc(
        title=Text(
            "DANE für den Mailserver fehlt oder passt nicht", "DANE for the mail server missing or wrong"
        ),
        what=Text(
            "TLSA-Einträge unter _25._tcp.<mx>: nur DANE-TA(2) und DANE-EE(3) zählen für SMTP, nur unter "
            "gültigem DNSSEC, und sie müssen zur gezeigten Zertifikatskette passen (Selektor, "
            "Matching-Typ). Befund: kein TLSA (informativ), TLSA ohne DNSSEC oder nur mit Usage 0/1 "
            "(unwirksam), oder kein Eintrag passt oder ihre Signatur ist ungültig (schwer: DANE-Sender "
            "stellen dann nicht zu). Das "
            "Wechselschema (mehrere Einträge) steht im Nachweis.",
            "TLSA records at _25._tcp.<mx>: only DANE-TA(2) and DANE-EE(3) count for SMTP, only under "
            "valid DNSSEC, and they must match the presented certificate chain (selector, matching "
            "type). Finding: no TLSA (informational), TLSA without DNSSEC or with usages 0/1 only "
            "(no effect), or no record matches or their signature is invalid (serious: DANE senders then "
            "do not deliver). The "
            "rollover scheme (several records) is in the evidence.",
        ),
        why=Text(
            "DANE schützt die Zustellung an die Behörde gegen unterdrücktes STARTTLS und gefälschte "
            "Zertifikate; BSI TR-03108 verlangt DANE. Ein nicht passender Eintrag blockiert Mail.",
            "DANE protects delivery to the authority against stripped STARTTLS and forged "
            "certificates; BSI TR-03108 requires DANE. A record that does not match blocks mail.",
        ),
        how_to_fix=Text(
            "Die Zone mit DNSSEC signieren und '_25._tcp.<mx> TLSA 3 1 1 <SHA-256 des Schlüssels>' "
            "veröffentlichen; vor einem Schlüsselwechsel den neuen Eintrag zusätzlich setzen.",
            "Sign the zone with DNSSEC and publish '_25._tcp.<mx> TLSA 3 1 1 <SHA-256 of the key>'; "
            "before a key change publish the next record as well.",
        ),
        example="_25._tcp.mx.stadt-beispiel.de TLSA 3 1 1 …: no record matches the presented chain",
    ),
)
def mail_dane(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(SmtpTlsEvidence)
    if evidence is None:
        return
    for server in evidence.tested:  # an MX not reached is not judged, not even its DNS
        host, tlsa = server["host"], server.get("tlsa") or {}
        state = dane_state(server)
        if state == "absent":
            yield fail(
                f"{host} missing",
                f"Für {host} gibt es keinen TLSA-Eintrag (_25._tcp.{host}).",
                f"{host} has no TLSA record (_25._tcp.{host}).",
                tlsa,
                Severity.INFO,
            )
        elif state == "unsigned":
            yield fail(
                f"{host} unsigned",
                f"Die TLSA-Einträge für {host} sind nicht durch DNSSEC gesichert "
                f"({tlsa['dnssec']}): unwirksam.",
                f"The TLSA records of {host} are not secured by DNSSEC ({tlsa['dnssec']}): no effect.",
                tlsa,
                Severity.MINOR,
            )
        elif state == "bogus":
            problem = tlsa.get("dnssec_problem") or "DNSSEC bogus"
            yield fail(
                f"{host} bogus",
                f"Die TLSA-Einträge für {host} sind DNSSEC-ungültig ({problem}): "
                "DANE-Sender stellen nicht zu.",
                f"The TLSA records of {host} fail DNSSEC validation ({problem}): "
                "DANE senders do not deliver.",
                tlsa,
                Severity.SERIOUS,
            )
        elif state == "unusable":
            yield fail(
                f"{host} unusable",
                f"Die TLSA-Einträge für {host} nutzen nur Usage 0/1, die für SMTP nicht zählen (RFC 7672).",
                f"The TLSA records of {host} use usages 0/1 only, which do not count for SMTP (RFC 7672).",
                tlsa,
                Severity.MINOR,
            )
        elif state == "mismatch":
            yield fail(
                f"{host} mismatch",
                f"Kein TLSA-Eintrag für {host} passt zur gezeigten Zertifikatskette: "
                "DANE-Sender stellen nicht zu.",
                f"No TLSA record of {host} matches the presented chain: DANE senders do not deliver.",
                tlsa,
                Severity.SERIOUS,
            )


def tr_03108_view(evidence: SmtpTlsEvidence) -> dict[str, str]:
    """met | not_met | not_tested for each mandatory TR-03108 item (DNSSEC, DANE, STARTTLS, crypto)."""
    states = [state["status"] for state in evidence.dnssec.values()]
    view = {
        "dnssec": _all(
            [
                True if status == "secure" else False if status in ("insecure", "bogus") else None
                for status in states
            ]
        )
    }
    tested = evidence.tested
    view["starttls"] = _all([bool(server["starttls"] and server["handshake"]) for server in tested])
    dane = [dane_state(server) for server in tested]
    view["dane"] = _all(
        [True if state == "valid" else None if state == "not_tested" else False for state in dane]
    )
    bsi = next(profile for profile in all_profiles() if profile.name == BSI_PROFILE)
    crypto: list[bool | None] = []
    for server in _handshaken(evidence):
        outcome = evaluate(bsi, _tls(server, dane_state(server) == "valid"))
        crypto.append(False if outcome.deviations else None if outcome.not_tested else True)
    if any(not server["handshake"] for server in tested):
        crypto.append(False)
    view["tr_03116_4"] = _all(crypto)
    return view


def _all(values: list[bool | None]) -> str:
    if not values:
        return "not_tested"
    if any(value is False for value in values):
        return "not_met"
    return "not_tested" if any(value is None for value in values) else "met"


@check(
    id="security.mail-tr-03108",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MINOR,
    probe="smtp-tls",
    references=References(standards=(TR_03108, "BSI TR-03116-4")),
    doc=CheckDoc(
        title=Text("Pflichtteile der BSI TR-03108 nicht erfüllt", "Mandatory parts of BSI TR-03108 not met"),
        what=Text(
            "Eine Sicht auf die Pflichtteile der BSI TR-03108 'Sicherer E-Mail-Transport', soweit sie "
            "von außen prüfbar sind: DNSSEC der Mail-Domain und der MX-Zonen, DANE für jeden MX, "
            "STARTTLS auf jedem MX und Kryptographie nach TR-03116-4. Jeder Teil ist erfüllt, nicht "
            "erfüllt oder nicht getestet (Port 25 gesperrt, DNS ohne Antwort). MTA-STS ist kein Teil der "
            "TR (sie ist älter als RFC 8461).",
            "A view of the mandatory parts of BSI TR-03108 'Secure e-mail transport' that can be tested "
            "from outside: DNSSEC of the mail domain and the MX zones, DANE for every MX, STARTTLS on "
            "every MX and cryptography per TR-03116-4. Each part is met, not met or not tested (port 25 "
            "blocked, DNS without answer). MTA-STS is no part of the TR (it predates RFC 8461).",
        ),
        why=Text(
            "TR-03108 beschreibt sicheren Mailtransport für Behörden und ihre Dienstleister; sie ist "
            "Grundlage des BSI-Testats für E-Mail-Diensteanbieter.",
            "TR-03108 describes secure mail transport for authorities and their providers; it underlies "
            "the BSI certification of e-mail service providers.",
        ),
        how_to_fix=Text(
            "Die einzelnen Befunde zu DNSSEC, DANE, STARTTLS und TLS-Profil beheben.",
            "Fix the individual findings on DNSSEC, DANE, STARTTLS and the TLS profile.",
        ),
        example="dnssec: met, dane: not_met, starttls: met, tr_03116_4: not_met",
    ),
)
def mail_tr_03108(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(SmtpTlsEvidence)
    if evidence is None or not evidence.tested:
        return
    view = tr_03108_view(evidence)
    missing = [part for part, state in view.items() if state == "not_met"]
    if missing:
        yield fail(
            "not-met",
            f"{evidence.domain}: nicht erfüllte Pflichtteile der BSI TR-03108: {', '.join(missing)}.",
            f"{evidence.domain}: mandatory parts of BSI TR-03108 not met: {', '.join(missing)}.",
            {"view": view},
        )


def _date(text: str) -> datetime:
    return datetime.fromisoformat(text)
