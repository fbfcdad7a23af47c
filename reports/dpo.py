"""The report's section for data protection officers: every third-party vendor with its evidence.

A vendor is a company; its services are named in its row with their kind (Meta Platforms: the
Meta pixel, a tracker, and Facebook's social plugins, an embed), so one company is one row however
many of its services a page uses. The before/after comparison stays per service: consent gates
services, not companies.

Per vendor: services, headquarters country, EU/EEA, DPF status, category, pages, the scenarios in
which it appeared, the cookies and storage it caused, when govscan first saw it for this target,
and an example request (query values hashed) with its initiator. Above it, the consent banner as
answered in the "rejected" visit (with its screenshot) and a before / after-reject / after-accept
comparison over the pages visited in all three scenarios.

Vendors are those the registry named when the scan stored its rows (``checks/privacy/attribution.py``),
so a later registry does not rewrite an old report; scans stored before that are attributed with
today's registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from checks.privacy.attribution import (
    cookie_setter_urls,
    cookie_source,
    request_attribution,
    source_attribution,
    storage_source,
    storage_writer_scripts,
)
from checks.privacy.vendors import CATEGORIES, KINDS, VendorRegistry, default_kind, vendor_registry
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import Scenario
from scanner.evidence.consent import consent_of
from scanner.evidence.privacy import privacy_of
from scanner.store.db import session
from scanner.store.models import Page, Scan
from scanner.store.report_queries import (
    page_cookies,
    page_storage,
    scan_by_id,
    scan_pages,
    third_party_contacts,
    third_party_requests,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

SCENARIOS = (Scenario.FIRST_VISIT, Scenario.REJECTED, Scenario.ACCEPTED)
LABELS = {
    "de": {
        "heading": "Datenschutz: Empfänger und Einwilligung",
        "intro": "Alle Drittanbieter, die beim Scan kontaktiert wurden, mit Unternehmen, Sitzland und "
        "Nachweisen. Sitzland ist der Sitz des Unternehmens, nicht der Serverstandort. DPF-Angaben laut "
        "govscan-Anbieterregister (Stand {registry}); vor Verwendung prüfen.",
        "causes_heading": "Worum es geht: die Ursachen der Datenschutz-Befunde",
        "causes_intro": "Jede Zeile ist ein Dienst oder eine Stelle der Website, auf die Befunde "
        "zurückgehen, mit ihrer Reichweite; die Tabellen danach zeigen die Nachweise.",
        "causes_caption": "Ursachen der Datenschutz-Befunde, die wichtigsten zuerst",
        "no_causes": "Keine automatisch erkennbaren Datenschutz-Befunde auf den getesteten Seiten.",
        "consent_heading": "Einwilligungsbanner",
        "no_consent": "Die Szenarien „nach Ablehnen“ und „nach Zustimmen“ wurden nicht besucht.",
        "comparison_heading": "Vorher / nach Ablehnen / nach Zustimmen",
        "comparison_caption": "Anbieter auf den in allen drei Szenarien besuchten Seiten ({pages} Seite(n))",
        "vendors_heading": "Anbieter",
        "vendors_caption": "Kontaktierte Drittanbieter ({count})",
        "screenshot_alt": "Bildschirmfoto der Seite {page} mit dem Einwilligungsbanner vor der Antwort",
        "columns": {
            "vendor": "Anbieter",
            "company": "Unternehmen",
            "services": "Dienste (Art)",
            "country": "Sitzland",
            "dpf": "EU-US DPF",
            "category": "Kategorie",
            "pages": "Seiten",
            "scenarios": "Szenarien",
            "cookies": "Cookies und Speicher",
            "first_seen": "Zuerst gesehen",
            "evidence": "Beispielanfrage (Auslöser)",
            "page": "Seite",
            "method": "Verfahren",
            "cmp": "Einwilligungsverwaltung",
            "state": "Zustand",
            "reject": "„Ablehnen“ auf erster Ebene",
        },
        "scenario": {
            "first-visit": "Erster Aufruf",
            "rejected": "Nach Ablehnen",
            "accepted": "Nach Zustimmen",
        },
        "yes": "ja",
        "no": "nein",
        "unknown": "unbekannt",
        "eea": "EU/EWR",
        "third_country": "Drittland",
        "dpf": {"yes": "ja", "no": "nein", "unknown": "unbekannt", "not-applicable": "nicht anwendbar"},
        "states": {
            "answered": "beantwortet",
            "preset": "per Rezept gesetzt",
            "hidden": "nur ausgeblendet (nicht beantwortet)",
            "failed": "nicht beantwortet",
            "no-banner": "kein Banner gefunden",
        },
        "unknown_vendor": "nicht im Anbieterregister",
    },
    "en": {
        "heading": "Data protection: recipients and consent",
        "intro": "Every third party contacted during the scan, with company, headquarters country and "
        "evidence. Country is the company's headquarters, not the server location. DPF status as recorded "
        "in govscan's vendor registry (as of {registry}); verify before relying on it.",
        "causes_heading": "What this is about: the causes of the privacy findings",
        "causes_intro": "Each row is a service or a part of the site that findings come down to, with its "
        "reach; the tables after it show the evidence.",
        "causes_caption": "Causes of the privacy findings, the most important first",
        "no_causes": "No automatically detectable privacy findings on the pages tested.",
        "consent_heading": "Consent banner",
        "no_consent": "The scenarios 'after reject' and 'after accept' were not visited.",
        "comparison_heading": "Before / after reject / after accept",
        "comparison_caption": "Vendors on the pages visited in all three scenarios ({pages} page(s))",
        "vendors_heading": "Vendors",
        "vendors_caption": "Third parties contacted ({count})",
        "screenshot_alt": "Screenshot of {page} with the consent banner before it was answered",
        "columns": {
            "vendor": "Vendor",
            "company": "Company",
            "services": "Services (kind)",
            "country": "Country",
            "dpf": "EU–US DPF",
            "category": "Category",
            "pages": "Pages",
            "scenarios": "Scenarios",
            "cookies": "Cookies and storage",
            "first_seen": "First seen",
            "evidence": "Example request (initiator)",
            "page": "Page",
            "method": "Method",
            "cmp": "Consent manager",
            "state": "State",
            "reject": "'Reject' on first layer",
        },
        "scenario": {"first-visit": "First visit", "rejected": "After reject", "accepted": "After accept"},
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
        "eea": "EU/EEA",
        "third_country": "third country",
        "dpf": {"yes": "yes", "no": "no", "unknown": "unknown", "not-applicable": "not applicable"},
        "states": {
            "answered": "answered",
            "preset": "preset by recipe",
            "hidden": "only hidden (not answered)",
            "failed": "not answered",
            "no-banner": "no banner found",
        },
        "unknown_vendor": "not in the vendor registry",
    },
}


@dataclass
class VendorRow:
    key: str
    name: str
    company: str
    country: str
    dpf: str
    category: str
    pages: set[int] = field(default_factory=set)
    scenarios: set[str] = field(default_factory=set)
    caused: set[str] = field(default_factory=set)  # cookies and storage
    first_seen: str = ""
    example: str = ""
    scenario_text: str = ""
    services: list[str] = field(default_factory=list)  # "Meta-Pixel (tracker/pixel)", in name order


@dataclass(frozen=True)
class ConsentRow:
    page: str
    scenario: str
    method: str
    cmp: str
    state: str
    reject_first_layer: str


@dataclass(frozen=True)
class DpoView:
    labels: dict[str, Any]
    intro: str
    consent: list[ConsentRow]
    screenshot: str | None  # a data: URI of the banner before it was answered
    screenshot_alt: str
    comparison_columns: list[str]
    comparison: list[tuple[str, list[str]]]
    comparison_caption: str
    vendors: list[VendorRow]
    vendors_caption: str


def build_dpo_view(engine: Engine, scan_id: int, language: str = "de") -> DpoView:
    texts = LABELS["en" if language == "en" else "de"]
    registry = vendor_registry()
    with session(engine) as db:
        scan = scan_by_id(db, scan_id)
        first_party = FirstPartySet(scan.config_json.get("first_party_hosts", []))
        pages = {page.id: page for page in scan_pages(db, scan_id)}
        requests = third_party_requests(db, pages)
        cookies = page_cookies(db, pages)
        storage = page_storage(db, pages)
        first_seen = _first_seen(db, scan, registry)
    rows: dict[str, VendorRow] = {}
    by_url: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for request in requests:
        page = pages[request.page_id]
        vendor = (request.vendor or request_attribution(request.url, request.host, registry))["vendor"]
        row = rows.get(_key(vendor, request.host)) or rows.setdefault(
            _key(vendor, request.host), _vendor_row(vendor, request.host, texts)
        )
        row.pages.add(page.id)
        row.scenarios.add(page.scenario)
        by_url[page.url][page.scenario].add(row.key)
        if not row.example:
            initiator = request.initiator_url or request.initiator_type or "?"
            row.example = f"{request.url} ({initiator})"
        row.first_seen = first_seen.get(row.key, "")
    _attribute_device_storage(rows, pages, cookies, storage, first_party, registry)
    consent, screenshot, screenshot_page = _consent_rows(pages, texts)
    rendered = {(page.url, page.scenario) for page in pages.values() if page.status == "ok"}
    compared = sorted(url for url in by_url if all((url, s.value) in rendered for s in SCENARIOS))
    comparison = _compare(rows, by_url, compared, texts)
    for row in rows.values():
        row.scenario_text = _scenario_text(row.scenarios, texts)
    vendors = sorted(_by_company(rows.values(), texts), key=lambda row: (-len(row.pages), row.name))
    return DpoView(
        labels=texts,
        intro=texts["intro"].format(registry=_registry_version(scan, registry)),
        consent=consent,
        screenshot=f"data:image/jpeg;base64,{screenshot}" if screenshot else None,
        screenshot_alt=texts["screenshot_alt"].format(page=screenshot_page or ""),
        comparison_columns=[texts["scenario"][s.value] for s in SCENARIOS],
        comparison=comparison,
        comparison_caption=texts["comparison_caption"].format(pages=len(compared)),
        vendors=vendors,
        vendors_caption=texts["vendors_caption"].format(count=len(vendors)),
    )


def _compare(
    rows: dict[str, VendorRow], by_url: dict[str, dict[str, set[str]]], urls: list[str], texts: dict
) -> list[tuple[str, list[str]]]:
    """Per vendor, whether it appeared in each scenario on the pages visited in all three."""
    keys = sorted(
        {key for url in urls for seen in by_url[url].values() for key in seen}, key=lambda k: rows[k].name
    )
    result = []
    for key in keys:
        cells = [
            texts["yes"] if any(key in by_url[url][s.value] for url in urls) else texts["no"]
            for s in SCENARIOS
        ]
        result.append((rows[key].name, cells))
    return result


def _scenario_text(scenarios: set[str], texts: dict) -> str:
    return ", ".join(texts["scenario"][s.value] for s in SCENARIOS if s.value in scenarios)


def _by_company(services: Iterable[VendorRow], texts: dict) -> list[VendorRow]:
    """One row per company, naming its services; hosts the registry did not know keep their own row."""
    companies: dict[str, list[VendorRow]] = defaultdict(list)
    for row in services:
        companies[row.company if row.services else row.key].append(row)
    merged = []
    for company, members in companies.items():
        members.sort(key=lambda row: row.name)
        if not members[0].services:  # unknown to the registry
            merged.extend(members)
            continue
        first = members[0]
        merged.append(
            VendorRow(
                key=company,
                name=company,
                company=company,
                country=first.country,
                dpf=first.dpf,
                category=", ".join(dict.fromkeys(row.category for row in members)),
                pages=set().union(*(row.pages for row in members)),
                scenarios=set().union(*(row.scenarios for row in members)),
                caused=set().union(*(row.caused for row in members)),
                first_seen=min((row.first_seen for row in members if row.first_seen), default=""),
                example=first.example,
                scenario_text=_scenario_text(set().union(*(row.scenarios for row in members)), texts),
                services=[service for row in members for service in row.services],
            )
        )
    return merged


def _registry_version(scan: Scan, registry: VendorRegistry) -> str:
    """The registry version the scan recorded (engine_versions); today's for scans without one."""
    recorded = (scan.engine_versions or {}).get("vendor_registry") or {}
    return recorded.get("version") or registry.version


