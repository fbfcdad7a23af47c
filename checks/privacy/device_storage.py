"""Identifiers written to the visitor's device before consent: cookies and web storage (TDDDG §25)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.privacy.classify import (
    EVERY_SCENARIO,
    ONE_DAY,
    carried_over_cookies,
    carried_over_storage,
    cookie_lifetime,
    cookie_setters,
    identifier_entropy,
    looks_like_identifier,
)
from checks.privacy.vendors import vendor_registry
from scanner.evidence import PageCapture
from scanner.evidence.privacy import PrivacyEvidence
from scanner.evidence.redact import short_hash
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

REFERENCES = References(law=("TDDDG §25 Abs. 1", "EuGH C-673/17 (Planet49)", "DSGVO Art. 6 Abs. 1"))


def _script_vendor(url: str | None) -> dict | None:
    vendor = vendor_registry().lookup_url(url) if url else None
    return vendor.summary() if vendor else None


@check(
    id="privacy.identifier-cookie-before-consent",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    scenarios=EVERY_SCENARIO,
    references=REFERENCES,
    doc=CheckDoc(
        title=Text(de="Kennungs-Cookies vor der Einwilligung", en="Identifier cookies before consent"),
        what=Text(
            de="Beim ersten Aufruf wird ein Cookie gesetzt, das wie eine Kennung aussieht (Wert ab 10 "
            "Zeichen mit hoher Entropie; Zahlen und zufällig wirkende Zeichenfolgen zählen nach ihrer "
            "Form, nicht nach ihren Ziffern, damit das Urteil bei jedem Besuch gleich ausfällt) und "
            "mindestens einen Tag lebt. Die Evidenz nennt, wer es gesetzt hat: die Antwort (Set-Cookie) "
            "oder das Skript (document.cookie mit Aufrufstapel), auch wenn ein fremdes Skript ein Cookie "
            "auf der eigenen Domain setzt (z. B. _ga). "
            "Läuft auch nach „Ablehnen“ (nur was nach der Antwort geschrieben wurde) und nach "
            "„Akzeptieren“ (info: mit Einwilligung).",
            en="On the first visit a cookie is set that looks like an identifier (value of 10+ characters "
            "with high entropy; numbers and random-looking runs count by their form, not their digits, so "
            "the verdict is the same on every visit) and lives at least a day. The evidence names its "
            "setter: the response (Set-Cookie) or the script (document.cookie with stack), also when a "
            "third-party script sets a first-party cookie (e.g. _ga). "
            "Also run after 'reject' (only what was written after the answer) and after 'accept' "
            "(info: with consent).",
        ),
        why=Text(
            de="Das Speichern von Informationen auf dem Endgerät braucht eine Einwilligung, wenn es nicht "
            "unbedingt "
            "erforderlich ist (TDDDG §25 Abs. 1; EuGH Planet49). Langlebige Kennungen dienen der "
            "Wiedererkennung, nicht dem Betrieb der Seite.",
            en="Storing information on the device needs consent unless strictly necessary (TDDDG §25(1); "
            "CJEU "
            "Planet49). Long-lived identifiers serve recognition, not the operation of the site.",
        ),
        how_to_fix=Text(
            de="Das setzende Skript erst nach Einwilligung laden; für den Betrieb nötige Cookies als "
            "Sitzungs-Cookies ohne Kennung gestalten.",
            en="Load the setting script only after consent; make cookies needed for operation session "
            "cookies "
            "without identifiers.",
        ),
        example="_ga=GA1.1.1234567890.1700000000; Max-Age=63072000",
    ),
)
def identifier_cookie_before_consent(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    setters = cookie_setters(capture)
    carried_over = carried_over_cookies(capture)
    for cookie in sorted(capture.cookies, key=lambda item: (item.domain, item.name)):
        if (cookie.name, cookie.domain) in carried_over:
            continue
        setter = setters.get((cookie.name, cookie.domain))
        lifetime = cookie_lifetime(cookie, setter)
        if lifetime is None or lifetime < ONE_DAY or not looks_like_identifier(cookie.value):
            continue
        third_party_setter = bool(
            setter and setter.get("url") and context.first_party.is_third_party_url(setter["url"])
        )
        by = (setter or {}).get("url") or "?"
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f"Cookie {cookie.name} ({cookie.domain}, {lifetime / ONE_DAY:.0f} Tage) gesetzt von {by}.",
                en=f"Cookie {cookie.name} ({cookie.domain}, {lifetime / ONE_DAY:.0f} days) set by {by}.",
            ),
            subject=f"{cookie.name}@{cookie.domain.lstrip('.')}",
            evidence={
                "name": cookie.name,
                "domain": cookie.domain,
                "path": cookie.path,
                "lifetime_days": round(lifetime / ONE_DAY, 1),
                "value_hash": short_hash(cookie.value),
                "value_length": len(cookie.value),
                "entropy": round(identifier_entropy(cookie.value), 2),  # of its form: stable
                "third_party_cookie": not context.first_party.contains_host(cookie.domain.lstrip(".")),
                "partition_key": cookie.partition_key,
                "setter": setter,
                "set_by_third_party_script": third_party_setter,
                "setter_vendor": _script_vendor((setter or {}).get("url")),
            },
        )


@check(
    id="privacy.identifier-storage-before-consent",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    scenarios=EVERY_SCENARIO,
    references=REFERENCES,
    doc=CheckDoc(
        title=Text(
            de="Kennungen im Web-Speicher vor der Einwilligung",
            en="Identifiers in web storage before consent",
        ),
        what=Text(
            de="Beim ersten Aufruf legt ein Skript im localStorage oder sessionStorage (jedes "
            "Frame-Ursprungs) "
            "einen Wert ab, der wie eine Kennung aussieht; die Evidenz nennt das schreibende Skript."
            " Läuft auch nach „Ablehnen“ (nur was nach der Antwort geschrieben wurde) und nach "
            "„Akzeptieren“ (info: mit Einwilligung).",
            en="On the first visit a script stores a value that looks like an identifier in localStorage or "
            "sessionStorage (of any frame origin); the evidence names the writing script."
            " Also run after 'reject' (only what was written after the answer) and after 'accept' "
            "(info: with consent).",
        ),
        why=Text(
            de="TDDDG §25 gilt für jede Speicherung auf dem Endgerät, nicht nur für Cookies.",
            en="TDDDG §25 covers any storage on the device, not only cookies.",
        ),
        how_to_fix=Text(
            de="Das schreibende Skript erst nach Einwilligung laden.",
            en="Load the writing script only after consent.",
        ),
        example='localStorage.setItem("_hjSessionUser_123", "{\\"id\\":\\"f3a9...\\"}")',
    ),
)
def identifier_storage_before_consent(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    evidence = capture.evidence(PrivacyEvidence)
    entries = evidence.storage_writers if evidence else ()
    writers = {(item.origin, item.kind, item.key): item.script for item in entries}
    carried_over = carried_over_storage(capture)
    for item in sorted(capture.storage, key=lambda record: (record.origin, record.kind, record.key)):
        if (item.origin, item.kind, item.key) in carried_over or not looks_like_identifier(item.value):
            continue
        writer = writers.get((item.origin, item.kind, item.key))
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f"{item.kind}Storage-Eintrag {item.key} ({item.origin}) geschrieben von {writer or '?'}.",
                en=f"{item.kind}Storage entry {item.key} ({item.origin}) written by {writer or '?'}.",
            ),
            subject=f"{item.kind}:{item.origin}:{item.key}",
            evidence={
                "origin": item.origin,
                "kind": item.kind,
                "key": item.key,
                "value_hash": short_hash(item.value),
                "value_length": len(item.value),
                "third_party_origin": context.first_party.is_third_party_url(item.origin),
                "writer": writer,
                "writer_vendor": _script_vendor(writer),
            },
        )
