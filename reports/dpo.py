"""The report's section for data protection officers: every third-party vendor with its evidence.

Per vendor: company, headquarters country, EU/EEA, DPF status, category, pages, the scenarios in
which it appeared, the cookies and storage it caused, when govscan first saw it for this target,
and an example request (query values hashed) with its initiator. Above it, the consent banner as
answered in the "rejected" visit (with its screenshot) and a before / after-reject / after-accept
comparison over the pages visited in all three scenarios.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from checks.privacy.vendors import CATEGORIES, Vendor, vendor_registry
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import Scenario
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
        vendor = registry.lookup_url(request.url)
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
        row.scenario_text = ", ".join(
            texts["scenario"][s.value] for s in SCENARIOS if s.value in row.scenarios
        )
    vendors = sorted(rows.values(), key=lambda row: (-len(row.pages), row.name))
    return DpoView(
        labels=texts,
        intro=texts["intro"].format(registry=registry.version),
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


def _key(vendor: Vendor | None, host: str) -> str:
    return vendor.id if vendor else host


def _vendor_row(vendor: Vendor | None, host: str, texts: dict) -> VendorRow:
    if vendor is None:
        return VendorRow(host, host, texts["unknown_vendor"], "?", texts["unknown"], texts["unknown"])
    region = texts["eea"] if vendor.eea else texts["third_country"]
    category = CATEGORIES[vendor.category][0 if texts is LABELS["de"] else 1]
    return VendorRow(
        key=vendor.id,
        name=vendor.name,
        company=vendor.company,
        country=f"{vendor.country} ({region})",
        dpf=f"{texts['dpf'][vendor.dpf]} ({vendor.dpf_checked.isoformat()})",
        category=category,
    )


def _attribute_device_storage(rows, pages, cookies, storage, first_party, registry) -> None:
    """Cookies by their setter (from the privacy collector) or their domain; storage by writer or origin."""
    setters: dict[tuple[int, str, str], str] = {}
    writers: dict[tuple[int, str, str], str] = {}
    for page in pages.values():
        privacy = (page.extras or {}).get("privacy") or {}
        for entry in privacy.get("cookie_setters") or []:
            if entry.get("setter") and entry["setter"].get("url"):
                setters[(page.id, entry["name"], entry["domain"])] = entry["setter"]["url"]
        for entry in privacy.get("storage_writers") or []:
            if entry.get("script"):
                writers[(page.id, entry["origin"], entry["key"])] = entry["script"]
    for cookie in cookies:
        source = (
            setters.get((cookie.page_id, cookie.name, cookie.domain))
            or f"https://{cookie.domain.lstrip('.')}/"
        )
        _attach(rows, registry, first_party, source, f"Cookie {cookie.name} ({cookie.domain})")
    for item in storage:
        source = writers.get((item.page_id, item.origin, item.key)) or item.origin + "/"
        _attach(rows, registry, first_party, source, f"{item.kind}Storage {item.key} ({item.origin})")


def _attach(
    rows: dict[str, VendorRow], registry, first_party: FirstPartySet, source: str, label: str
) -> None:
    if not first_party.is_third_party_url(source):
        return
    vendor = registry.lookup_url(source)
    host = source.split("/")[2] if "//" in source else source
    row = rows.get(_key(vendor, host))
    if row is not None:
        row.caused.add(label)


def _consent_rows(pages: dict[int, Page], texts: dict) -> tuple[list[ConsentRow], str | None, str | None]:
    rows, screenshot, screenshot_page = [], None, None
    for page in sorted(pages.values(), key=lambda item: (item.depth, item.url, item.scenario)):
        record = (page.extras or {}).get("consent")
        if not record or "state" not in record:
            continue
        reject = record.get("reject_on_first_layer")
        rows.append(
            ConsentRow(
                page=page.url,
                scenario=texts["scenario"].get(page.scenario, page.scenario),
                method=record.get("method") or "–",
                cmp=record.get("cmp") or "–",
                state=texts["states"].get(record["state"], record["state"]),
                reject_first_layer=texts["unknown"] if reject is None else texts["yes" if reject else "no"],
            )
        )
        if screenshot is None and record.get("banner_screenshot"):
            screenshot, screenshot_page = record["banner_screenshot"], page.url
    return rows, screenshot, screenshot_page


def _first_seen(db, scan: Scan, registry) -> dict[str, str]:
    """Vendor key -> date of the first scan of this target in which it was contacted."""
    found = third_party_contacts(db, scan.target_id)
    earliest: dict[str, datetime] = {}
    for host, started in found:
        vendor = registry.lookup_host(host)
        key = _key(vendor, host)
        if key not in earliest or started < earliest[key]:
            earliest[key] = started
    return {key: started.date().isoformat() for key, started in earliest.items()}