def _key(vendor: dict[str, Any] | None, host: str) -> str:
    return vendor["id"] if vendor else host


def _vendor_row(vendor: dict[str, Any] | None, host: str, texts: dict) -> VendorRow:
    """A row from a stored vendor record (``Vendor.summary()``), or for a host the registry did not know."""
    if vendor is None:
        return VendorRow(host, host, texts["unknown_vendor"], "?", texts["unknown"], texts["unknown"])
    region = texts["eea"] if vendor["eea"] else texts["third_country"]
    english = texts is not LABELS["de"]
    names = CATEGORIES.get(vendor["category"], (vendor["category"],) * 2)
    # records stored before services had kinds: the kind follows from the stored category
    kind = vendor.get("kind") or default_kind(vendor["category"])
    kind_name = KINDS.get(kind, (kind, kind))[1 if english else 0]
    return VendorRow(
        key=vendor["id"],
        name=vendor["name"],
        company=vendor["company"],
        country=f"{vendor['country']} ({region})",
        dpf=f"{texts['dpf'].get(vendor['dpf'], vendor['dpf'])} ({vendor['dpf_checked']})",
        category=names[1 if english else 0],
        services=[f"{vendor['name']} ({kind_name})"],
    )


def _attribute_device_storage(rows, pages, cookies, storage, first_party, registry) -> None:
    """Cookies by their setter (from the privacy collector) or their domain; storage by writer or origin."""
    evidence = {page_id: privacy_of(page.extras or {}) for page_id, page in pages.items()}
    setters = {page_id: cookie_setter_urls(found) for page_id, found in evidence.items()}
    writers = {page_id: storage_writer_scripts(found) for page_id, found in evidence.items()}
    for cookie in cookies:
        stored = cookie.vendor or source_attribution(
            cookie_source(setters[cookie.page_id].get((cookie.name, cookie.domain)), cookie.domain), registry
        )
        _attach(rows, first_party, stored, f"Cookie {cookie.name} ({cookie.domain})")
    for item in storage:
        stored = item.vendor or source_attribution(
            storage_source(writers[item.page_id].get((item.origin, item.key)), item.origin), registry
        )
        _attach(rows, first_party, stored, f"{item.kind}Storage {item.key} ({item.origin})")


