"""accessibility.document-lang: the page declares its main language on <html>."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

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

# BCP 47, enough to tell a language tag from free text: a primary subtag of 2-3 letters followed
# by subtags of 1-8 letters or digits ("de", "de-DE", "de-CH-1996", "sgn-DE").
LANGUAGE_TAG = re.compile(r"^(?P<primary>[a-zA-Z]{2,3})(-[a-zA-Z0-9]{1,8})*$")


@cache
def two_letter_codes() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "iso639-1.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def language_tag_problem(value: str) -> str | None:
    """Why ``value`` is not a usable language tag, or None when it is one."""
    tag = value.strip()
    if not tag:
        return "empty"
    match = LANGUAGE_TAG.match(tag)
    if not match:
        return "not a language tag"
    primary = match["primary"].lower()
    if len(primary) == 2 and primary not in two_letter_codes():
        return "unknown language code"
    return None


@check(
    id="accessibility.document-lang",
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(wcag=("3.1.1",), en301549=("9.3.1.1",), bitv=("9.3.1.1",), law=("BITV 2.0 §3",)),
    doc=CheckDoc(
        title=Text(
            de="Hauptsprache der Seite nicht (gültig) angegeben",
            en="Main language of the page missing or invalid",
        ),
        what=Text(
            de="Das Element <html> hat kein lang-Attribut, ein leeres oder einen Wert, der kein gültiges "
            'Sprachkürzel nach BCP 47 ist (z. B. lang="deutsch" statt lang="de"). Die axe-Regeln '
            "accessibility.axe.html-has-lang und accessibility.axe.html-lang-valid prüfen dasselbe Attribut; "
            "diese Prüfung bleibt daneben bestehen, weil sie nicht davon abhängt, dass axe auf der Seite "
            "lief, "
            "und ihre Befunde seit den ersten Scans vergleichbar sind.",
            en="The <html> element has no lang attribute, an empty one, or a value that is not a valid "
            'BCP 47 language tag (e.g. lang="deutsch" instead of lang="de"). The axe rules '
            "accessibility.axe.html-has-lang and accessibility.axe.html-lang-valid test the same attribute; "
            "this check stays beside them because it does not depend on axe having run on the page and its "
            "findings stay comparable with the first scans.",
        ),
        why=Text(
            de="Screenreader und Vorlesefunktionen wählen Aussprache und Sprachausgabe nach der angegebenen "
            "Sprache; fehlt sie, wird deutscher Text mit falscher Aussprache vorgelesen. "
            "WCAG 3.1.1 (Stufe A), EN 301 549 9.3.1.1, BITV 2.0 §3.",
            en="Screen readers choose pronunciation and voice from the declared language; without it German "
            "text is read with the wrong pronunciation. WCAG 3.1.1 (level A), EN 301 549 9.3.1.1.",
        ),
        how_to_fix=Text(
            de='Im Seitentemplate die Hauptsprache setzen: <html lang="de">. Abschnitte in anderen '
            'Sprachen zusätzlich auszeichnen (<p lang="en">).',
            en='Set the main language in the page template: <html lang="de">. Mark passages in other '
            'languages as well (<p lang="en">).',
        ),
        example='<html>  or  <html lang="deutsch">',
    ),
)
def document_lang(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    if capture.html_lang is None:
        yield Finding(
            result=Result.FAIL,
            message=Text(de="<html> hat kein lang-Attribut.", en="<html> has no lang attribute."),
            selector="html",
            snippet="<html>",
            evidence={"lang": None},
        )
        return
    problem = language_tag_problem(capture.html_lang)
    if problem:
        value = capture.html_lang[:100]
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f'lang="{value}" ist kein gültiges Sprachkürzel ({_PROBLEM_DE[problem]}).',
                en=f'lang="{value}" is not a valid language tag ({problem}).',
            ),
            selector="html",
            snippet=f'<html lang="{value}">',
            evidence={"lang": value, "problem": problem},
        )


_PROBLEM_DE = {
    "empty": "leer",
    "not a language tag": "kein Sprachkürzel",
    "unknown language code": "unbekannter Sprachcode",
}
