"""What a web team looks at, and why govscan cannot decide, for the security checks' ``review`` findings."""

from __future__ import annotations

from scanner.findings.registry import Text
from scanner.findings.review import ReviewNote

NOTES: dict[str, ReviewNote] = {
    "security.sri-missing": ReviewNote(
        "sri-not-applicable",
        Text(
            de="Ob der Anbieter eine versionierte Datei mit festem Inhalt anbietet (dann integrity setzen); "
            "sonst die Quelle per Content-Security-Policy auf diesen Host begrenzen und dem Anbieter "
            "vertrauen.",
            en="Whether the provider offers a versioned file with fixed content (then set integrity); else "
            "restrict the source to this host with a Content Security Policy and trust the provider.",
        ),
        Text(
            de="Die Adresse ist dynamisch oder unversioniert: ihr Inhalt ändert sich mit jeder Auslieferung, "
            "ein Hash würde das Skript brechen.",
            en="The address is dynamic or unversioned: its content changes from one delivery to the next, a "
            "hash would break the script.",
        ),
    ),
    "security.http-headers": ReviewNote(
        "header-deduction",
        Text(
            de="Den Header und seinen Wert: erfüllt er seinen Zweck auf dieser Website, oder lässt er sich "
            "ohne Schaden strenger setzen?",
            en="The header and its value: does it serve its purpose on this site, or can it be set more "
            "strictly without harm?",
        ),
        Text(
            de="Der Test gilt nach dem Observatory-Verfahren als bestanden, kostet aber Punkte; ob die "
            "strengere Einstellung passt, hängt von der Website ab.",
            en="The test counts as passed by the Observatory's method but costs points; whether the stricter "
            "setting fits depends on the site.",
        ),
    ),
}