def _attach(rows: dict[str, VendorRow], first_party: FirstPartySet, stored: dict, label: str) -> None:
    """Add a cookie or storage entry to its vendor's row (``stored``: source URL and vendor record)."""
    source, vendor = stored["source"], stored["vendor"]
    if not first_party.is_third_party_url(source):
        return
    host = source.split("/")[2] if "//" in source else source
    row = rows.get(_key(vendor, host))
    if row is not None:
        row.caused.add(label)


def _consent_rows(pages: dict[int, Page], texts: dict) -> tuple[list[ConsentRow], str | None, str | None]:
    rows, screenshot, screenshot_page = [], None, None
    for page in sorted(pages.values(), key=lambda item: (item.depth, item.url, item.scenario)):
        record = consent_of(page.extras or {})
        if record is None or "state" not in record.written:
            continue
        reject = record.get("reject_on_first_layer")
        rows.append(
            ConsentRow(
                page=page.url,
                scenario=texts["scenario"].get(page.scenario, page.scenario),
                method=record.get("method") or "–",
                cmp=record.get("cmp") or "–",
                state=texts["states"].get(record.state, record.state),
                reject_first_layer=texts["unknown"] if reject is None else texts["yes" if reject else "no"],
            )
        )
        if screenshot is None and record.banner_screenshot:
            screenshot, screenshot_page = record.banner_screenshot, page.url
    return rows, screenshot, screenshot_page


def _first_seen(db, scan: Scan, registry: VendorRegistry) -> dict[str, str]:
    """Vendor key -> date of the first scan of this target in which it was contacted."""
    found = third_party_contacts(db, scan.target_id)
    earliest: dict[str, datetime] = {}
    for host, stored, started in found:
        key = (stored or request_attribution("", host, registry))["host_key"]
        if key not in earliest or started < earliest[key]:
            earliest[key] = started
    return {key: started.date().isoformat() for key, started in earliest.items()}
