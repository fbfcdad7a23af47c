"""Site checks across scenarios and pages: a banner that gates nothing; recipients outside the EU/EEA."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from checks.privacy.classify import vendors_of_hosts
from checks.privacy.review_notes import NOTES
from checks.privacy.vendors import Vendor
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.consent import ConsentEvidence
from scanner.evidence.privacy import PrivacyEvidence
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    SiteEvidence,
    Text,
    check,
)

# Third countries with an EU adequacy decision (GDPR Art. 45), besides the US under the DPF.
ADEQUATE_COUNTRIES = frozenset(
    {"AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY"}
)
MAX_PAGES_IN_EVIDENCE = 20


def _hosts(capture: PageCapture) -> list[str]:
    evidence = capture.evidence(PrivacyEvidence)
    return list(evidence.hosts) if evidence else []


def third_party_vendors(capture: PageCapture, context: CheckContext) -> dict[str, Vendor | None]:
    """Vendor id (or host for unknown third parties) -> vendor, for one visit."""
    return {
        (vendor.id if vendor else host): vendor for host, vendor in vendors_of_hosts(_hosts(capture), context)
    }


@check(
    id="privacy.consent-gates-nothing",
    review=NOTES["privacy.consent-gates-nothing"],
    family=Family.PRIVACY,
    scope=Scope.SITE,
    severity=Severity.SERIOUS,
    references=References(law=("TDDDG §25 Abs. 1", "DSGVO Art. 7", "DSGVO Art. 5 Abs. 1 lit. a")),
    doc=CheckDoc(
        title=Text(de="Einwilligungsbanner ohne Wirkung", en="Consent banner that gates nothing"),
        what=Text(
            de="Dieselben Seiten wurden nach „Ablehnen“ und nach „Akzeptieren“ in frischen Browsern "
            "besucht. Laden "
            "beide Fälle dieselben Tracker, steuert das Banner nichts. Ist einer der Fälle nicht sicher "
            "beantwortet, lautet das Ergebnis „prüfen“.",
            en="The same pages were visited in fresh browsers after 'reject' and after 'accept'. When both "
            "load the "
            "same trackers, the banner controls nothing. When either was not reliably answered, the result "
            "is "
            "'review'.",
        ),
        why=Text(
            de="Eine Einwilligung, die nichts ändert, ist keine (TDDDG §25; DSGVO Art. 7); das Banner "
            "täuscht "
            "Besuchende über die Verarbeitung (DSGVO Art. 5 Abs. 1 lit. a).",
            en="A consent that changes nothing is no consent (TDDDG §25; GDPR Art. 7); the banner misleads "
            "visitors about the processing (GDPR Art. 5(1)(a)).",
        ),
        how_to_fix=Text(
            de="Alle nicht notwendigen Dienste an die Kategorien der Einwilligungsverwaltung koppeln.",
            en="Tie every non-essential service to the consent manager's categories.",
        ),
        example="Ablehnen: googletagmanager.com, hotjar.com · Akzeptieren: googletagmanager.com, hotjar.com",
    ),
)
def consent_gates_nothing(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    by_scenario: dict[Scenario, dict[str, PageCapture]] = defaultdict(dict)
    for scenario in (Scenario.REJECTED, Scenario.ACCEPTED):
        for capture in site.pages(scenario):
            if capture.is_testable:
                by_scenario[scenario][capture.url] = capture
    for url in sorted(set(by_scenario[Scenario.REJECTED]) & set(by_scenario[Scenario.ACCEPTED])):
        rejected, accepted = by_scenario[Scenario.REJECTED][url], by_scenario[Scenario.ACCEPTED][url]
        after_reject = {
            key
            for key, vendor in third_party_vendors(rejected, context).items()
            if vendor and vendor.is_tracking
        }
        after_accept = {
            key
            for key, vendor in third_party_vendors(accepted, context).items()
            if vendor and vendor.is_tracking
        }
        if not after_reject or after_accept - after_reject:
            continue  # nothing to gate, or "accept" adds trackers: the banner does something
        known = _known_consent(rejected) and _known_consent(accepted)
        yield Finding(
            result=Result.FAIL if known else Result.REVIEW,
            message=Text(
                de=f"Nach „Ablehnen“ laden dieselben Tracker wie nach „Akzeptieren“: "
                f"{', '.join(sorted(after_reject))}.",
                en=f"After 'reject' the same trackers load as after 'accept': "
                f"{', '.join(sorted(after_reject))}.",
            ),
            subject=url,
            evidence={
                "page": url,
                "after_reject": sorted(after_reject),
                "after_accept": sorted(after_accept),
                "consent_rejected": _consent_summary(rejected),
                "consent_accepted": _consent_summary(accepted),
            },
        )


def _consent_summary(capture: PageCapture) -> dict:
    record = capture.evidence(ConsentEvidence) or ConsentEvidence()
    return {key: record.get(key) for key in ("method", "cmp", "state", "banner_shown_again")}


def _known_consent(capture: PageCapture) -> bool:
    record = capture.evidence(ConsentEvidence)
    return record is not None and record.is_known


@check(
    id="privacy.third-country-recipient",
    review=NOTES["privacy.third-country-recipient"],
    family=Family.PRIVACY,
    scope=Scope.SITE,
    severity=Severity.MODERATE,
    references=References(
        law=("DSGVO Art. 44", "DSGVO Art. 45", "DSGVO Art. 46", "EuGH C-311/18 (Schrems II)")
    ),
    doc=CheckDoc(
        title=Text(de="Empfänger außerhalb der EU/des EWR", en="Recipients outside the EU/EEA"),
        what=Text(
            de="Listet jeden kontaktierten Anbieter, dessen Unternehmen seinen Sitz außerhalb der EU/des "
            "EWR hat, "
            "mit Land, Status im EU-US Data Privacy Framework (Stand laut Anbieterregister) und den "
            "Szenarien, in "
            "denen er auftrat. Der Sitz des Unternehmens ist nicht der Serverstandort.",
            en="Lists every contacted vendor whose company is headquartered outside the EU/EEA, with "
            "country, "
            "EU–US Data Privacy Framework status (as recorded in the vendor registry) and the scenarios it "
            "appeared in. Company headquarters are not server locations.",
        ),
        why=Text(
            de="Übermittlungen in Drittländer brauchen eine Grundlage nach DSGVO Art. 44 ff. "
            "(Angemessenheit, "
            "DPF-Zertifizierung, Standardvertragsklauseln); ohne DPF-Teilnahme ist das Schutzniveau nach "
            "Schrems II (C-311/18) besonders zu prüfen.",
            en="Transfers to third countries need a basis under GDPR Art. 44 ff. (adequacy, DPF "
            "certification, "
            "standard contractual clauses); without DPF participation the level of protection needs "
            "particular "
            "scrutiny after Schrems II (C-311/18).",
        ),
        how_to_fix=Text(
            de="Für jeden Empfänger die Übermittlungsgrundlage dokumentieren oder auf Anbieter in der EU "
            "wechseln.",
            en="Document the transfer basis for each recipient or switch to EU providers.",
        ),
        example="Google LLC (US, DPF: ja, Stand 2026-11-26) – erster Aufruf, nach Ablehnen",
    ),
)
def third_country_recipient(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    seen: dict[str, dict] = {}
    for scenario in Scenario:
        for capture in site.pages(scenario):
            for vendor in third_party_vendors(capture, context).values():
                if vendor is None or vendor.eea:
                    continue
                entry = seen.setdefault(vendor.id, {"vendor": vendor, "scenarios": set(), "pages": set()})
                entry["scenarios"].add(scenario.value)
                entry["pages"].add(capture.final_url)
    for vendor_id, entry in sorted(seen.items()):
        vendor: Vendor = entry["vendor"]
        before_consent = bool(entry["scenarios"] & {Scenario.FIRST_VISIT.value, Scenario.REJECTED.value})
        unprotected = vendor.dpf != "yes" and vendor.country not in ADEQUATE_COUNTRIES
        dpf = {"yes": "ja", "no": "nein", "unknown": "unbekannt", "not-applicable": "nicht anwendbar"}[
            vendor.dpf
        ]
        yield Finding(
            result=Result.REVIEW,
            severity=Severity.SERIOUS if before_consent and unprotected else None,
            message=Text(
                de=f"{vendor.name}: {vendor.company} ({vendor.country}, DPF: {dpf}, Stand "
                f"{vendor.dpf_checked}).",
                en=f"{vendor.name}: {vendor.company} ({vendor.country}, DPF: {vendor.dpf}, as of "
                f"{vendor.dpf_checked}).",
            ),
            subject=vendor_id,
            evidence={
                "vendor": vendor.summary(),
                "eu_entity": vendor.eu_entity or None,
                "adequacy_decision": vendor.country in ADEQUATE_COUNTRIES,
                "scenarios": sorted(entry["scenarios"]),
                "before_consent": before_consent,
                "pages": sorted(entry["pages"])[:MAX_PAGES_IN_EVIDENCE],
                "page_count": len(entry["pages"]),
            },
        )
