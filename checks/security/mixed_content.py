"""security.mixed-content: an https page that loads or submits to plain http (DOM and console).

Chromium upgrades passive mixed content (images, media) to https on its own and blocks active
content, so the network log alone hides both: the DOM keeps the http:// attribute, and the
console says what Chromium did ("automatically upgraded", "blocked", "form ... insecure endpoint").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

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

# (tag, attribute) -> kind; passive content is what Chromium upgrades, active what it blocks
DOM_SOURCES = {
    ("img", "src"): "passive",
    ("img", "srcset"): "passive",
    ("audio", "src"): "passive",
    ("video", "src"): "passive",
    ("video", "poster"): "passive",
    ("source", "src"): "passive",
    ("track", "src"): "passive",
    ("script", "src"): "active",
    ("iframe", "src"): "active",
    ("frame", "src"): "active",
    ("embed", "src"): "active",
    ("object", "data"): "active",
    ("link", "href"): "active",  # only stylesheets, icons and preloads, see _link_loads
    ("form", "action"): "form",
}
CONSOLE = re.compile(
    r"Mixed Content: The page at '(?P<page>[^']*)' was loaded over (a secure connection|HTTPS), but "
    r"(?:requested an insecure (?P<what>[\w -]+?) '(?P<url>[^']*)'|contains a form (?:that|which) targets an "
    r"insecure endpoint '(?P<form>[^']*)')"
)
PASSIVE_WORDS = ("element", "image", "video", "audio")
SEVERITY = {"active": Severity.SERIOUS, "form": Severity.SERIOUS, "passive": Severity.MODERATE}


# Whole sentences by (kind, upgraded by the browser); {url} is the http:// address.
MESSAGES = {
    ("active", False): Text(
        "Die Seite lädt aktiven Inhalt über http://: {url}.",
        "The page loads active content over http://: {url}.",
    ),
    ("active", True): Text(
        "Die Seite lädt aktiven Inhalt über http://: {url} (von Chromium auf HTTPS umgestellt).",
        "The page loads active content over http://: {url} (upgraded to HTTPS by Chromium).",
    ),
    ("passive", False): Text(
        "Die Seite lädt ein Bild oder Medium über http://: {url}.",
        "The page loads an image or media over http://: {url}.",
    ),
    ("passive", True): Text(
        "Die Seite lädt ein Bild oder Medium über http://: {url} (von Chromium auf HTTPS umgestellt).",
        "The page loads an image or media over http://: {url} (upgraded to HTTPS by Chromium).",
    ),
    ("form", False): Text(
        "Die Seite sendet ein Formular an http://: {url}.", "The page submits a form to http://: {url}."
    ),
    ("form", True): Text(
        "Die Seite sendet ein Formular an http://: {url} (von Chromium auf HTTPS umgestellt).",
        "The page submits a form to http://: {url} (upgraded to HTTPS by Chromium).",
    ),
}


@check(
    id="security.mixed-content",
    family=Family.SECURITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(law=("DSGVO Art. 32",), standards=("W3C Mixed Content",)),
    doc=CheckDoc(
        title=Text("Gemischte Inhalte auf HTTPS-Seiten", "Mixed content on HTTPS pages"),
        what=Text(
            "Eine HTTPS-Seite bindet Skripte, Stylesheets oder Frames über http:// ein (aktiv, vom Browser "
            "blockiert), Bilder oder Medien über http:// (passiv, von Chromium still auf HTTPS "
            "umgestellt) oder schickt ein Formular an eine http://-Adresse. Quelle sind das DOM und die "
            "Konsolenmeldungen des Browsers.",
            "An HTTPS page includes scripts, stylesheets or frames over http:// (active, blocked by the "
            "browser), images or media over http:// (passive, silently upgraded to HTTPS by Chromium) "
            "or submits a form to an http:// address. Sources are the DOM and the browser's console.",
        ),
        why=Text(
            "Unverschlüsselt geladene Inhalte können unterwegs verändert werden; Formulardaten an http:// "
            "gehen im Klartext über das Netz. Andere Browser stellen nicht automatisch um, Teile der "
            "Seite fehlen dann. W3C Mixed Content; DSGVO Art. 32.",
            "Content loaded without encryption can be altered on the way; form data sent to http:// "
            "crosses the network in clear text. Other browsers do not upgrade automatically, so parts "
            "of the page go missing. W3C Mixed Content; GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "Alle Adressen auf https:// oder relative Pfade umstellen; zusätzlich die CSP-Direktive "
            "'upgrade-insecure-requests' setzen.",
            "Change every address to https:// or a relative path; also set the CSP directive "
            "'upgrade-insecure-requests'.",
        ),
        example='<form action="http://www.example.de/kontakt/senden.php" method="post">',
    ),
)
def mixed_content(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    if not capture.final_url.startswith("https:"):
        return
    found: dict[str, dict] = {}
    for kind, url, snippet in _from_dom(capture):
        found.setdefault(url, {"kind": kind, "sources": [], "snippet": snippet})["sources"].append("dom")
    for kind, url, note in _from_console(capture):
        entry = found.setdefault(url, {"kind": kind, "sources": [], "snippet": None})
        entry["sources"].append("console")
        entry["browser"] = note
    for url, entry in sorted(found.items()):
        kind = entry["kind"]
        upgraded = entry.get("browser") == "upgraded"
        template = MESSAGES[kind, upgraded]
        yield Finding(
            result=Result.FAIL,
            severity=SEVERITY[kind],
            message=Text(template.de.format(url=url), template.en.format(url=url)),
            subject=url,
            snippet=entry["snippet"],
            evidence={"kind": kind, "url": url, "sources": entry["sources"], "browser": entry.get("browser")},
        )


def _from_dom(capture: PageCapture) -> Iterator[tuple[str, str, str]]:
    if not capture.dom_html:
        return
    document = BeautifulSoup(capture.dom_html, "lxml")
    for (tag, attribute), kind in DOM_SOURCES.items():
        for element in document.find_all(tag):
            value = element.get(attribute)
            if not value or (tag == "link" and not _link_loads(element)):
                continue
            candidates = (
                [part.split()[0] for part in value.split(",") if part.split()]
                if attribute == "srcset"
                else [value]
            )
            for candidate in candidates:
                url = urljoin(capture.final_url, candidate.strip())
                if url.startswith("http:"):
                    yield kind, url, str(element)[:300]


def _link_loads(element) -> bool:
    relations = {word.lower() for word in element.get("rel") or []}
    return bool(relations & {"stylesheet", "icon", "preload", "modulepreload", "manifest"})


def _from_console(capture: PageCapture) -> Iterator[tuple[str, str, str]]:
    page = capture.final_url.split("#")[0]
    for message in capture.console:
        match = CONSOLE.search(message.text)
        if not match or match["page"].split("#")[0] != page:
            continue  # an embedded third-party frame's own mixed content is not this page's
        if match["form"] is not None:
            yield "form", match["form"], "warned"
            continue
        passive = any(word in (match["what"] or "") for word in PASSIVE_WORDS)
        note = (
            "upgraded" if "upgraded" in message.text else "blocked" if "blocked" in message.text else "warned"
        )
        yield "passive" if passive else "active", match["url"], note
