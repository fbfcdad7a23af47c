"""The vendor registry: which company stands behind a third-party host (our own data, vendors.toml).

Each vendor names its company, the country of the company's headquarters, whether that is in the
EU/EEA, its EU–US Data Privacy Framework participation with the date that was recorded, a
category, the domains it serves from and the names under which a Datenschutzerklärung mentions it.
A host is looked up label by label from the most specific name down to its registrable domain
(``stats.g.doubleclick.net`` -> ``g.doubleclick.net`` -> ``doubleclick.net``); URL prefixes
(``www.google.com/recaptcha/``) take precedence, for vendors that share a host with others; a
``*`` in a prefix stands for one path segment (``connect.facebook.net/*/fbevents.js``).

An entry is one *service*; the company behind it is the vendor. One company appears as one vendor
with named services (Meta: the Meta pixel, a tracker, and Facebook's page plugin, an embed). Each
service has a kind, because the kind, not the company, decides which check and which advice fit:

- ``embed``: content a visitor sees and could choose to load (video, audio, maps, social widgets):
  a two-click placeholder fixes it;
- ``tracker``: observes visitors (analytics, advertising, pixels, tag managers, session
  recording): only consent or removal fixes it;
- ``functional``: the page works with it (fonts, public CDNs, CAPTCHA, consent managers, chat,
  forms, ...): hosting it yourself or a processor contract fixes it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scanner.net.domains import registrable_domain

REGISTRY_PATH = Path(__file__).with_name("vendors.toml")

CATEGORIES = {
    "analytics": ("Reichweitenmessung", "analytics"),
    "advertising": ("Werbung", "advertising"),
    "tag-manager": ("Tag-Manager", "tag manager"),
    "session-recording": ("Sitzungsaufzeichnung", "session recording"),
    "social": ("Soziale Medien", "social media"),
    "video": ("Video", "video"),
    "audio": ("Audio/Podcast", "audio/podcast"),
    "maps": ("Karten", "maps"),
    "fonts": ("Schriften", "fonts"),
    "cdn": ("Öffentliches CDN", "public CDN"),
    "consent": ("Einwilligungsverwaltung", "consent management"),
    "captcha": ("CAPTCHA", "CAPTCHA"),
    "chat": ("Chat", "chat"),
    "forms": ("Formulare/Umfragen", "forms/surveys"),
    "newsletter": ("Newsletter/Marketing", "newsletter/marketing"),
    "accessibility": ("Barrierefreiheits-Werkzeug", "accessibility tool"),
    "translation": ("Übersetzung", "translation"),
    "search": ("Suche", "search"),
    "booking": ("Terminbuchung", "appointment booking"),
    "conferencing": ("Videokonferenz", "video conferencing"),
    "documents": ("Dokumente/Publikationen", "documents/publications"),
    "hosting": ("Hosting/Infrastruktur", "hosting/infrastructure"),
    "security": ("Sicherheit/Bot-Schutz", "security/bot protection"),
    "payment": ("Bezahlung", "payment"),
}
# Categories whose purpose is to observe visitors: never strictly necessary for a public website.
TRACKING_CATEGORIES = frozenset({"analytics", "advertising", "session-recording", "tag-manager"})
EMBED_CATEGORIES = frozenset({"video", "audio", "maps", "social"})
KINDS = {
    "embed": ("Einbettung", "embed"),
    "tracker": ("Tracker/Pixel", "tracker/pixel"),
    "functional": ("Funktional", "functional"),
}


def default_kind(category: str) -> str:
    """The kind of a service whose entry names none: from its category."""
    if category in TRACKING_CATEGORIES:
        return "tracker"
    return "embed" if category in EMBED_CATEGORIES else "functional"


DPF_VALUES = {"yes", "no", "unknown", "not-applicable"}
EEA_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIELDS = {
    "id": str,
    "name": str,
    "company": str,
    "country": str,
    "eea": bool,
    "dpf": str,
    "dpf_checked": date,
    "category": str,
    "kind": str,
    "domains": list,
    "url_prefixes": list,
    "aliases": list,
    "eu_entity": str,
    "note": str,
}
_REQUIRED = ("id", "name", "company", "country", "eea", "dpf", "dpf_checked", "category", "domains")


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str
    company: str
    country: str  # ISO 3166-1 alpha-2 of the company's headquarters
    eea: bool
    dpf: str  # yes | no | unknown for US companies; not-applicable for all others
    dpf_checked: date
    category: str
    domains: tuple[str, ...]
    url_prefixes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # names to look for in a privacy policy, besides ``name``
    eu_entity: str = ""  # the EU contracting entity of a non-EU group, where there is one
    note: str = ""
    kind: str = ""  # embed | tracker | functional; empty: from the category

    @property
    def service_kind(self) -> str:
        return self.kind or default_kind(self.category)

    @property
    def is_tracking(self) -> bool:
        return self.service_kind == "tracker"

    @property
    def is_embed(self) -> bool:
        return self.service_kind == "embed"

    @property
    def label(self) -> str:
        """Service and company, as every finding names them: "Meta-Pixel (Meta Platforms, Inc.)"."""
        return f"{self.name} ({self.company})"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def summary(self) -> dict[str, Any]:
        """What a finding's evidence keeps about the vendor."""
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "country": self.country,
            "eea": self.eea,
            "dpf": self.dpf,
            "dpf_checked": self.dpf_checked.isoformat(),
            "category": self.category,
            "kind": self.service_kind,  # since registry 2026-12-03; older records lack it
        }


