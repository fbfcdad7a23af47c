"""The W3C ACT Rules test cases: ``testcases.json`` read into plain records, and the files they need.

A cases directory mirrors ``https://www.w3.org/WAI/content-assets/wcag-act-rules/``: ``testcases.json``,
``testcases/<rule id>/<case id>.html`` and the ``test-assets/`` the cases refer to (by relative URLs,
root-relative ``/WAI/...`` URLs or the full w3.org URL). Nothing here touches the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

W3C_BASE = "https://www.w3.org/WAI/content-assets/wcag-act-rules/"
TESTCASES_URL = W3C_BASE + "testcases.json"
W3C_HOST = urlsplit(W3C_BASE).hostname or "www.w3.org"
EXPECTED = ("passed", "failed", "inapplicable")
# Files whose text may name further files of the test assets (an iframe's page, a stylesheet's image).
TEXT_SUFFIXES = (".html", ".htm", ".xhtml", ".svg", ".xml", ".css", ".js")

_ATTRIBUTE = re.compile(r"""\b(?:src|href|data|poster|action)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)""", re.I)
_SRCSET = re.compile(r"""\bsrcset\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


@dataclass(frozen=True)
class ActCase:
    rule_id: str
    rule_name: str
    case_id: str
    title: str
    expected: str  # passed, failed or inapplicable
    relative_path: str  # "testcases/<rule id>/<case id>.html", below W3C_BASE
    url: str  # where the W3C publishes it (and where the benchmark serves it)
    approved: bool
    requirements: tuple[str, ...]  # conformance requirements: "wcag20:1.1.1", "wcag21:2.5.3", ...

    @property
    def expected_failure(self) -> bool:
        return self.expected == "failed"


def parse_testcases(data: dict[str, Any]) -> list[ActCase]:
    """Every test case of a ``testcases.json`` document, in its order; unknown fields are ignored."""
    cases = []
    for raw in data.get("testcases", ()):
        expected = raw["expected"]
        if expected not in EXPECTED:
            raise ValueError(f"test case {raw.get('testcaseId')}: unknown expected outcome {expected!r}")
        requirements = raw.get("ruleAccessibilityRequirements") or {}
        relative = raw["relativePath"].lstrip("/")
        cases.append(
            ActCase(
                rule_id=raw["ruleId"],
                rule_name=raw.get("ruleName", ""),
                case_id=raw["testcaseId"],
                title=raw.get("testcaseTitle", ""),
                expected=expected,
                relative_path=relative,
                url=raw.get("url") or W3C_BASE + relative,
                # older files spell it "isApproved"; a rule without the flag is a proposed one
                approved=bool(raw.get("approved", raw.get("isApproved", False))),
                requirements=tuple(
                    sorted(key for key, value in requirements.items() if _for_conformance(value))
                ),
            )
        )
    return cases


def _for_conformance(value: Any) -> bool:
    # A requirement with "secondary" text is related, not one the rule tests for conformance.
    return (
        isinstance(value, dict)
        and "secondary" not in value
        and value.get("forConformance", True) is not False
    )


def asset_references(text: str, base_url: str) -> set[str]:
    """Absolute URLs below W3C_BASE that ``text`` (HTML, SVG or CSS at ``base_url``) refers to."""
    patterns = (_ATTRIBUTE, _CSS_URL, _IMPORT)
    references = [_first(match) for pattern in patterns for match in pattern.finditer(text)]
    for match in _SRCSET.finditer(text):  # "a.png 1x, b.png 2x"
        references += [candidate.split()[0] for candidate in _first(match).split(",") if candidate.strip()]
    found: set[str] = set()
    for reference in references:
        if not reference or reference.startswith(("#", "data:", "javascript:", "mailto:", "tel:")):
            continue
        url = urldefrag(urljoin(base_url, reference)).url.split("?")[0]
        if url.startswith("http://"):  # the W3C serves everything over https
            url = "https://" + url[len("http://") :]
        if url.startswith(W3C_BASE) and url != base_url:
            found.add(url)
    return found


def _first(match: re.Match[str]) -> str:
    return next((group for group in match.groups() if group is not None), "").strip()


def local_path(cases_dir: Path, url: str) -> Path | None:
    """Where the file of ``url`` lives in a cases directory (None: not below W3C_BASE or outside it)."""
    if not url.startswith(W3C_BASE):
        return None
    relative = url[len(W3C_BASE) :]
    if relative.endswith("/"):
        relative += "index.html"  # as the server answers a folder
    path = (cases_dir / relative).resolve()
    return path if path.is_relative_to(cases_dir.resolve()) and relative else None


def find_cases_dir(given: Path) -> Path:
    """A cases directory, or a checkout of w3c/wcag-act-rules (its ``content-assets/wcag-act-rules``)."""
    for candidate in (given, given / "content-assets" / "wcag-act-rules"):
        if (candidate / "testcases.json").is_file():
            return candidate
    raise FileNotFoundError(f"{given}: no testcases.json (nor content-assets/wcag-act-rules/testcases.json)")


def has_iframe(text: str) -> bool:
    return re.search(r"<iframe\b", text, re.I) is not None


def case_rules(cases: Iterable[ActCase]) -> dict[str, str]:
    """ACT rule id -> rule name, in the order the rules first appear."""
    names: dict[str, str] = {}
    for case in cases:
        names.setdefault(case.rule_id, case.rule_name)
    return names
