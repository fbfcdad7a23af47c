"""Impressum and Datenschutzerklärung: linked from every page, reachable, and naming the vendors found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from checks.privacy.consent_site import third_party_vendors
from checks.privacy.review_notes import NOTES
from scanner.crawl.urls import url_key
from scanner.evidence import FailureClass, Link, PageCapture, Scenario
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

LEGAL_PAGES = {
    "impressum": (re.compile(r"\b(impressum|imprint|legal notice)\b", re.I), "Impressum", "legal notice"),
    "datenschutz": (
        re.compile(r"datenschutz|privacy", re.I),
        "Datenschutzerklärung",
        "privacy policy",
    ),
}


def legal_links(capture: PageCapture, kind: str) -> list[Link]:
    pattern = LEGAL_PAGES[kind][0]
    return [
        link
        for link in capture.links
        if pattern.search(link.text) or pattern.search(urlsplit(link.href).path)
    ]


@check(
    id="privacy.legal-links",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(law=("DDG §5", "MStV §18", "DSGVO Art. 12 Abs. 1", "DSGVO Art. 13")),
    doc=CheckDoc(
        title=Text(
            de="Impressum oder Datenschutzerklärung nicht verlinkt",
            en="Legal notice or privacy policy not linked",
        ),
        what=Text(
            de="Die Seite enthält keinen Link, dessen Text oder Adresse „Impressum“ bzw. „Datenschutz“ "
            "nennt.",
            en="The page has no link whose text or address says 'Impressum' or 'Datenschutz' (or English "
            "equivalents).",
        ),
        why=Text(
            de="Das Impressum muss leicht erkennbar, unmittelbar erreichbar und ständig verfügbar sein "
            "(DDG §5, "
            "MStV §18); die Datenschutzinformationen müssen leicht zugänglich sein (DSGVO Art. 12, 13).",
            en="The legal notice must be easily recognisable, directly reachable and always available (DDG "
            "§5, "
            "MStV §18); privacy information must be easily accessible (GDPR Art. 12, 13).",
        ),
        how_to_fix=Text(
            de="Beide Links in die Fußzeile jeder Seite aufnehmen.",
            en="Put both links in the footer of every page.",
        ),
        example='<footer><a href="/impressum/">Impressum</a> <a '
        'href="/datenschutz/">Datenschutz</a></footer>',
    ),
)
def legal_links_present(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for kind, (_, name_de, name_en) in LEGAL_PAGES.items():
        if not legal_links(capture, kind):
            yield Finding(
                result=Result.FAIL,
                message=Text(de=f"Kein Link zu {name_de}.", en=f"No link to the {name_en}."),
                subject=kind,
                evidence={"links_on_page": len(capture.links)},
            )


class VisitOutcome(NamedTuple):
    is_testable: bool
    failure_class: FailureClass | None
    failure_detail: str | None


# One line per linked legal page: its name and address, then what went wrong.
UNREACHABLE_MESSAGES = {
    "failed": Text(de="{name} {href}: nicht ladbar ({detail})", en="{name} {href}: failed ({detail})"),
    "not_visited": Text(de="{name} {href}: nicht besucht", en="{name} {href}: not visited"),
}


def _unreachable_message(kind: str, href: str, visited: VisitOutcome | None) -> Text:
    _, name_de, name_en = LEGAL_PAGES[kind]
    template = UNREACHABLE_MESSAGES["failed" if visited else "not_visited"]
    detail = visited.failure_detail if visited else None
    return Text(
        de=template.de.format(name=name_de, href=href, detail=detail),
        en=template.en.format(name=name_en, href=href, detail=detail),
    )


@check(
    id="privacy.legal-pages-reachable",
    review=NOTES["privacy.legal-pages-reachable"],
    family=Family.PRIVACY,
    scope=Scope.SITE,
    severity=Severity.SERIOUS,
    references=References(law=("DDG §5", "DSGVO Art. 12 Abs. 1")),
    doc=CheckDoc(
        title=Text(
            de="Impressum oder Datenschutzerklärung nicht erreichbar",
            en="Legal notice or privacy policy unreachable",
        ),
        what=Text(
            de="Die verlinkte Impressums- oder Datenschutzseite konnte beim Crawl nicht geladen werden "
            "(Fehler) "
            "oder wurde nicht besucht (dann „prüfen“).",
            en="The linked legal-notice or privacy-policy page failed to load during the crawl (fail) or "
            "was not "
            "visited (review).",
        ),
        why=Text(
            de="Ein Link auf eine Fehlerseite erfüllt die Informationspflicht nicht (DDG §5, DSGVO Art. 12).",
            en="A link to an error page does not meet the duty to inform (DDG §5, GDPR Art. 12).",
        ),
        how_to_fix=Text(de="Linkziel korrigieren.", en="Fix the link target."),
        example="/datenschutz/ → HTTP 404",
    ),
)
def legal_pages_reachable(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    # Only what the verdict needs is kept per page, so a scan of 10,000 pages stays small here.
    pages: dict[str, VisitOutcome] = {}
    targets: dict[str, dict[str, str]] = {kind: {} for kind in LEGAL_PAGES}
    for capture in site.pages(Scenario.FIRST_VISIT):
        pages[url_key(capture.url)] = VisitOutcome(
            capture.is_testable, capture.failure_class, capture.failure_detail
        )
        if capture.is_testable:
            for kind in LEGAL_PAGES:
                for link in legal_links(capture, kind):
                    if context.first_party.contains_url(link.href):
                        targets[kind].setdefault(url_key(link.href), link.href)
    for kind, found in targets.items():
        for key, href in sorted(found.items()):
            visited = pages.get(key)
            if visited is not None and visited.is_testable:
                continue
            yield Finding(
                result=Result.FAIL if visited is not None else Result.REVIEW,
                message=_unreachable_message(kind, href, visited),
                subject=f"{kind}:{key}",
                evidence={
                    "url": href,
                    "failure_class": visited.failure_class.value
                    if visited and visited.failure_class
                    else None,
                },
            )


@check(
    id="privacy.vendor-not-in-policy",
    review=NOTES["privacy.vendor-not-in-policy"],
    family=Family.PRIVACY,
    scope=Scope.SITE,
    severity=Severity.MODERATE,
    references=References(law=("DSGVO Art. 13 Abs. 1 lit. e", "DSGVO Art. 13 Abs. 1 lit. f")),
    doc=CheckDoc(
        title=Text(
            de="Anbieter nicht in der Datenschutzerklärung genannt",
            en="Vendor not named in the privacy policy",
        ),
        what=Text(
            de="Ein vor der Einwilligung kontaktierter Anbieter wird in der gecrawlten "
            "Datenschutzerklärung weder "
            "mit Namen noch mit Unternehmen genannt. Die Erklärung darf auch Kategorien von Empfängern "
            "nennen, "
            "daher „prüfen“.",
            en="A vendor contacted before consent is named neither by service nor by company in the crawled "
            "privacy policy. The policy may name categories of recipients instead, hence 'review'.",
        ),
        why=Text(
            de="Betroffene müssen die Empfänger oder Kategorien von Empfängern und Drittlandübermittlungen "
            "erfahren "
            "(DSGVO Art. 13 Abs. 1 lit. e, f).",
            en="Data subjects must learn the recipients or categories of recipients and third-country "
            "transfers "
            "(GDPR Art. 13(1)(e), (f)).",
        ),
        how_to_fix=Text(
            de="Die Datenschutzerklärung um den Anbieter, Zweck, Rechtsgrundlage und Drittlandbezug "
            "ergänzen.",
            en="Add the vendor, purpose, legal basis and transfer to the privacy policy.",
        ),
        example="Seite lädt Hotjar; Datenschutzerklärung erwähnt Hotjar nicht",
    ),
)
def vendor_not_in_policy(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    policy_keys: set[str] = set()
    testable: dict[str, str] = {}  # url key -> final URL of every testable page
    vendors = {}
    for capture in site.pages(Scenario.FIRST_VISIT):
        if capture.is_testable:
            testable[url_key(capture.url)] = capture.final_url
            policy_keys.update(url_key(link.href) for link in legal_links(capture, "datenschutz"))
        for key, vendor in third_party_vendors(capture, context).items():
            if vendor is not None and vendor.category != "consent":
                vendors.setdefault(key, (vendor, capture.final_url))
    policies = [final_url for key, final_url in testable.items() if key in policy_keys]
    if not policies:
        return  # legal-pages-reachable reports a missing or unvisited policy
    text = " ".join(  # only the policy pages' DOM is read, in a second pass
        BeautifulSoup(capture.dom_html, "lxml").get_text(" ")
        for capture in site.pages(Scenario.FIRST_VISIT, with_dom=True)
        if capture.is_testable and url_key(capture.url) in policy_keys
    ).lower()
    for key, (vendor, example_page) in sorted(vendors.items()):
        names = (*vendor.names, vendor.company, vendor.eu_entity)
        if any(name and name.lower() in text for name in names):
            continue
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"{vendor.name} ({vendor.company}) wird kontaktiert, aber in der Datenschutzerklärung "
                "nicht genannt.",
                en=f"{vendor.name} ({vendor.company}) is contacted but not named in the privacy policy.",
            ),
            subject=key,
            evidence={
                "vendor": vendor.summary(),
                "searched_names": [name for name in names if name],
                "policy_pages": policies,
                "example_page": example_page,
            },
        )
