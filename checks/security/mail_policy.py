"""security.mail-mta-sts and security.mail-tls-rpt: how a domain asks senders to insist on TLS
(MTA-STS, RFC 8461) and where they report failures (TLS-RPT, RFC 8460), only for domains that
receive mail (a null MX or no MX at all: not applicable); security.mail-dnssec: DNSSEC of the
mail domain and of its MX zones, judged from DNS alone (port 25 need not be reachable)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.security.mail_findings import fail
from checks.security.mail_transport import TR_03108
from scanner.evidence import FailureClass, HostProbeResult
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

ONE_WEEK = 7 * 86400
NOT_JUDGED = {FailureClass.TIMEOUT.value, FailureClass.NETWORK_ERROR.value}  # the fetch was not decided


@check(
    id="security.mail-mta-sts",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MINOR,
    probe="mail-policy",
    references=References(law=("DSGVO Art. 32",), standards=("RFC 8461",)),
    doc=CheckDoc(
        title=Text("MTA-STS fehlt oder ist fehlerhaft", "MTA-STS missing or broken"),
        what=Text(
            "Die Domain empfängt Mail, hat aber keinen '_mta-sts'-Eintrag (v=STSv1; id=), oder die "
            "Richtlinie unter https://mta-sts.<domain>/.well-known/mta-sts.txt ist nicht über gültiges "
            "HTTPS abrufbar oder ungültig, steht nur auf 'testing' oder 'none', gilt kürzer als eine "
            "Woche (max_age), oder ihre mx-Muster decken nicht jeden MX ab.",
            "The domain receives mail but has no '_mta-sts' record (v=STSv1; id=), or the policy at "
            "https://mta-sts.<domain>/.well-known/mta-sts.txt cannot be fetched over valid HTTPS or is "
            "invalid, is only 'testing' or 'none', lasts less than a week (max_age), or its mx "
            "patterns do not cover every MX.",
        ),
        why=Text(
            "Ohne MTA-STS (oder DANE) liefern sendende Server auch unverschlüsselt oder an gefälschte "
            "Server aus, wenn ein Angreifer STARTTLS unterdrückt. Ein MX außerhalb der Muster wird im "
            "Modus 'enforce' abgelehnt: Mail geht verloren.",
            "Without MTA-STS (or DANE) sending servers deliver in clear text or to forged servers when "
            "an attacker strips STARTTLS. An MX outside the patterns is refused in 'enforce' mode: mail "
            "is lost.",
        ),
        how_to_fix=Text(
            "TXT '_mta-sts.<domain>' mit 'v=STSv1; id=<neu bei jeder Änderung>' veröffentlichen, die "
            "Richtlinie (version: STSv1, mode: enforce, mx: <jeder MX>, max_age: 1209600 oder mehr) als "
            "text/plain über HTTPS mit gültigem Zertifikat für mta-sts.<domain> ausliefern.",
            "Publish TXT '_mta-sts.<domain>' with 'v=STSv1; id=<new on every change>', serve the policy "
            "(version: STSv1, mode: enforce, mx: <every MX>, max_age: 1209600 or more) as text/plain "
            "over HTTPS with a valid certificate for mta-sts.<domain>.",
        ),
        example="mode: testing\nmx: mx1.stadt-beispiel.de\nmax_age: 86400",
    ),
)
def mail_mta_sts(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(MailPolicyEvidence)
    if evidence is None or evidence.mta_sts is None or not evidence.receives_mail:
        return
    sts, domain = evidence.mta_sts, evidence.domain
    if not sts["records"]:
        yield fail("missing", f"{domain} hat kein MTA-STS.", f"{domain} has no MTA-STS.", sts)
        return
    if sts["record_problems"]:
        problems = "; ".join(sts["record_problems"])
        yield fail(
            "invalid-record",
            f"Der MTA-STS-Eintrag von {domain} ist ungültig: {problems}.",
            f"The MTA-STS record of {domain} is invalid: {problems}.",
            sts,
            Severity.MODERATE,
        )
        return
    fetch = sts["fetch"] or {}
    if fetch.get("failure_class") in NOT_JUDGED:
        return  # the policy host did not answer in time: not tested, the evidence says why
    if not fetch.get("ok"):
        why = fetch.get("detail") or "; ".join(fetch.get("problems", []))
        yield fail(
            "policy-unreachable",
            f"Die MTA-STS-Richtlinie von {domain} ist nicht über gültiges HTTPS abrufbar ({why}).",
            f"The MTA-STS policy of {domain} cannot be fetched over valid HTTPS ({why}).",
            sts,
            Severity.MODERATE,
        )
        return
    policy = sts["policy"] or {}
    if policy.get("problems"):
        problems = "; ".join(policy["problems"])
        yield fail(
            "invalid-policy",
            f"Die MTA-STS-Richtlinie von {domain} ist ungültig: {problems}.",
            f"The MTA-STS policy of {domain} is invalid: {problems}.",
            sts,
            Severity.MODERATE,
        )
        return
    mode = policy["mode"]
    if mode != "enforce":
        yield fail(
            f"mode-{mode}",
            f"Die MTA-STS-Richtlinie von {domain} steht auf '{mode}': Sender erzwingen TLS nicht.",
            f"The MTA-STS policy of {domain} is in '{mode}' mode: senders do not enforce TLS.",
            sts,
        )
    if policy["max_age"] is not None and policy["max_age"] < ONE_WEEK:
        yield fail(
            "short-max-age",
            f"Die MTA-STS-Richtlinie von {domain} gilt nur {policy['max_age']} s "
            "(empfohlen: mindestens eine Woche).",
            f"The MTA-STS policy of {domain} lasts only {policy['max_age']} s (recommended: a week or more).",
            sts,
        )
    if sts["uncovered"] and mode != "none":
        hosts = ", ".join(sts["uncovered"])
        yield fail(
            "mx-not-covered",
            f"Die MTA-STS-Richtlinie von {domain} deckt diese MX nicht ab: {hosts}.",
            f"The MTA-STS policy of {domain} does not cover these MX: {hosts}.",
            sts,
            Severity.SERIOUS if mode == "enforce" else Severity.MODERATE,
        )


@check(
    id="security.mail-tls-rpt",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MINOR,
    probe="mail-policy",
    references=References(standards=("RFC 8460",)),
    doc=CheckDoc(
        title=Text("Keine TLS-Berichte (TLS-RPT)", "No TLS reports (TLS-RPT)"),
        what=Text(
            "Die Domain empfängt Mail, hat aber keinen gültigen '_smtp._tls'-Eintrag "
            "(v=TLSRPTv1; rua=mailto:… oder https:…).",
            "The domain receives mail but has no valid '_smtp._tls' record "
            "(v=TLSRPTv1; rua=mailto:… or https:…).",
        ),
        why=Text(
            "Mit TLS-RPT melden sendende Server, wenn die Zustellung per TLS scheitert (abgelaufenes "
            "Zertifikat, falsches DANE oder MTA-STS); ohne sie bleibt das unbemerkt.",
            "With TLS-RPT sending servers report when delivery over TLS fails (an expired certificate, "
            "wrong DANE or MTA-STS); without it that goes unnoticed.",
        ),
        how_to_fix=Text(
            "TXT '_smtp._tls.<domain>' mit 'v=TLSRPTv1; rua=mailto:tls-berichte@<domain>' veröffentlichen.",
            "Publish TXT '_smtp._tls.<domain>' with 'v=TLSRPTv1; rua=mailto:tls-reports@<domain>'.",
        ),
        example="_smtp._tls.stadt-beispiel.de: no TXT record",
    ),
)
def mail_tls_rpt(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(MailPolicyEvidence)
    if evidence is None or evidence.tls_rpt is None or not evidence.receives_mail:
        return
    record, domain = evidence.tls_rpt, evidence.domain
    if not record["records"]:
        yield fail("missing", f"{domain} hat kein TLS-RPT.", f"{domain} has no TLS-RPT.", record)
    elif record["problems"]:
        problems = "; ".join(record["problems"])
        yield fail(
            "invalid",
            f"Der TLS-RPT-Eintrag von {domain} ist ungültig: {problems}.",
            f"The TLS-RPT record of {domain} is invalid: {problems}.",
            record,
        )


@check(
    id="security.mail-dnssec",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="mail-policy",
    references=References(standards=("RFC 4033", "RFC 7672 §2.2", TR_03108, "internet.nl (MailDnssec)")),
    doc=CheckDoc(
        title=Text("Mail-Domain oder MX-Zone ohne DNSSEC", "Mail domain or MX zone without DNSSEC"),
        what=Text(
            "Die Mail-Domain oder die Zone eines ihrer MX ist nicht mit DNSSEC signiert (insecure) oder "
            "ihre Signaturen sind ungültig (bogus, schwer). Unentschiedene Fälle sind nicht getestet; "
            "eine Domain der gescannten Hosts beurteilt schon security.dnssec.",
            "The mail domain or the zone of one of its MX is not signed with DNSSEC (insecure) or its "
            "signatures do not validate (bogus, serious). Undecided cases are not tested; a domain of "
            "the scanned hosts is judged by security.dnssec already.",
        ),
        why=Text(
            "Ohne DNSSEC lassen sich MX-Einträge fälschen und Mails umleiten, und DANE wirkt nicht; "
            "BSI TR-03108 verlangt DNSSEC für Mail-Domain und MX.",
            "Without DNSSEC MX records can be forged and mail diverted, and DANE has no effect; BSI "
            "TR-03108 requires DNSSEC for the mail domain and the MX.",
        ),
        how_to_fix=Text(
            "Die Zonen beim DNS-Anbieter signieren und den DS über den Registrar veröffentlichen.",
            "Have the zones signed by the DNS provider and publish the DS through the registrar.",
        ),
        example="mx.provider.example: insecure",
    ),
)
def mail_dnssec(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(MailPolicyEvidence)
    if evidence is None:
        return
    for name, state in evidence.dnssec.items():
        status = state["status"]
        if status not in ("insecure", "bogus"):
            continue
        if name == evidence.domain and context.first_party.contains_host(name):
            continue  # a domain of the scanned hosts: security.dnssec judges it already
        role_de, role_en = (
            ("Die Mail-Domain", "The mail domain") if name == evidence.domain else ("Der MX", "The MX")
        )
        yield fail(
            f"{name} {status}",
            f"{role_de} {name} ist bei DNSSEC '{status}' ({state['reason']}).",
            f"{role_en} {name} is DNSSEC '{status}' ({state['reason']}).",
            {"name": name, **state},
            Severity.SERIOUS if status == "bogus" else None,
        )
