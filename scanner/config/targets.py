"""targets.toml -> validated, frozen models.

`load_targets()` reads the file, checks every value and reports all problems at once as a
`ConfigError` whose lines point into the file. The resulting `TargetConfig` is fully resolved
(defaults and [settings] applied), so a scan can snapshot it with `to_json_dict()` and a resumed
scan can rebuild exactly the same object with `from_json_dict()`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scanner.config import values as v
from scanner.config.accessibility import (
    ACCESSIBILITY_KEYS,
    AccessibilitySettings,
    accessibility_fields,
    accessibility_settings,
)
from scanner.config.consent import ConsentSettings, consent_settings
from scanner.config.errors import ConfigError, ConfigProblem, Section, SourceMap, syntax_problem
from scanner.crawl.scope import FirstPartySet
from scanner.evidence.tls import DEFAULT_TLS_PROFILE, TlsProfileName

__all__ = [
    "ConfigError",
    "ConfigProblem",
    "CrawlSettings",
    "ProjectConfig",
    "TargetConfig",
    "load_targets",
    "parse_targets",
]

DEFAULT_DROP_QUERY_PARAMS = ("utm_*", "fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl")

# Upper bounds of settings: beyond them a value is a typo (page_timeout = 1e308), not a wish.
MAX_PAGE_SECONDS = 600.0  # a page given ten minutes is a page that does not answer
MAX_DELAY_SECONDS = 600.0
MAX_SETTLE_SECONDS = 300.0
MAX_TIME_BUDGET = 7 * 24 * 3600.0  # a week: longer scans never finish before the next one is due
MAX_CONCURRENCY = 64
MAX_PROBED_HOSTS = 10_000
MAX_PAGES = 1_000_000


def _default_concurrency() -> int:
    return min(4, os.cpu_count() or 1)


class CrawlSettings(BaseModel):
    """Crawl and politeness settings, fully resolved (target > [settings] > built-in default)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    concurrency: int = Field(default_factory=_default_concurrency, ge=1)
    per_host_concurrency: int = Field(default=2, ge=1)
    request_delay: float = Field(default=1.0, ge=0)
    page_timeout: float = Field(default=30.0, gt=0)
    settle_quiet: float = Field(default=0.5, ge=0)
    settle_cap: float = Field(default=5.0, gt=0)
    max_probed_hosts: int = Field(default=30, ge=1)  # first-party hosts that get the host checks
    respect_robots: bool = True
    use_sitemaps: bool = True
    drop_query_params: tuple[str, ...] = DEFAULT_DROP_QUERY_PARAMS
    connect_to: tuple[str, ...] = ()
    ca_bundle: Path | None = None
    dns_servers: tuple[str, ...] = ()  # HOST:PORT; none: /etc/resolv.conf
    dns_trust_anchor: Path | None = None  # None: the IANA root KSKs
    tls_profile: TlsProfileName = DEFAULT_TLS_PROFILE

    def drops_query_param(self, name: str) -> bool:
        """Whether a query parameter is removed when normalising URLs (glob, case-insensitive)."""
        lowered = name.lower()
        return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in self.drop_query_params)


class TargetConfig(BaseModel):
    """One website to audit, with all defaults applied."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    start_urls: tuple[str, ...] = Field(min_length=1)
    first_party_hosts: tuple[str, ...] = Field(min_length=1)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int = Field(default=100, ge=1)
    max_depth: int = Field(default=5, ge=0)
    time_budget: float = Field(default=1800.0, gt=0)
    authority_level: Literal["bund", "land", "kreis", "gemeinde"]
    tags: tuple[str, ...] = ()
    schedule: str | None = None
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    accessibility: AccessibilitySettings = Field(default_factory=AccessibilitySettings)
    consent: ConsentSettings = Field(default_factory=ConsentSettings)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dict of the whole resolved target (lists, paths as strings)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> TargetConfig:
        """Rebuild a target from `to_json_dict()` output (raises pydantic.ValidationError if tampered)."""
        return cls.model_validate(data)

    def config_hash(self) -> str:
        """sha256 of the canonical JSON: equal for equal targets, whatever the key order in the file."""
        canonical = json.dumps(self.to_json_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()

    @property
    def first_party(self) -> FirstPartySet:
        """The authority's own hosts: first_party_hosts and their subdomains."""
        return FirstPartySet(self.first_party_hosts)


