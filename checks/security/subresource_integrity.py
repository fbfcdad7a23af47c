"""security.sri-missing: third-party scripts embedded without Subresource Integrity."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

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


@check(
    id="security.sri-missing",
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
            "ein. Skripte, deren Adresse Parameter trägt (z. B. Tag-Manager), ändern sich laufend und "
            "können kein SRI nutzen: sie sind zu prüfen.",
            "The page includes a script from a third-party host with <script src> and no integrity "
            "attribute. Scripts whose address carries parameters (e.g. tag managers) change all the time "
            "and cannot use SRI: they are for review.",
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
        dynamic = bool(urlsplit(url).query)
        host = urlsplit(url).hostname
        yield Finding(
            result=Result.REVIEW if dynamic else Result.FAIL,
            severity=Severity.MINOR if dynamic else None,
            message=Text(
                f"Skript von {host} ohne integrity-Attribut"
                + (" (dynamische Adresse, SRI nicht anwendbar)." if dynamic else "."),
                f"Script from {host} without integrity attribute"
                + (" (dynamic address, SRI not applicable)." if dynamic else "."),
            ),
            subject=url.split("?", 1)[0],
            snippet=str(script)[:300],
            evidence={
                "url": url.split("?", 1)[0],
                "host": host,
                "dynamic": dynamic,
                "crossorigin": script.get("crossorigin"),
            },
        )
