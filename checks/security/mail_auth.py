"""security.mail-spf, security.mail-dmarc and security.mail-dkim: who may send mail in the
domain's name, and what receivers do with mail that fails (the ``mail-policy`` probe's DNS facts).

A part whose DNS did not answer is in the evidence's ``not_tested`` and is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from checks.security.mail_findings import fail
from scanner.evidence import HostProbeResult
from scanner.evidence.mail import MailPolicyEvidence
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
from scanner.mail.spf import LOOKUP_LIMIT


@check(
    id="security.mail-spf",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="mail-policy",
    references=References(
        law=("DSGVO Art. 32",), standards=("RFC 7208", "BSI TR-03182 (E-Mail-Authentifizierung)")
    ),
    doc=CheckDoc(
        title=Text("SPF fehlt, ist mehrdeutig oder zu offen", "SPF missing, ambiguous or too open"),
        what=Text(
            "Die Domain hat keinen oder mehr als einen 'v=spf1'-Eintrag, braucht mehr als 10 "
            "DNS-Abfragen (include, a, mx, ptr, exists, redirect, rekursiv gezählt), ein include zeigt "
            "ins Leere, oder der Eintrag endet nicht mit '-all' oder '~all' ('+all', '?all' oder kein all).",
            "The domain has no or more than one 'v=spf1' record, needs more than 10 DNS lookups "
            "(include, a, mx, ptr, exists, redirect, counted recursively), an include points nowhere, "
            "or the record does not end in '-all' or '~all' ('+all', '?all' or no all).",
        ),
        why=Text(
            "SPF sagt Empfängern, welche Server im Namen der Behörde senden dürfen; ohne gültiges SPF "
            "lassen sich Phishing-Mails mit ihrer Absenderadresse schwerer erkennen. Mehrere Einträge "
            "oder zu viele Abfragen machen SPF ungültig (permerror, RFC 7208 §4.5, §4.6.4).",
            "SPF tells receivers which servers may send in the authority's name; without a valid SPF "
            "record phishing with its sender address is harder to spot. Several records or too many "
            "lookups make SPF invalid (permerror, RFC 7208 §4.5, §4.6.4).",
        ),
        how_to_fix=Text(
            "Einen einzigen TXT-Eintrag 'v=spf1 ... -all' mit den tatsächlich sendenden Servern "
            "veröffentlichen; includes zusammenfassen, bis höchstens 10 Abfragen nötig sind. Domains, "
            "die nie senden: 'v=spf1 -all'.",
            "Publish one TXT record 'v=spf1 ... -all' listing the servers that actually send; merge "
            "includes until at most 10 lookups are needed. Domains that never send: 'v=spf1 -all'.",
        ),
        example='stadt-beispiel.de. TXT "v=spf1 mx include:_spf.provider.example ?all"',
    ),
)
def mail_spf(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(MailPolicyEvidence)
    if evidence is None or evidence.spf is None:
        return
    spf, domain = evidence.spf, evidence.domain
    records = spf["records"]
    if not records:
        yield fail("missing", f"{domain} hat keinen SPF-Eintrag.", f"{domain} has no SPF record.", spf)
        return
    if len(records) > 1:
        yield fail(
            "multiple",
            f"{domain} hat {len(records)} SPF-Einträge; SPF ist damit ungültig (permerror).",
            f"{domain} has {len(records)} SPF records, which makes SPF invalid (permerror).",
            spf,
            Severity.SERIOUS,
        )
        return
    if spf["lookups"] > LOOKUP_LIMIT:
        yield fail(
            "lookup-limit",
            f"Das SPF von {domain} braucht {spf['lookups']} DNS-Abfragen "
            f"(höchstens {LOOKUP_LIMIT}): permerror.",
            f"The SPF of {domain} needs {spf['lookups']} DNS lookups (at most {LOOKUP_LIMIT}): permerror.",
            spf,
        )
    if spf["problems"]:
        problems = "; ".join(spf["problems"])
        yield fail(
            "include-error",
            f"Das SPF von {domain} verweist auf Einträge, die fehlen oder ungültig sind: {problems}.",
            f"The SPF of {domain} refers to records that are missing or invalid: {problems}.",
            spf,
        )
    qualifier = spf["all"]
    if qualifier == "+":
        yield fail(
            "pass-all",
            f"Das SPF von {domain} endet mit '+all': jeder Server darf im Namen der Domain senden.",
            f"The SPF of {domain} ends in '+all': every server may send in the domain's name.",
            spf,
            Severity.SERIOUS,
        )
    elif qualifier not in ("-", "~"):
        ending = "'?all'" if qualifier == "?" else "kein 'all'"
        ending_en = "'?all'" if qualifier == "?" else "no 'all'"
        yield fail(
            "neutral",
            f"Das SPF von {domain} hat {ending}: fremde Server bleiben neutral statt abgelehnt.",
            f"The SPF of {domain} has {ending_en}: other servers stay neutral instead of failing.",
            spf,
        )


@check(
    id="security.mail-dmarc",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="mail-policy",
    references=References(
        law=("DSGVO Art. 32",),
        standards=("RFC 7489", "draft-ietf-dmarc-dmarcbis (t=)", "BSI TR-03182 (E-Mail-Authentifizierung)"),
    ),
    doc=CheckDoc(
        title=Text("DMARC fehlt oder schützt nicht", "DMARC missing or not protecting"),
        what=Text(
            "Unter _dmarc.<domain> (oder bei der Organisationsdomain) steht kein gültiger DMARC-Eintrag, "
            "die Richtlinie ist p=none (für Subdomains sp=none), sie gilt nur im Testmodus (t=y oder "
            "pct unter 100), oder eine fremde Berichtsadresse (rua) hat dem Empfang nicht zugestimmt "
            "(<domain>._report._dmarc.<ziel>, RFC 7489 §7.1).",
            "There is no valid DMARC record at _dmarc.<domain> (or at the organisational domain), the "
            "policy is p=none (sp=none for subdomains), it applies in test mode only (t=y or pct below "
            "100), or an external report address (rua) has not agreed to receive reports "
            "(<domain>._report._dmarc.<destination>, RFC 7489 §7.1).",
        ),
        why=Text(
            "Erst DMARC mit p=quarantine oder p=reject lässt Empfänger gefälschte Mails im Namen der "
            "Behörde aussortieren; p=none beobachtet nur. Ohne Zustimmung der fremden Adresse verwerfen "
            "Empfänger die Berichte.",
            "Only DMARC with p=quarantine or p=reject has receivers drop forged mail in the authority's "
            "name; p=none only watches. Without the external destination's consent receivers drop the "
            "reports.",
        ),
        how_to_fix=Text(
            "'v=DMARC1; p=reject; rua=mailto:dmarc@<domain>' veröffentlichen (über p=none und "
            "p=quarantine hinführen, sobald alle Absender SPF/DKIM-konform sind); für fremde "
            "Berichtsadressen muss deren Betreiber den _report._dmarc-Eintrag setzen.",
            "Publish 'v=DMARC1; p=reject; rua=mailto:dmarc@<domain>' (moving through p=none and "
            "p=quarantine once every sender is aligned with SPF/DKIM); for external report addresses "
            "their operator must publish the _report._dmarc record.",
        ),
        example='_dmarc.stadt-beispiel.de. TXT "v=DMARC1; p=none"',
    ),
)
def mail_dmarc(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(MailPolicyEvidence)
    if evidence is None or evidence.dmarc is None:
        return
    dmarc, domain = evidence.dmarc, evidence.domain
    if not dmarc["records"]:
        yield fail("missing", f"{domain} hat keinen DMARC-Eintrag.", f"{domain} has no DMARC record.", dmarc)
        return
    if dmarc["problems"]:
        problems = "; ".join(dmarc["problems"])
        yield fail(
            "invalid",
            f"Der DMARC-Eintrag von {domain} ist ungültig: {problems}.",
            f"The DMARC record of {domain} is invalid: {problems}.",
            dmarc,
        )
        return
    policy = (dmarc["policy"] or "").lower()
    if policy == "none":
        yield fail(
            "policy-none",
            f"Die DMARC-Richtlinie für {domain} ist 'none': gefälschte Mails werden nur beobachtet.",
            f"The DMARC policy for {domain} is 'none': forged mail is only watched.",
            dmarc,
        )
    elif dmarc["testing"]:
        yield fail(
            "testing",
            f"Die DMARC-Richtlinie für {domain} gilt nur im Testmodus (t=y oder pct unter 100).",
            f"The DMARC policy for {domain} applies in test mode only (t=y or pct below 100).",
            dmarc,
            Severity.MINOR,
        )
    own = dmarc["found_at"] == f"_dmarc.{domain}"
    if own and policy != "none" and dmarc["tags"].get("sp", "").lower() == "none":
        yield fail(
            "subdomain-policy-none",
            f"Für Subdomains von {domain} gilt sp=none: sie lassen sich ungeschützt fälschen.",
            f"Subdomains of {domain} have sp=none: they can be forged unprotected.",
            dmarc,
            Severity.MINOR,
        )
    for destination, authorised in sorted(dmarc["external_rua"].items()):
        if authorised is False:
            yield fail(
                f"rua-unauthorised {destination}",
                f"Die DMARC-Berichtsadresse bei {destination} hat dem Empfang für {domain} nicht "
                f"zugestimmt ({domain}._report._dmarc.{destination} fehlt).",
                f"The DMARC report destination at {destination} has not agreed to receive reports for "
                f"{domain} ({domain}._report._dmarc.{destination} is missing).",
                dmarc,
                Severity.MINOR,
            )


def non_sending(evidence: MailPolicyEvidence) -> bool:
    """'v=spf1 -all' with no mechanism and DMARC p=reject: a domain that says it never sends."""
    spf, dmarc = evidence.spf or {}, evidence.dmarc or {}
    records = spf.get("records") or []
    strict_spf = len(records) == 1 and records[0].split() == ["v=spf1", "-all"]
    return strict_spf and (dmarc.get("policy") or "").lower() == "reject"


@check(
    id="security.mail-dkim",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MINOR,
    probe="mail-policy",
    references=References(standards=("RFC 6376", "RFC 8020", "RFC 8553", "internet.nl (DKIM)")),
    doc=CheckDoc(
        title=Text("Kein Hinweis auf DKIM-Schlüssel", "No sign of DKIM keys"),
        what=Text(
            "Eine Heuristik: DKIM-Selektoren lassen sich nicht auflisten, daher fragt govscan nur nach "
            "_domainkey.<domain>. NXDOMAIN heißt, darunter gibt es keinen Namen, also keinen "
            "DKIM-Schlüssel (RFC 8020); NOERROR heißt, es gibt darunter etwas, vermutlich Schlüssel. "
            "Domains, die laut SPF ('v=spf1 -all') und DMARC (p=reject) nie senden, werden übersprungen.",
            "A heuristic: DKIM selectors cannot be listed, so govscan only asks for "
            "_domainkey.<domain>. NXDOMAIN means no name exists below it, so no DKIM key (RFC 8020); "
            "NOERROR means something exists below it, most likely keys. Domains that say they never "
            "send (SPF 'v=spf1 -all' and DMARC p=reject) are skipped.",
        ),
        why=Text(
            "DKIM signiert ausgehende Mails, sodass Empfänger Fälschungen und Veränderungen erkennen; "
            "DMARC braucht SPF oder DKIM, und nur DKIM übersteht Weiterleitungen.",
            "DKIM signs outgoing mail so that receivers detect forgery and tampering; DMARC needs SPF "
            "or DKIM, and only DKIM survives forwarding.",
        ),
        how_to_fix=Text(
            "Ausgehende Mails mit DKIM signieren und den öffentlichen Schlüssel unter "
            "<selektor>._domainkey.<domain> veröffentlichen.",
            "Sign outgoing mail with DKIM and publish the public key at <selector>._domainkey.<domain>.",
        ),
        example="_domainkey.stadt-beispiel.de: NXDOMAIN",
    ),
)
def mail_dkim(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(MailPolicyEvidence)
    if evidence is None or evidence.dkim is None or non_sending(evidence):
        return
    if not evidence.dkim["exists"]:
        name = evidence.dkim["name"]
        yield fail(
            "missing",
            f"{name} existiert nicht (NXDOMAIN): kein Hinweis auf DKIM-Schlüssel (Heuristik).",
            f"{name} does not exist (NXDOMAIN): no sign of DKIM keys (a heuristic).",
            evidence.dkim,
        )
