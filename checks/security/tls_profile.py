"""security.tls.profile: deviations from the TLS profile(s) that bind this target.

Every profile is judged at scan time and stored as a ``tls-profile-outcome`` record, so the
report's side-by-side table shows what the scan's profile definitions said; only the binding
profiles' deviations are findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from checks.security.tls_profiles import RULES, all_profiles, binding_profiles, evaluate
from scanner.evidence import HostProbeResult
from scanner.evidence.tls import TlsEvidence
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    Record,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
)

TLS_PROFILE_OUTCOME = "tls-profile-outcome"  # the record kind, stored in the tls_profile_outcome table


@check(
    id="security.tls.profile",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="tls",
    references=References(
        law=("DSGVO Art. 32", "BSIG § 8 (Mindeststandard TLS, Bund)"),
        standards=("Mozilla Server Side TLS 5.7", "BSI TR-02102-2", "BSI TR-03116-4"),
    ),
    doc=CheckDoc(
        title=Text("Abweichungen vom TLS-Profil", "Deviations from the TLS profile"),
        what=Text(
            "Die TLS-Konfiguration bietet mehr an, als das Profil erlaubt (Versionen, Suites, Gruppen, "
            "Schlüssel, Zertifikat, verbotene Funktionen), oder nicht, was es verlangt. Maßgeblich ist "
            "das Profil des Ziels (tls_profile, Standard mozilla-intermediate), für Bundesbehörden "
            "zusätzlich BSI TR-02102-2/TR-03116-4; die übrigen Profile zeigt der Bericht zum Vergleich.",
            "The TLS configuration offers more than the profile allows (versions, suites, groups, keys, "
            "certificate, forbidden features), or not what it requires. The target's profile counts "
            "(tls_profile, default mozilla-intermediate), for federal bodies BSI TR-02102-2/TR-03116-4 "
            "as well; the report shows the other profiles for comparison.",
        ),
        why=Text(
            "Die Profile fassen den Stand der Technik zusammen (DSGVO Art. 32). Für die Bundesverwaltung "
            "ist der Mindeststandard TLS des BSI nach § 8 BSIG verbindlich.",
            "The profiles summarise the state of the art (GDPR Art. 32). For the federal administration "
            "the BSI minimum standard for TLS is binding under § 8 BSIG.",
        ),
        how_to_fix=Text(
            "Die Serverkonfiguration nach dem Profil ausrichten, z. B. mit Mozillas "
            "Konfigurationsgenerator (Intermediate) oder nach BSI TR-02102-2 Tabelle 1.",
            "Align the server configuration with the profile, e.g. with Mozilla's configuration "
            "generator (intermediate) or BSI TR-02102-2 table 1.",
        ),
        example="mozilla-intermediate: ciphers TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    ),
)
def tls_profile(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding | Record]:
    evidence = probe.evidence(TlsEvidence)
    if evidence is None:
        return
    outcomes = {profile.name: evaluate(profile, evidence) for profile in all_profiles()}
    for outcome in outcomes.values():  # every profile, for the report's side-by-side table
        yield Record(
            TLS_PROFILE_OUTCOME,
            {
                "profile": outcome.profile.name,
                "profile_version": outcome.profile.version,
                "deviations": outcome.deviations,
                "not_tested": outcome.not_tested,
            },
        )
    for name in binding_profiles(context.tls_profile, context.authority_level):
        outcome = outcomes[name]
        if not outcome.deviations:
            continue
        rules_de = ", ".join(RULES[rule].de for rule in outcome.deviations)
        rules_en = ", ".join(RULES[rule].en for rule in outcome.deviations)
        title = outcome.profile.title
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"{probe.host}:{probe.port} weicht vom Profil {title.de} ab: {rules_de}.",
                f"{probe.host}:{probe.port} deviates from the profile {title.en}: {rules_en}.",
            ),
            subject=name,
            evidence={
                "profile": name,
                "profile_version": outcome.profile.version,
                "deviations": outcome.deviations,
                "not_tested": outcome.not_tested,
            },
        )