class ProjectConfig(BaseModel):
    """All targets of one configuration file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: Path
    targets: tuple[TargetConfig, ...]

    @property
    def names(self) -> list[str]:
        return [target.name for target in self.targets]

    def get(self, name: str) -> TargetConfig:
        for target in self.targets:
            if target.name == name:
                return target
        raise KeyError(f"unknown target {name!r}; known targets: {', '.join(map(repr, self.names))}")

    def select(self, names: list[str]) -> list[TargetConfig]:
        """The named targets in the order given (duplicates dropped); no names means all targets."""
        if not names:
            return list(self.targets)
        known = ", ".join(f'"{name}"' for name in self.names)
        problems = [
            ConfigProblem(
                self.path,
                None,
                "",
                f'unknown target "{name}"{v.suggestion(name, self.names)} (known targets: {known})',
            )
            for name in dict.fromkeys(names)
            if name not in self.names
        ]
        if problems:
            raise ConfigError(problems)
        return [self.get(name) for name in dict.fromkeys(names)]


# --- loading --------------------------------------------------------------------------------------

Parser = Callable[[Any], Any]


def _crawl_fields(base: Path) -> dict[str, Parser]:
    return {
        "concurrency": v.at_most(v.positive_int, MAX_CONCURRENCY),
        "per_host_concurrency": v.at_most(v.positive_int, MAX_CONCURRENCY),
        "request_delay": v.non_negative_seconds_up_to(MAX_DELAY_SECONDS),
        "page_timeout": v.positive_seconds_up_to(MAX_PAGE_SECONDS),
        "settle_quiet": v.non_negative_seconds_up_to(MAX_SETTLE_SECONDS),
        "settle_cap": v.positive_seconds_up_to(MAX_SETTLE_SECONDS),
        "max_probed_hosts": v.at_most(v.positive_int, MAX_PROBED_HOSTS),
        "respect_robots": v.boolean,
        "use_sitemaps": v.boolean,
        "drop_query_params": v.list_of(v.non_empty_string),
        "connect_to": v.list_of(v.connect_to),
        "ca_bundle": v.existing_file(base),
        "dns_servers": v.list_of(v.dns_server),
        "dns_trust_anchor": v.trust_anchor_file(base),
        "tls_profile": v.tls_profile,
    }


TARGET_FIELDS: dict[str, Parser] = {
    "name": v.non_empty_string,
    "start_urls": v.list_of(v.http_url, non_empty=True),
    "first_party_hosts": v.list_of(v.first_party_host, non_empty=True),
    "include": v.list_of(v.regex),
    "exclude": v.list_of(v.regex),
    "max_pages": v.at_most(v.positive_int, MAX_PAGES),
    "max_depth": v.non_negative_int,
    "time_budget": v.at_most(v.duration, MAX_TIME_BUDGET, " seconds (a week)"),
    "authority_level": v.authority_level,
    "tags": v.list_of(v.non_empty_string),
    "schedule": v.cron_schedule,
    "consent": consent_settings,
}
REQUIRED_TARGET_FIELDS = ("name", "start_urls", "authority_level")
CRAWL_KEYS = tuple(_crawl_fields(Path()))


class _Reader:
    """Collects problems while turning the raw TOML dict into models."""

    def __init__(self, path: Path, source: SourceMap) -> None:
        self.path, self.source = path, source
        self.problems: list[ConfigProblem] = []
        self.names: list[tuple[int, str]] = []  # (target number, name) of every named target
        self.crawl_fields = _crawl_fields(path.parent)
        self.accessibility_fields = accessibility_fields(path.parent)

    def report(
        self,
        section: Section,
        key: str,
        message: str,
        index: int | None = None,
        target: str | None = None,
        line: int | None = None,
    ) -> None:
        if line is None:  # callers pass a line only when they know better (the header for a missing key)
            line = self._locate(section, key, index)
        field = _field_path(section, key, index)
        self.problems.append(ConfigProblem(self.path, line, field, message, target))

    def _locate(self, section: Section, key: str, index: int | None) -> int | None:
        if index is not None:
            return self.source.element_line(section, key, index)
        if key:
            return self.source.key_line(section, key)
        return self.source.header_line(section)

    def check_keys(
        self, section: Section, raw: dict[str, Any], allowed: tuple[str, ...], target: str | None = None
    ) -> None:
        for key in raw:
            if key in allowed:
                continue
            if section == ("settings",) and key in TARGET_FIELDS:
                message = f"'{key}' is a per-target key and cannot be set in [settings]"
            else:
                message = f"unknown key '{key}'{v.suggestion(key, allowed)}"
            self.report(section, key, message, target=target)

    def parse_fields(
        self, section: Section, raw: dict[str, Any], fields: dict[str, Parser], target: str | None = None
    ) -> dict[str, Any]:
        values = {}
        for key, parse in fields.items():
            if key not in raw:
                continue
            try:
                values[key] = parse(raw[key])
            except v.Invalid as error:
                for index, message in error.problems:
                    self.report(section, key, message, index, target)
        return values

    def settings(self, raw: Any) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.report((), "settings", f"expected a table [settings], got {v.describe(raw)}")
            return {}
        self.check_keys(("settings",), raw, (*CRAWL_KEYS, *ACCESSIBILITY_KEYS))
        return self.parse_fields(("settings",), raw, {**self.crawl_fields, **self.accessibility_fields})

    def target(self, number: int, raw: Any, defaults: dict[str, Any]) -> TargetConfig | None:
        section: Section = ("target", number)
        if not isinstance(raw, dict):
            self.report(section, "", f"expected a table, got {v.describe(raw)}")
            return None
        before = len(self.problems)
        name = raw["name"].strip() if isinstance(raw.get("name"), str) and raw["name"].strip() else None
        if name:
            self.names.append((number, name))
        self.check_keys(section, raw, (*TARGET_FIELDS, *CRAWL_KEYS, *ACCESSIBILITY_KEYS), name)
        values = self.parse_fields(section, raw, TARGET_FIELDS, name)
        crawl = {**defaults, **self.parse_fields(section, raw, self.crawl_fields, name)}
        accessibility = {**defaults, **self.parse_fields(section, raw, self.accessibility_fields, name)}
        for key in REQUIRED_TARGET_FIELDS:
            if key not in raw:
                header = self.source.header_line(section)
                self.report(section, key, "missing required key", target=name, line=header)
        if "start_urls" in values and ("first_party_hosts" in values or "first_party_hosts" not in raw):
            self.check_start_hosts(section, values, name)
        if len(self.problems) > before:
            return None
        values["first_party_hosts"] = v.unique(values["first_party_hosts"])
        crawl = {key: value for key, value in crawl.items() if key in CRAWL_KEYS}
        return TargetConfig(
            **values, crawl=CrawlSettings(**crawl), accessibility=accessibility_settings(accessibility)
        )

    def check_start_hosts(self, section: Section, values: dict[str, Any], name: str | None) -> None:
        """Default first_party_hosts to the start URLs' hosts; otherwise they must cover them."""
        hosts = [v.url_host(url) for url in values["start_urls"]]
        if "first_party_hosts" not in values:
            values["first_party_hosts"] = v.unique(tuple(hosts))
            return
        allowed = values["first_party_hosts"]
        first_party = FirstPartySet(allowed)
        for index, host in enumerate(hosts):
            if not first_party.contains_host(host):
                listed = ", ".join(f'"{entry}"' for entry in allowed)
                self.report(
                    section,
                    "start_urls",
                    f'host "{host}" is not covered by first_party_hosts '
                    f"({listed}); add it or one of its parent domains",
                    index,
                    name,
                )

    def check_unique_names(self) -> None:
        first_seen: dict[str, int] = {}
        for number, name in self.names:
            if name not in first_seen:
                first_seen[name] = number
                continue
            other = first_seen[name]
            line = self.source.key_line(("target", other), "name")
            self.report(
                ("target", number),
                "name",
                f'duplicate name "{name}" (already used by target[{other}] at line {line})',
                target=name,
            )


