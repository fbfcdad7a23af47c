"""Finding fingerprints: the identity of "the same problem in the same place" across scans.

Trends, diffs (new / fixed / persisting), template grouping and review decisions all key on the
fingerprint, so its inputs must not change between two scans of an unchanged site:

- the check id;
- where: for page checks the page's host and path with its query (after the crawler's
  normalisation; scheme and fragment ignored), plus the scenario when it is not the first visit;
  ``host:port`` for host checks; ``site`` for site checks;
- what: the subject (a host, cookie or header name); else the normalised selector together with
  the element's normalised start tag; else a normalised snippet.

Recipe "v2" (``RECIPE``, recorded in every scan's ``engine_versions["fingerprint"]``). It differs
from "v1" in one point: v1 keyed an element on its selector alone, and the selector loses its
positions (``:nth-child(3)``) so that inserting content above does not move it. That made
different elements with the same selector (three images in ``main > p > img``) identical, and only
an occurrence counter in page order told them apart: inserting a fourth such image *above* them
shifted every counter, so the wrong image was reported as new and a review decision moved to an
element nobody had judged. v2 adds the element's start tag (tag name and attributes, without
values that change on every visit: styles, nonces, form values, data-* state, URL queries), so
distinct elements get distinct fingerprints and the counter only separates elements that are
indistinguishable anyway. Text inside the element is left out: an edited paragraph stays the
same element.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from scanner.evidence import Scenario

RECIPE = "v2"

_WHITESPACE = re.compile(r"\s+")
_NTH = re.compile(r":nth-(child|of-type|last-child|last-of-type)\(\d+\)")
# Attributes whose values change between visits without the element changing.
_VOLATILE_ATTRIBUTES = frozenset(
    {"style", "nonce", "value", "aria-expanded", "aria-selected", "aria-pressed", "aria-checked", "tabindex"}
)
_URL_ATTRIBUTES = frozenset({"src", "href", "action", "poster", "data", "srcset"})
MAX_ATTRIBUTE_VALUE = 200


class Located(Protocol):
    """What the fingerprint reads of a finding: a check's ``Finding`` or a stored finding row."""

    subject: str | None
    selector: str | None
    snippet: str | None


def page_location(url: str, scenario: Scenario | str = Scenario.FIRST_VISIT) -> str:
    parts = urlsplit(url)
    location = f"{(parts.hostname or '').lower()}{parts.path or '/'}"
    if parts.query:
        location += f"?{parts.query}"
    scenario_value = scenario.value if isinstance(scenario, Scenario) else scenario
    if scenario_value and scenario_value != Scenario.FIRST_VISIT.value:
        location += f"#{scenario_value}"
    return location


def normalise_selector(selector: str) -> str:
    """Positions (``:nth-child(3)``) move when content is added above; the element stays the same."""
    return _WHITESPACE.sub(" ", _NTH.sub("", selector)).strip()


def normalise_snippet(snippet: str) -> str:
    return _WHITESPACE.sub(" ", snippet).strip()[:500]


def start_tag(snippet: str | None) -> str:
    """The element's opening tag, normalised: ``<img alt src="/a.png">`` from ``<IMG src='/a.png?v=3' alt>``.

    Attributes sorted, volatile ones dropped, URL queries and fragments cut, whitespace collapsed.
    A snippet that does not start with a tag (text, a truncated tag) yields its normalised prefix.
    """
    if not snippet:
        return ""
    if not snippet.lstrip().startswith("<"):
        return normalise_snippet(snippet)[:200]
    reader = _FirstTag()
    try:
        reader.feed(snippet.strip()[:4000])
        reader.close()
    except Exception:  # malformed markup from a page: fall back to its text
        reader.tag = None
    if reader.tag is None:
        return normalise_snippet(snippet)[:200]
    attributes = []
    for name, value in sorted(reader.attributes):
        if name in _VOLATILE_ATTRIBUTES or name.startswith("data-"):
            continue
        if value is None:
            attributes.append(name)
            continue
        if name in _URL_ATTRIBUTES:
            value = _without_query(value)
        value = _WHITESPACE.sub(" ", value).strip()[:MAX_ATTRIBUTE_VALUE]
        attributes.append(f'{name}="{value}"')
    return "<" + " ".join([reader.tag, *attributes]) + ">"


def anchor(finding: Located) -> str:
    """What the finding is about, without where: also the key of template groups across pages."""
    if finding.subject:
        return f"subject:{finding.subject}"
    if finding.selector:
        return f"selector:{normalise_selector(finding.selector)}|{start_tag(finding.snippet)}"
    if finding.snippet:
        return f"snippet:{normalise_snippet(finding.snippet)}"
    return ""


def fingerprint(check_id: str, location: str, finding: Located, occurrence: int = 0) -> str:
    """``occurrence`` tells apart findings that would otherwise be identical on one page."""
    parts = [RECIPE, check_id, location, anchor(finding)]
    if occurrence:
        parts.append(str(occurrence))
    return _digest(parts)


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _without_query(value: str) -> str:
    if "?" not in value and "#" not in value:
        return value
    parts = urlsplit(value)
    return urlunsplit(parts._replace(query="", fragment=""))


class _FirstTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: str | None = None
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag, self.attributes = tag, attrs

    handle_startendtag = handle_starttag
