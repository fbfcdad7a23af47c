"""Which axe-core govscan runs, in which version, with which rules and which messages.

The axe source comes from the PyPI package ``axe-playwright-python`` (pinned; it bundles
``axe.min.js``), or from a newer ``axe.min.js`` named by the ``axe_script`` configuration key. The
German messages are axe-core's own locale of the same version, vendored in ``locales/`` (MPL-2.0,
see ``locales/NOTICE.txt``). A locale of another version would leave rules untranslated or
mistranslated, so a mismatch is recorded in the scan's engine versions.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

BUNDLED_PACKAGE = "axe-playwright-python"
LOCALE_AXE_VERSION = "4.12.1"  # the axe-core version whose locales/de.json is vendored here
LOCALE_FILE = Path(__file__).parent / "locales" / "de.json"

_VERSION_BANNER = re.compile(r"/\*!\s*axe\s+v(\d+\.\d+\.\d+[^\s]*)")

# axe tags per conformance target. EN 301 549 V3.2.1 (the BITV 2.0 baseline) is WCAG 2.1 AA.
# best-practice rules run too, but stay a category of their own outside conformance.
WCAG_TAGS: dict[str, tuple[str, ...]] = {
    "2.1": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"),
    "2.2": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"),
}
BEST_PRACTICE_TAG = "best-practice"
WCAG_VERSIONS = tuple(WCAG_TAGS)
DEFAULT_WCAG_VERSION = "2.1"
# Rules axe keeps disabled by default that the WCAG 2.2 target switches on: target-size is the
# one automated rule for a new WCAG 2.2 criterion (2.5.8).
ENABLED_FOR = {"2.2": ("target-size",)}
SKIPPED_TAGS = frozenset({"experimental", "deprecated"})


class AxeSourceError(ValueError):
    """The axe script cannot be used (missing, unreadable, or not axe-core)."""


@dataclass(frozen=True)
class AxeSource:
    text: str
    version: str
    sha256: str
    origin: str  # "axe-playwright-python 0.1.8" or the path of the configured file

    def describe(self) -> dict[str, str]:
        return {"version": self.version, "origin": self.origin, "sha256": self.sha256}


def run_tags(wcag_version: str) -> tuple[str, ...]:
    return (*WCAG_TAGS[wcag_version], BEST_PRACTICE_TAG)


def runs_rule(rule: dict[str, Any], wcag_version: str) -> bool:
    """Whether a scan with this WCAG target runs the rule (experimental and deprecated rules never).

    ``rule`` as axe lists it (``scanner.capture.axe.rules.list_rules``): id, tags, enabled.
    """
    tags = set(rule["tags"])
    wanted = set(WCAG_TAGS[wcag_version]) | {BEST_PRACTICE_TAG}
    if not tags & wanted or tags & SKIPPED_TAGS:
        return False
    return bool(rule.get("enabled", True)) or rule["id"] in ENABLED_FOR.get(wcag_version, ())


def enabled_rule_ids(rules: list[dict[str, Any]], wcag_version: str) -> list[str]:
    return [rule["id"] for rule in rules if runs_rule(rule, wcag_version)]


def ruleset_hash(rules: list[dict[str, Any]], wcag_version: str) -> str:
    """sha256 over the ids and tags of the rules a scan runs: changes when axe's rules change."""
    chosen = [[rule["id"], sorted(rule["tags"])] for rule in rules if runs_rule(rule, wcag_version)]
    return hashlib.sha256(json.dumps(chosen, separators=(",", ":")).encode("utf-8")).hexdigest()


def axe_version_of(text: str) -> str | None:
    match = _VERSION_BANNER.search(text[:2000])
    return match[1] if match else None


@cache
def load_axe_source(path: Path | None = None) -> AxeSource:
    """The configured ``axe.min.js``, else the one bundled with axe-playwright-python."""
    if path is None:
        bundled = resources.files("axe_playwright_python").joinpath("axe.min.js")
        text = bundled.read_text(encoding="utf-8")
        origin = f"{BUNDLED_PACKAGE} {metadata.version(BUNDLED_PACKAGE)}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise AxeSourceError(f"cannot read axe script {path}: {error}") from None
        origin = str(path)
    version = axe_version_of(text)
    if version is None:
        raise AxeSourceError(f"{origin} does not start with an axe-core banner ('/*! axe vX.Y.Z')")
    return AxeSource(text, version, hashlib.sha256(text.encode("utf-8")).hexdigest(), origin)


@cache
def german_locale() -> dict[str, Any]:
    return json.loads(LOCALE_FILE.read_text(encoding="utf-8"))


def locale_record(axe_version: str) -> dict[str, Any]:
    """What the engine versions say about the messages: the locale's version and whether it fits."""
    digest = hashlib.sha256(LOCALE_FILE.read_bytes()).hexdigest()
    return {
        "language": "de",
        "axe_version": LOCALE_AXE_VERSION,
        "sha256": digest,
        "matches_engine": axe_version == LOCALE_AXE_VERSION,
    }