def _field_path(section: Section, key: str, index: int | None) -> str:
    head = "settings" if section == ("settings",) else f"target[{section[1]}]" if section else ""
    path = ".".join(part for part in (head, key) if part)
    return f"{path}[{index + 1}]" if index is not None else path


def parse_targets(text: str, path: Path) -> ProjectConfig:
    """Validate the text of a targets file; `path` is used in messages and to resolve relative paths."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([syntax_problem(path, text, str(error))]) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        message = "arrays or inline tables are nested too deeply to read; expected a targets file"
        raise ConfigError([ConfigProblem(path, None, "", message)]) from None
    reader = _Reader(path, SourceMap(text))
    reader.check_keys((), raw, ("settings", "target"))
    defaults = reader.settings(raw.get("settings"))
    raw_targets = raw.get("target", [])
    if isinstance(raw_targets, dict):  # [target] instead of [[target]]
        reader.report((), "target", "use [[target]] (double brackets) for each target, not [target]")
        raw_targets = []
    elif not isinstance(raw_targets, list):
        reader.report((), "target", f"expected [[target]] tables, got {v.describe(raw_targets)}")
        raw_targets = []
    elif not raw_targets:
        reader.problems.append(ConfigProblem(path, None, "", "no targets; add at least one [[target]] table"))
    targets = [reader.target(n, item, defaults) for n, item in enumerate(raw_targets, 1)]
    reader.check_unique_names()
    if reader.problems:
        raise ConfigError(reader.problems)
    return ProjectConfig(path=path, targets=tuple(t for t in targets if t is not None))


def load_targets(path: Path) -> ProjectConfig:
    """Read and validate a targets file; every problem found is raised together as one ConfigError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(path, None, "", "file not found")]) from None
    except IsADirectoryError:
        raise ConfigError([ConfigProblem(path, None, "", "is a directory, expected a TOML file")]) from None
    except OSError as error:
        raise ConfigError([ConfigProblem(path, None, "", f"cannot read file: {error.strerror}")]) from None
    try:
        text = data.decode("utf-8-sig")  # tolerate a BOM from Windows editors
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError([ConfigProblem(path, line, "", "file is not valid UTF-8")]) from None
    return parse_targets(text, path)
