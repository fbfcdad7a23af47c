"""Finding fingerprints: the identity of "the same problem in the same place" across scans.

Trends, diffs (new / fixed / persisting), template grouping and review decisions all key on the
fingerprint, so its inputs must not change between two scans of an unchanged site:

- the check id;
- where: for page checks the page's host and path with its query (after the crawler's
  normalisation; scheme and fragment ignored), plus the scenario when it is not the first visit;
  ``host:port`` for host checks; ``site`` for site checks;
- what: the subject (a host, cookie or header name) or the normalised selector, else a
  normalised snippet.

Version prefix "v1" keeps room for a deliberate, migrated change of the recipe.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from scanner.evidence import Scenario
from scanner.registry import Finding

_WHITESPACE = re.compile(r"\s+")
_NTH = re.compile(r":nth-(child|of-type)\(\d+\)")


def page_location(url: str, scenario: Scenario = Scenario.FIRST_VISIT) -> str:
    parts = urlsplit(url)
    location = f"{(parts.hostname or '').lower()}{parts.path or '/'}"
    if parts.query:
        location += f"?{parts.query}"
    if scenario is not Scenario.FIRST_VISIT:
        location += f"#{scenario.value}"
    return location


def normalise_selector(selector: str) -> str:
    """Positions (``:nth-child(3)``) move when content is added above; the element stays the same."""
    return _WHITESPACE.sub(" ", _NTH.sub("", selector)).strip()


def normalise_snippet(snippet: str) -> str:
    return _WHITESPACE.sub(" ", snippet).strip()[:500]


def anchor(finding: Finding) -> str:
    if finding.subject:
        return f"subject:{finding.subject}"
    if finding.selector:
        return f"selector:{normalise_selector(finding.selector)}"
    if finding.snippet:
        return f"snippet:{normalise_snippet(finding.snippet)}"
    return ""


def fingerprint(check_id: str, location: str, finding: Finding, occurrence: int = 0) -> str:
    """``occurrence`` tells apart findings that would otherwise be identical on one page."""
    parts = ["v1", check_id, location, anchor(finding)]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
