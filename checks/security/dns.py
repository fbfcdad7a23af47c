"""security.dnssec and security.caa: the DNS of each registrable domain of the first-party hosts.

Both judge what the ``dnssec`` and ``caa`` probes found; a domain whose DNS did not answer, or
whose DNSSEC status could not be decided, is not tested (the probe's failure class), never judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from scanner.evidence import HostProbeResult
from scanner.evidence.dns import CaaEvidence, DnssecEvidence, DnssecStatus
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


@check(
    id="security.dnssec",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="dnssec",
    references=References(
        law=("DSGVO Art. 32",),
        standards=(
            "RFC 4033",
            "RFC 4035",
            "RFC 5155",
            "BSI TR-03108-1 (DNSSEC für Maildomänen)",
            "internet.nl",
        ),
    ),
    doc=CheckDoc(
        title=Text(
            de="Domain nicht mit DNSSEC signiert oder Signatur ungültig",
            en="Domain not signed with DNSSEC, or its signature invalid",
        ),
        what=Text(
            de="govscan prüft die Kette der DNSSEC-Signaturen selbst, von der Root-Zone (IANA-Schlüssel) "
            "über die Top-Level-Domain bis zur Domain: DNSKEY jeder Zone, DS in der Elternzone, RRSIG. "
            "Befund: die Kette endet nachweislich vor der Domain (nicht signiert), oder Signaturen "
            "passen nicht (falscher Schlüssel, veränderte Daten, abgelaufen: 'bogus', schwerer).",
            en="govscan validates the chain of DNSSEC signatures itself, from the root zone (IANA keys) "
            "through the top-level domain to the domain: each zone's DNSKEY, the DS in its parent, the "
            "RRSIGs. Finding: the chain provably ends above the domain (not signed), or signatures do "
            "not validate (wrong key, altered data, expired: 'bogus', worse).",
        ),
        why=Text(
            de="Ohne DNSSEC kann ein Angreifer im Netz Bürgerinnen und Bürger mit gefälschten DNS-Antworten "
            "auf falsche Server lenken; DANE für E-Mail setzt DNSSEC voraus (BSI TR-03108). Eine "
            "ungültige Signatur ist schlimmer: validierende Resolver liefern die Domain dann gar nicht "
            "mehr aus. RFC 4033-4035; DSGVO Art. 32.",
            en="Without DNSSEC an attacker on the network can send citizens to wrong servers with forged "
            "DNS answers; DANE for e-mail requires DNSSEC (BSI TR-03108). An invalid signature is worse: "
            "validating resolvers then stop resolving the domain at all. RFC 4033-4035; GDPR Art. 32.",
        ),
        how_to_fix=Text(
            de="Die Zone beim DNS-Anbieter signieren lassen und den DS-Eintrag über den Registrar in der "
            "Elternzone (z. B. bei der DENIC) hinterlegen; Signaturen automatisch erneuern und bei einem "
            "Schlüsselwechsel den DS rechtzeitig tauschen.",
            en="Have the DNS provider sign the zone and publish the DS record in the parent zone through "
            "the registrar (e.g. at DENIC); renew signatures automatically, and replace the DS in time "
            "when the key changes.",
        ),
        example="stadt-beispiel.de: insecure (stadt-beispiel.de. is delegated without DS)",
    ),
)
def dnssec(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(DnssecEvidence)
    if evidence is None:
        return
    status = evidence.dnssec_status
    details = {
        "status": status.value,
        "reason": evidence.reason,
        "zone": evidence.zone,
        "steps": list(evidence.steps),
    }
    if status is DnssecStatus.INSECURE:
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"Die Domain {evidence.domain} ist nicht mit DNSSEC signiert ({evidence.reason}).",
                f"The domain {evidence.domain} is not signed with DNSSEC ({evidence.reason}).",
            ),
            subject="insecure",
            evidence=details,
        )
    elif status is DnssecStatus.BOGUS:
        yield Finding(
            result=Result.FAIL,
            severity=Severity.SERIOUS,
            message=Text(
                f"Die DNSSEC-Signaturen der Domain {evidence.domain} sind ungültig ({evidence.reason}); "
                "validierende Resolver lösen sie nicht auf.",
                f"The DNSSEC signatures of the domain {evidence.domain} do not validate "
                f"({evidence.reason}); validating resolvers do not resolve it.",
            ),
            subject="bogus",
            evidence=details,
        )


@check(
    id="security.caa",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MINOR,
    probe="caa",
    references=References(standards=("RFC 8659", "CA/Browser Forum Baseline Requirements 3.2.2.8")),
    doc=CheckDoc(
        title=Text(
            de="Keine CAA-Einträge: jede Zertifizierungsstelle darf Zertifikate ausstellen",
            en="No CAA records: every certificate authority may issue certificates",
        ),
        what=Text(
            de="Für die Domain gibt es keinen CAA-Eintrag (RFC 8659; gesucht von der Domain aufwärts bis "
            "zur Top-Level-Domain), oder die Einträge enthalten keine 'issue'-Angabe. Die erlaubten "
            "Zertifizierungsstellen stehen sonst im Nachweis.",
            en="The domain has no CAA record (RFC 8659; searched from the domain up to the top-level "
            "domain), or its records have no 'issue' property. Otherwise the evidence lists the "
            "certificate authorities allowed.",
        ),
        why=Text(
            de="CAA legt fest, welche Zertifizierungsstellen für die Domain ausstellen dürfen; alle "
            "öffentlichen CAs müssen das prüfen (CA/B Forum Baseline Requirements 3.2.2.8). Ohne CAA "
            "kann jede der über hundert CAs getäuscht werden, ein Zertifikat für die Behörde auszustellen.",
            en="CAA says which certificate authorities may issue for the domain; every public CA must "
            "check it (CA/B Forum Baseline Requirements 3.2.2.8). Without CAA, any of more than a "
            "hundred CAs can be tricked into issuing a certificate for the authority.",
        ),
        how_to_fix=Text(
            de="CAA-Einträge für die tatsächlich genutzten CAs setzen, z. B. 'issue' für die CA der "
            "Zertifikate, 'issuewild \";\"' wenn keine Wildcard-Zertifikate gebraucht werden, und "
            "'iodef' für Meldungen.",
            en="Publish CAA records for the CAs actually used, e.g. 'issue' for the CA of the "
            "certificates, 'issuewild \";\"' when no wildcard certificates are needed, and 'iodef' "
            "for reports.",
        ),
        example='stadt-beispiel.de. CAA 0 issue "letsencrypt.org"',
    ),
)
def caa(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(CaaEvidence)
    if evidence is None:
        return
    if evidence.found_at is None:
        names = ", ".join(evidence.looked_at)
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"Für {evidence.domain} gibt es keine CAA-Einträge (gesucht: {names}).",
                f"{evidence.domain} has no CAA records (looked at: {names}).",
            ),
            subject="missing",
            evidence={"looked_at": list(evidence.looked_at)},
        )
        return
    if not any(record.get("tag") == "issue" for record in evidence.records):
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"Die CAA-Einträge für {evidence.domain} (bei {evidence.found_at}) enthalten keine "
                "'issue'-Angabe: sie beschränken die Ausstellung gewöhnlicher Zertifikate nicht.",
                f"The CAA records of {evidence.domain} (at {evidence.found_at}) have no 'issue' "
                "property: they do not restrict who issues ordinary certificates.",
            ),
            subject="no-issue",
            evidence={"found_at": evidence.found_at, "records": list(evidence.records)},
        )
