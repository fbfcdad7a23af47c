"""Vendor attribution of stored requests, cookies and storage, decided when the scan stores them.

The vendor registry changes between releases (a company moves, joins the Data Privacy Framework,
a domain is added). A report of an old scan must show what was known when it was scanned, so the
store keeps, next to each third-party request and each cookie and storage entry, the vendor the
registry named then (``Vendor.summary()``: the service's id and name, its company (the vendor),
country, DPF status, category and, since registry 2026-12-03, the service's kind: embed, tracker
or functional). Records stored before that lack "kind"; readers derive it from the stored
category (``vendors.default_kind``), so old scans keep rendering. The
data-protection section reads these records and computes them from today's registry only for
scans stored before attribution was recorded (their column is NULL).

Records (JSON):

- request: ``{"vendor": summary | None, "host_key": vendor id of the bare host, or the host}``
  (the URL decides the vendor; "first seen" groups earlier scans' requests by host);
- cookie and storage: ``{"source": URL, "vendor": summary | None}``, the source being the setting
  response or script when the privacy collector saw it, else the cookie's domain or the origin.
"""

from __future__ import annotations

from typing import Any

from checks.privacy.vendors import VendorRegistry, vendor_registry
from scanner.evidence import CookieRecord, PageCapture, StorageRecord
from scanner.evidence.privacy import PrivacyEvidence


def request_attribution(url: str, host: str, registry: VendorRegistry | None = None) -> dict[str, Any]:
    """The stored vendor of a third-party request (``url`` as stored: query values hashed)."""
    registry = registry or vendor_registry()
    vendor = registry.lookup_url(url)
    host_vendor = registry.lookup_host(host)
    return {
        "vendor": vendor.summary() if vendor else None,
        "host_key": host_vendor.id if host_vendor else host,
    }


def source_attribution(source: str, registry: VendorRegistry | None = None) -> dict[str, Any]:
    """The stored vendor of a cookie or storage entry, from the URL that caused it."""
    vendor = (registry or vendor_registry()).lookup_url(source)
    return {"source": source, "vendor": vendor.summary() if vendor else None}


def cookie_source(setter_url: str | None, domain: str) -> str:
    """Who set a cookie: its setter's URL, else the cookie's domain as an https URL."""
    return setter_url or f"https://{domain.lstrip('.')}/"


def storage_source(writer: str | None, origin: str) -> str:
    """Who wrote a storage entry: the writing script, else the entry's origin."""
    return writer or origin + "/"


def cookie_setter_urls(evidence: PrivacyEvidence | None) -> dict[tuple[str, str], str]:
    """(name, domain) -> URL of the cookie's last writer, where the privacy collector saw one."""
    return {
        (entry.name, entry.domain): entry.setter.url
        for entry in (evidence.cookie_setters if evidence else ())
        if entry.setter and entry.setter.url
    }


def storage_writer_scripts(evidence: PrivacyEvidence | None) -> dict[tuple[str, str], str]:
    """(origin, key) -> the script that wrote a storage entry, where the collector saw it."""
    return {
        (entry.origin, entry.key): entry.script
        for entry in (evidence.storage_writers if evidence else ())
        if entry.script
    }


def cookie_attributions(capture: PageCapture) -> list[dict[str, Any]]:
    """One record per cookie of the capture, in ``capture.cookies`` order."""
    setters = cookie_setter_urls(capture.evidence(PrivacyEvidence))
    return [_cookie(cookie, setters) for cookie in capture.cookies]


def storage_attributions(capture: PageCapture) -> list[dict[str, Any]]:
    """One record per storage entry of the capture, in ``capture.storage`` order."""
    writers = storage_writer_scripts(capture.evidence(PrivacyEvidence))
    return [_storage(item, writers) for item in capture.storage]


def _cookie(cookie: CookieRecord, setters: dict[tuple[str, str], str]) -> dict[str, Any]:
    return source_attribution(cookie_source(setters.get((cookie.name, cookie.domain)), cookie.domain))


def _storage(item: StorageRecord, writers: dict[tuple[str, str], str]) -> dict[str, Any]:
    return source_attribution(storage_source(writers.get((item.origin, item.key)), item.origin))