class RegistryError(ValueError):
    pass


class VendorRegistry:
    def __init__(self, vendors: list[Vendor], version: str, sha256: str) -> None:
        self.vendors = {vendor.id: vendor for vendor in vendors}
        self.version = version
        self.sha256 = sha256
        self._by_host = {domain: vendor for vendor in vendors for domain in vendor.domains}
        self._prefixes = sorted(
            ((_prefix_pattern(prefix), vendor) for vendor in vendors for prefix in vendor.url_prefixes),
            key=lambda item: -len(item[0].pattern),
        )

    def __len__(self) -> int:
        return len(self.vendors)

    def lookup_host(self, host: str) -> Vendor | None:
        """The vendor of the most specific listed name for ``host``, down to its registrable domain."""
        host = host.lower().rstrip(".")
        floor = registrable_domain(host)
        labels = host.split(".")
        for start in range(len(labels)):
            candidate = ".".join(labels[start:])
            if candidate in self._by_host:
                return self._by_host[candidate]
            if candidate == floor:
                return None
        return None

    def lookup_url(self, url: str) -> Vendor | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            return None
        location = host + (parts.path or "/")
        for prefix, vendor in self._prefixes:
            if prefix.match(location):
                return vendor
        return self.lookup_host(host)

    def services_of(self, company: str) -> list[Vendor]:
        return sorted((v for v in self.vendors.values() if v.company == company), key=lambda v: v.id)

    def record(self) -> dict[str, str]:
        return {"version": self.version, "sha256": self.sha256, "vendors": str(len(self))}


def _prefix_pattern(prefix: str) -> re.Pattern[str]:
    """A URL prefix as a pattern anchored at the start; ``*`` is one path segment."""
    return re.compile("[^/]*".join(re.escape(part) for part in prefix.split("*")))


