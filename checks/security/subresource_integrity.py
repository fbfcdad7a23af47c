"""security.sri-missing: third-party scripts embedded without Subresource Integrity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from checks.security.review_notes import NOTES
from scanner.evidence import PageCapture
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
)

# A version or a content hash in the path: the file at this address never changes, so it can carry
# a fixed hash ("/npm/x@1.0.0/x.min.js", "/jquery/3.6.0/", "app-2.1.js", "main.4f3a9c2b.js").
VERSIONED = re.compile(r"(?:[@/_.-]v?\d+\.\d+(?:\.\d+)*(?=[/._-]|$))|(?:[._-][0-9a-f]{8,}(?=\.))", re.I)
REASONS = {
    "dynamic": Text(
        "dynamische Adresse, SRI nicht anwendbar",
        "dynamic address, SRI not applicable",
    ),
    "unversioned": Text(
        "Adresse ohne Version: der Anbieter ändert den Inhalt laufend, ein fester Hash würde das Skript "
        "brechen; zu prüfen ist, ob es nötig ist oder eine feste Version selbst gehostet werden kann",
        "address without a version: the vendor changes its content all the time and a fixed hash would "
        "break it; review whether it is needed, or whether a fixed version can be hosted here",
    ),
}


def _why_no_sri(query: str, path: str) -> str | None:
    """Why SRI cannot apply to this address (a review), or None when it can (a defect)."""
    if query:
        return "dynamic"
    if not VERSIONED.search(path):
        return "unversioned"  # vendor loaders: pixels, tag managers, captcha api.js
    return None


@check(
    id="security.sri-missing",
    review=NOTES["security.sri-missing"],
    family=Family.SECURITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(law=("DSGVO Art. 32",), standards=("W3C Subresource Integrity", "BSI APP.3.1")),
    doc=CheckDoc(
        title=Text(
            "Fremdes Skript ohne Integritätsprüfung (SRI)", "Third-party script without integrity (SRI)"
        ),
        what=Text(
            "Die Seite bindet ein Skript von einem fremden Host per <script src> ohne integrity-Attribut "
            "ein. Ein Mangel ist das bei Dateien mit fester Version in der Adresse (Versionsnummer oder "
            "Inhalts-Hash), denn nur sie können einen festen Hash tragen. Skripte, deren Adresse "
            "Parameter trägt (Tag-Manager) oder keine Version nennt (Pixel, Captcha-api.js), ändern "
            "sich laufend und können kein SRI nutzen: sie sind zu prüfen, mit dem Grund.",
            "The page includes a script from a third-party host with <script src> and no integrity "
            "attribute. It is a defect for files with a fixed version in their address (a version "
            "number or a content hash), since only they can carry a fixed hash. Scripts whose address "
            "carries parameters (tag managers) or names no version (pixels, captcha api.js) change all "
            "the time and cannot use SRI: they are for review, with the reason.",
        ),
        why=Text(
            "Wird der fremde Server kompromittiert, läuft fremder Code mit allen Rechten auf der "
            "Behördenseite (Formulare, Eingaben). W3C Subresource Integrity; DSGVO Art. 32.",
            "If the third-party server is compromised, foreign code runs with full rights on the "
            "authority's page (forms, input). W3C Subresource Integrity; GDPR Art. 32.",
        ),
        how_to_fix=Text(
            'Das Skript selbst hosten, oder eine feste Version mit integrity="sha384-…" und '
            'crossorigin="anonymous" einbinden.',
            'Host the script yourself, or include a fixed version with integrity="sha384-…" and '
            'crossorigin="anonymous".',
        ),
        example='<script src="https://cdn.jsdelivr.net/npm/x@1.0.0/x.min.js"></script>',
    ),
)
def sri_missing(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    if not capture.dom_html:
        return
    for script in BeautifulSoup(capture.dom_html, "lxml").find_all("script", src=True):
        url = urljoin(capture.final_url, script["src"].strip())
        if not urlsplit(url).scheme.startswith("http") or not context.first_party.is_third_party_url(url):
            continue
        if script.get("integrity"):
            continue
        address = urlsplit(url)
        host = address.hostname
        reason = _why_no_sri(address.query, address.path)
        yield Finding(
            result=Result.REVIEW if reason else Result.FAIL,
            severity=Severity.MINOR if reason else None,
            message=Text(
                f"Skript von {host} ohne integrity-Attribut"
                + (f" ({REASONS[reason].de})." if reason else "."),
                f"Script from {host} without integrity attribute"
                + (f" ({REASONS[reason].en})." if reason else "."),
            ),
            subject=url.split("?", 1)[0],
            snippet=str(script)[:300],
            evidence={
                "url": url.split("?", 1)[0],
                "host": host,
                "dynamic": reason == "dynamic",
                "versioned": reason is None,
                "review_reason": reason,
                "crossorigin": script.get("crossorigin"),
            },
        )
