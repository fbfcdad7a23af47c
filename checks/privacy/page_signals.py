"""Page-level signals: canvas fingerprinting indicators, forms that submit over http."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from checks.privacy.classify import EVERY_SCENARIO
from checks.privacy.review_notes import NOTES
from checks.privacy.vendors import vendor_registry
from scanner.evidence import PageCapture
from scanner.evidence.privacy import PrivacyEvidence
from scanner.evidence.redact import redact_url
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
    id="privacy.canvas-fingerprinting",
    review=NOTES["privacy.canvas-fingerprinting"],
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    scenarios=EVERY_SCENARIO,  # the capture after an answer holds only its own canvas reads
    references=References(
        law=("TDDDG §25 Abs. 1", "DSK OH Digitale Dienste"),
        standards=("Englehardt & Narayanan 2016, Online Tracking: A 1-million-site Measurement",),
    ),
    doc=CheckDoc(
        title=Text(de="Hinweis auf Canvas-Fingerprinting", en="Canvas fingerprinting indicator"),
        what=Text(
            de="Ein Skript zeichnet Text in ein Canvas (mindestens 16×16 Pixel, 10 verschiedene Zeichen "
            "oder zwei "
            "Farben, ohne save/restore oder Ereignisse) und liest das Bild aus (toDataURL/getImageData, "
            "nicht "
            "verlustbehaftet): die Kriterien von Englehardt und Narayanan. Ein Hinweis, kein Beweis. "
            "Läuft auch nach „Ablehnen“ und nach „Akzeptieren“ (info).",
            en="A script draws text on a canvas (at least 16×16 pixels, 10 distinct characters or two "
            "colours, "
            "no save/restore or events) and reads the image back (toDataURL/getImageData, not lossy): the "
            "Englehardt–Narayanan criteria. An indicator, not proof. Also run after 'reject' and 'accept' "
            "(info).",
        ),
        why=Text(
            de="Fingerprinting liest Merkmale des Endgeräts aus, um Besuchende ohne Cookies "
            "wiederzuerkennen; auch "
            "das ist ein Zugriff nach TDDDG §25 (DSK, Orientierungshilfe Digitale Dienste).",
            en="Fingerprinting reads device properties to recognise visitors without cookies; that too is "
            "access "
            "under TDDDG §25 (German DPAs' guidance on digital services).",
        ),
        how_to_fix=Text(
            de="Das Skript entfernen oder erst nach Einwilligung laden; bei Karten oder Diagrammen als "
            "Fehlalarm "
            "dokumentieren.",
            en="Remove the script or load it only after consent; for maps or charts document it as a false "
            "positive.",
        ),
        example="canvas.toDataURL() nach fillText('Cwm fjordbank glyphs vext quiz')",
    ),
)
def canvas_fingerprinting(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    evidence = capture.evidence(PrivacyEvidence)
    by_script: dict[str, list[dict]] = {}
    for read in evidence.canvas_reads if evidence else ():
        if read.fingerprint_like:
            by_script.setdefault(read.script or "?", []).append(read.as_dict())
    for script, found in sorted(by_script.items()):
        vendor = vendor_registry().lookup_url(script) if script != "?" else None
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"Canvas-Auslesen mit Fingerprinting-Merkmalen durch {script}.",
                en=f"Canvas read-back with fingerprinting traits by {script}.",
            ),
            subject=script.split("?")[0],
            evidence={"script": script, "vendor": vendor.summary() if vendor else None, "reads": found[:5]},
        )


@check(
    id="privacy.form-over-http",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(
        law=("DSGVO Art. 32", "DSGVO Art. 5 Abs. 1 lit. f"), standards=("W3C Mixed Content",)
    ),
    doc=CheckDoc(
        title=Text(de="Formular sendet unverschlüsselt", en="Form submits over http"),
        what=Text(
            de="Ein Formular sendet an eine http://-Adresse, oder es steht auf einer über http:// "
            "ausgelieferten "
            "Seite und sendet relativ dorthin.",
            en="A form submits to an http:// address, or it sits on a page served over http:// and submits "
            "relative to it.",
        ),
        why=Text(
            de="Eingaben (Namen, E-Mail, Anliegen) gehen im Klartext über das Netz; das verletzt die "
            "Pflicht zu "
            "angemessener Sicherheit der Verarbeitung (DSGVO Art. 32).",
            en="Input (names, e-mail, requests) travels in clear text; that breaks the duty of appropriate "
            "security of processing (GDPR Art. 32).",
        ),
        how_to_fix=Text(de="Formulare nur über https:// senden.", en="Submit forms over https:// only."),
        example='<form action="http://www.example-amt.de/kontakt/senden.php" method="post">',
    ),
)
def form_over_http(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    if "<form" not in capture.dom_html.lower():
        return
    soup = BeautifulSoup(capture.dom_html, "lxml")
    for index, form in enumerate(soup.find_all("form")):
        action = urljoin(capture.final_url, form.get("action") or "")
        if not action.lower().startswith("http:"):
            continue
        selector = f"form#{form['id']}" if form.get("id") else f"form:nth-of-type({index + 1})"
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f"Formular sendet an {redact_url(action)}.", en=f"Form submits to {redact_url(action)}."
            ),
            selector=selector,
            snippet=f'<form action="{form.get("action") or ""}" method="{form.get("method") or "get"}">',
            evidence={"action": redact_url(action), "method": (form.get("method") or "get").lower()},
        )
