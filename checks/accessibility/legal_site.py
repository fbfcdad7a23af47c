"""What the legal-layer site checks share: the obligations policy and one pass over the stored pages.

Site checks never fetch: a statement, Leichte-Sprache or DGS page that the crawl did not reach is
reported as "not crawled" (review, with the reason), never looked up on the side.
"""

from __future__ import annotations

import re
import tomllib
import weakref
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup

from checks.accessibility.review_notes import ADVISORY
from checks.accessibility.statement_text import StatementLink
from scanner.crawl.urls import normalise_url
from scanner.evidence import Link, PageKind
from scanner.findings.registry import CheckContext, Finding, Result, Severity, SiteEvidence
from scanner.findings.review import with_note

_I = re.IGNORECASE
STATEMENT_TEXT = re.compile(
    r"erkl(?:ä|ae)rung\s+zur\s+(?:digitalen\s+)?barrierefreiheit|barrierefreiheitserkl(?:ä|ae)rung"
    r"|^barrierefreiheit$|accessibility\s+statement|^accessibility$",
    _I,
)
STATEMENT_HREF = re.compile(r"barrierefreiheit|barrierefrei|accessibility", _I)
EASY_LANGUAGE = re.compile(r"leichte[rn]?\s+sprache|easy[- ]to[- ]read|easy\s+language", _I)
EASY_LANGUAGE_HREF = re.compile(r"leichte-?sprache", _I)
SIGN_LANGUAGE = re.compile(r"geb(?:ä|ae)rdensprache|\bDGS\b|sign\s+language", _I)
SIGN_LANGUAGE_HREF = re.compile(r"geb(?:ae|ä)rdensprache|/dgs\b", _I)
FEEDBACK_TEXT = re.compile(
    r"barrieren?\s+melden|feedback|rückmeldung|kontakt|contact|report\s+(?:a\s+)?barrier", _I
)
VIDEO_HOSTS = re.compile(r"youtube(?:-nocookie)?\.com|vimeo\.com|dailymotion\.com|\.mp4\b|\.webm\b", _I)
VIDEO_FILES = (".mp4", ".webm", ".m4v", ".mov")  # a downloadable video (BITV 2.0 Anlage 2 Teil 1 Nr. 7)


def is_statement_link(link: Link) -> bool:
    if link.href.lower().startswith(("mailto:", "tel:")):
        return False
    text = link.text.strip()
    if STATEMENT_TEXT.search(text):
        return True
    return bool(STATEMENT_HREF.search(urlsplit(link.href).path)) and "barrierefrei" in text.lower()


def is_easy_language_link(link: Link) -> bool:
    return bool(EASY_LANGUAGE.search(link.text) or EASY_LANGUAGE_HREF.search(urlsplit(link.href).path))


def is_sign_language_link(link: Link) -> bool:
    return bool(SIGN_LANGUAGE.search(link.text) or SIGN_LANGUAGE_HREF.search(urlsplit(link.href).path))


def is_feedback_link(link: Link) -> bool:
    return bool(FEEDBACK_TEXT.search(link.text)) or link.href.lower().startswith("mailto:")


# --- policy -------------------------------------------------------------------------------------


@cache
def _policy_table() -> dict[str, dict[str, str]]:
    path = Path(__file__).parent / "data" / "legal_obligations.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def obligation(context: CheckContext, name: str) -> str:
    """required | advisory | off: the target's own setting, else its authority level's policy."""
    settings = context.accessibility
    if settings is not None and name in settings.obligations:
        return settings.obligations[name]
    return _policy_table().get(context.authority_level or "", {}).get(name, "required")


def under_policy(findings: list[Finding], level: str) -> list[Finding]:
    """Advisory obligations never fail: their findings become reviews of minor severity."""
    if level != "advisory":
        return findings
    # A recommendation is a review for a reason of its own, whatever the check's note says.
    return [
        with_note(replace(finding, result=Result.REVIEW, severity=Severity.MINOR), ADVISORY)
        for finding in findings
    ]


# --- one pass over the stored pages --------------------------------------------------------------


def page_key(url: str) -> str:
    without_fragment = urldefrag(url)[0]
    return normalise_url(without_fragment) or without_fragment


@dataclass(frozen=True)
class StoredPage:
    url: str
    final_url: str
    kind: PageKind
    testable: bool
    failure: str | None  # failure class and detail, for "not testable" pages
    links: tuple[Link, ...]


@dataclass
class SiteIndex:
    pages: list[StoredPage] = field(default_factory=list)
    by_url: dict[str, StoredPage] = field(default_factory=dict)

    @property
    def html_pages(self) -> list[StoredPage]:
        return [page for page in self.pages if page.kind is PageKind.HTML and page.testable]

    def find(self, url: str) -> StoredPage | None:
        return self.by_url.get(page_key(url))

    def homepages(self, context: CheckContext) -> list[StoredPage]:
        return [page for url in context.start_urls if (page := self.find(url)) is not None]


_INDEXES: weakref.WeakKeyDictionary[object, SiteIndex] = weakref.WeakKeyDictionary()


def site_index(site: SiteEvidence) -> SiteIndex:
    """Built once per scan and shared by the legal-layer checks (they read the same pages)."""
    if site not in _INDEXES:
        index = SiteIndex()
        for capture in site.pages():
            stored = StoredPage(
                url=capture.url,
                final_url=capture.final_url,
                kind=capture.kind,
                testable=capture.is_testable,
                failure=None
                if capture.is_testable
                else f"{capture.failure_class.value if capture.failure_class else 'unknown'}: "
                f"{capture.failure_detail or ''}".strip(),
                links=capture.links,
            )
            index.pages.append(stored)
            for url in (capture.url, capture.final_url):
                index.by_url.setdefault(page_key(url), stored)
        _INDEXES[site] = index
    return _INDEXES[site]


@dataclass(frozen=True)
class PageText:
    text: str
    links: list[StatementLink]
    has_video: bool


def page_texts(site: SiteEvidence, urls: set[str]) -> dict[str, PageText]:
    """Main text, links and video presence of a few stored pages (by page_key of url or final URL)."""
    wanted = {page_key(url) for url in urls}
    found: dict[str, PageText] = {}
    for capture in site.pages(with_dom=True):
        keys = {page_key(capture.url), page_key(capture.final_url)} & wanted
        if keys and capture.dom_html:
            text = main_text(capture.dom_html)
            for key in keys:
                found[key] = text
    return found


def main_text(html: str) -> PageText:
    """The text of <main> (else <body>): headers and footers carry template dates and links."""
    soup = BeautifulSoup(html, "lxml")
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup
    text = " ".join(root.get_text(" ").split())
    links = [StatementLink(a.get("href", ""), " ".join(a.get_text(" ").split())) for a in root.find_all("a")]
    media = root.find_all(["video", "iframe", "object", "embed"])
    has_video = any(
        element.name == "video" or VIDEO_HOSTS.search(element.get("src", "") or element.get("data", ""))
        for element in media
    ) or any(urlsplit(link.href).path.lower().endswith(VIDEO_FILES) for link in links)
    return PageText(text, links, has_video)