def parse_registry(text: str, source: str) -> VendorRegistry:
    """Validate every entry; all problems are reported together, naming the entry and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{source}: {error}") from None
    problems: list[str] = []
    vendors: list[Vendor] = []
    seen_domains: dict[str, str] = {}
    for index, raw in enumerate(data.get("vendor", []), 1):
        where = f"{source}: vendor[{index}] ({raw.get('id', '?')})"
        entry_problems = _entry_problems(raw)
        problems += [f"{where}: {problem}" for problem in entry_problems]
        if entry_problems:
            continue
        vendor = _vendor(raw)
        if vendor.id in {known.id for known in vendors}:
            problems.append(f"{where}: id '{vendor.id}' is used twice")
        for domain in (*vendor.domains, *vendor.url_prefixes):
            if domain in seen_domains:
                problems.append(f"{where}: '{domain}' is listed by '{seen_domains[domain]}' already")
            seen_domains[domain] = vendor.id
        vendors.append(vendor)
    if not isinstance(data.get("version"), str):
        problems.append(f"{source}: missing top-level 'version' string")
    if problems:
        raise RegistryError("\n".join(problems))
    return VendorRegistry(vendors, data["version"], hashlib.sha256(text.encode("utf-8")).hexdigest())


def _entry_problems(raw: dict[str, Any]) -> list[str]:
    problems = [f"missing field '{name}'" for name in _REQUIRED if name not in raw]
    problems += [f"unknown field '{name}'" for name in raw if name not in _FIELDS]
    for name, wanted in _FIELDS.items():
        if name in raw and not isinstance(raw[name], wanted):
            problems.append(f"field '{name}': expected {wanted.__name__}, got {type(raw[name]).__name__}")
    if problems:
        return problems
    if not _ID.match(raw["id"]):
        problems.append(f"field 'id': '{raw['id']}' must be lower-case letters, digits and hyphens")
    if raw["category"] not in CATEGORIES:
        problems.append(
            f"field 'category': '{raw['category']}' is not one of {', '.join(sorted(CATEGORIES))}"
        )
    if "kind" in raw and raw["kind"] not in KINDS:
        problems.append(f"field 'kind': '{raw['kind']}' is not one of {', '.join(sorted(KINDS))}")
    if not re.fullmatch(r"[A-Z]{2}", raw["country"]):
        problems.append(f"field 'country': '{raw['country']}' is not an ISO 3166-1 alpha-2 code")
    elif raw["eea"] != (raw["country"] in EEA_COUNTRIES):
        problems.append(f"field 'eea': {raw['eea']} contradicts country '{raw['country']}'")
    if raw["dpf"] not in DPF_VALUES:
        problems.append(f"field 'dpf': '{raw['dpf']}' is not one of {', '.join(sorted(DPF_VALUES))}")
    elif (raw["dpf"] == "not-applicable") != (raw["country"] != "US"):
        problems.append("field 'dpf': the framework covers US companies only: 'not-applicable' elsewhere")
    if not raw["domains"] and not raw.get("url_prefixes"):
        problems.append("field 'domains': at least one domain or url prefix is needed")
    for domain in raw["domains"]:
        if not isinstance(domain, str) or not _DOMAIN.match(domain):
            problems.append(f"field 'domains': '{domain}' is not a lower-case host name")
    for prefix in raw.get("url_prefixes", []):
        if not isinstance(prefix, str) or "/" not in prefix or not _DOMAIN.match(prefix.split("/")[0]):
            problems.append(f"field 'url_prefixes': '{prefix}' must look like 'host/path'")
    return problems


def _vendor(raw: dict[str, Any]) -> Vendor:
    return Vendor(
        id=raw["id"],
        name=raw["name"],
        company=raw["company"],
        country=raw["country"],
        eea=raw["eea"],
        dpf=raw["dpf"],
        dpf_checked=raw["dpf_checked"],
        category=raw["category"],
        domains=tuple(raw["domains"]),
        url_prefixes=tuple(raw.get("url_prefixes", ())),
        aliases=tuple(raw.get("aliases", ())),
        eu_entity=raw.get("eu_entity", ""),
        note=raw.get("note", ""),
        kind=raw.get("kind", ""),
    )


@lru_cache(maxsize=1)
def vendor_registry() -> VendorRegistry:
    """The registry shipped with govscan (read once per process)."""
    return parse_registry(REGISTRY_PATH.read_text(encoding="utf-8"), str(REGISTRY_PATH))
