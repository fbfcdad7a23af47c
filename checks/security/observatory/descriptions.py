"""What each Observatory test and result means, in the report languages (our own words)."""

# A table of short texts: one entry per line reads best.
# ruff: noqa: E501

from __future__ import annotations

from scanner.findings.registry import Text

TEST_TITLES: dict[str, Text] = {
    "content-security-policy": Text("Content Security Policy (CSP)", "Content Security Policy (CSP)"),
    "cookies": Text("Cookies", "Cookies"),
    "cross-origin-resource-sharing": Text("Cross-Origin Resource Sharing (CORS)", "Cross-Origin Resource Sharing (CORS)"),
    "redirection": Text("Umleitung auf HTTPS", "Redirection to HTTPS"),
    "referrer-policy": Text("Referrer-Policy", "Referrer Policy"),
    "strict-transport-security": Text("HTTP Strict Transport Security (HSTS)", "HTTP Strict Transport Security (HSTS)"),
    "subresource-integrity": Text("Subresource Integrity (SRI)", "Subresource Integrity (SRI)"),
    "x-content-type-options": Text("X-Content-Type-Options", "X-Content-Type-Options"),
    "x-frame-options": Text("X-Frame-Options / frame-ancestors", "X-Frame-Options / frame-ancestors"),
    "cross-origin-resource-policy": Text("Cross-Origin-Resource-Policy (CORP)", "Cross-Origin Resource Policy (CORP)"),
}  # fmt: skip

RESULTS: dict[str, Text] = {
    "csp-implemented-with-no-unsafe-default-src-none": Text(
        "CSP ohne unsichere Quellen, default-src 'none'", "CSP without unsafe sources, default-src 'none'"),
    "csp-implemented-with-no-unsafe": Text(
        "CSP ohne 'unsafe-inline' und 'unsafe-eval'", "CSP without 'unsafe-inline' and 'unsafe-eval'"),
    "csp-implemented-with-unsafe-inline-in-style-src-only": Text(
        "CSP erlaubt unsichere Quellen nur in style-src", "CSP allows unsafe sources in style-src only"),
    "csp-implemented-but-duplicate-directives": Text(
        "CSP gültig, aber report-uri/report-to doppelt", "CSP valid, but report-uri/report-to repeated"),
    "csp-implemented-with-insecure-scheme-in-passive-content-only": Text(
        "CSP erlaubt Bilder oder Medien über http:", "CSP allows images or media over http:"),
    "csp-implemented-with-unsafe-eval": Text("CSP erlaubt 'unsafe-eval'", "CSP allows 'unsafe-eval'"),
    "csp-implemented-with-unsafe-inline": Text(
        "CSP erlaubt Inline-Skripte, data: oder zu breite Quellen für Skripte/Objekte",
        "CSP allows inline scripts, data: or overly broad sources for scripts/objects"),
    "csp-implemented-with-insecure-scheme": Text(
        "CSP erlaubt aktive Inhalte über http:", "CSP allows active content over http:"),
    "csp-header-invalid": Text("CSP nicht auswertbar (z. B. doppelte Direktive)", "CSP cannot be parsed (e.g. repeated directive)"),
    "csp-not-implemented": Text("Keine Content Security Policy", "No Content Security Policy"),
    "csp-not-implemented-but-reporting-enabled": Text(
        "Nur Content-Security-Policy-Report-Only, keine wirksame CSP", "Only Content-Security-Policy-Report-Only, no enforced CSP"),
    "cookies-secure-with-httponly-sessions-and-samesite": Text(
        "Alle Cookies Secure, Sitzungscookies HttpOnly, SameSite gesetzt",
        "All cookies Secure, session cookies HttpOnly, SameSite set"),
    "cookies-secure-with-httponly-sessions": Text(
        "Alle Cookies Secure, Sitzungscookies HttpOnly, ohne SameSite",
        "All cookies Secure, session cookies HttpOnly, without SameSite"),
    "cookies-not-found": Text("Keine Cookies", "No cookies"),
    "cookies-without-secure-flag-but-protected-by-hsts": Text(
        "Cookies ohne Secure, aber durch HSTS geschützt", "Cookies without Secure, but protected by HSTS"),
    "cookies-session-without-secure-flag-but-protected-by-hsts": Text(
        "Sitzungscookie ohne Secure, aber durch HSTS geschützt", "Session cookie without Secure, but protected by HSTS"),
    "cookies-without-secure-flag": Text("Cookies ohne Secure-Attribut", "Cookies without the Secure attribute"),
    "cookies-samesite-flag-invalid": Text(
        "SameSite ungültig oder SameSite=None ohne Secure", "SameSite invalid or SameSite=None without Secure"),
    "cookies-anticsrf-without-samesite-flag": Text("Anti-CSRF-Cookie ohne SameSite", "Anti-CSRF cookie without SameSite"),
    "cookies-session-without-httponly-flag": Text("Sitzungscookie ohne HttpOnly", "Session cookie without HttpOnly"),
    "cookies-session-without-secure-flag": Text("Sitzungscookie ohne Secure", "Session cookie without Secure"),
    "cross-origin-resource-sharing-not-implemented": Text("Kein CORS freigegeben", "No CORS access granted"),
    "cross-origin-resource-sharing-implemented-with-public-access": Text(
        "CORS öffentlich (*), ohne Zugangsdaten", "CORS public (*), without credentials"),
    "cross-origin-resource-sharing-implemented-with-restricted-access": Text(
        "CORS auf bestimmte Origins beschränkt", "CORS restricted to specific origins"),
    "cross-origin-resource-sharing-implemented-with-universal-access": Text(
        "CORS spiegelt jeden Origin mit Zugangsdaten", "CORS reflects any origin with credentials"),
    "redirection-all-redirects-preloaded": Text("Alle Hosts der Umleitung in der HSTS-Preload-Liste", "All redirect hosts are HSTS-preloaded"),
    "redirection-to-https": Text("Erste Umleitung auf HTTPS desselben Hosts", "First redirect to HTTPS on the same host"),
    "redirection-not-needed-no-http": Text("Kein HTTP angeboten", "No HTTP offered"),
    "redirection-off-host-from-http": Text("Erste Umleitung auf einen anderen Host", "First redirect goes to another host"),
    "redirection-not-to-https-on-initial-redirection": Text(
        "Erste Umleitung auf eine andere http://-Adresse", "First redirect goes to another http:// address"),
    "redirection-missing": Text("Keine Umleitung von HTTP auf HTTPS", "No redirect from HTTP to HTTPS"),
    "redirection-not-to-https": Text("Umleitung endet nicht auf HTTPS", "Redirects do not end on HTTPS"),
    "redirection-invalid-cert": Text("Ungültiges Zertifikat in der Umleitungskette", "Invalid certificate in the redirect chain"),
    "referrer-policy-private": Text("Referrer-Policy schützt die Adresse", "Referrer policy protects the address"),
    "referrer-policy-not-implemented": Text("Keine Referrer-Policy (Browser-Standard)", "No referrer policy (browser default)"),
    "referrer-policy-unsafe": Text("Referrer-Policy gibt volle Adressen weiter", "Referrer policy passes full addresses on"),
    "referrer-policy-header-invalid": Text("Referrer-Policy ungültig", "Referrer policy invalid"),
    "hsts-preloaded": Text("In der HSTS-Preload-Liste", "HSTS-preloaded"),
    "hsts-implemented-max-age-at-least-six-months": Text("HSTS mit max-age ab sechs Monaten", "HSTS with max-age of six months or more"),
    "hsts-implemented-max-age-less-than-six-months": Text("HSTS mit max-age unter sechs Monaten", "HSTS with max-age below six months"),
    "hsts-not-implemented": Text("Kein Strict-Transport-Security-Header", "No Strict-Transport-Security header"),
    "hsts-header-invalid": Text("HSTS-Header ungültig (doppelt oder ohne max-age)", "HSTS header invalid (sent twice or without max-age)"),
    "hsts-not-implemented-no-https": Text("Kein HTTPS, daher kein HSTS", "No HTTPS, hence no HSTS"),
    "hsts-invalid-cert": Text("HSTS wirkungslos: Zertifikat ungültig", "HSTS ineffective: certificate invalid"),
    "sri-implemented-and-all-scripts-loaded-securely": Text("SRI genutzt, alle Skripte vom eigenen Origin", "SRI used, all scripts from own origin"),
    "sri-implemented-and-external-scripts-loaded-securely": Text(
        "SRI für fremde Skripte, alle über HTTPS", "SRI on third-party scripts, all over HTTPS"),
    "sri-not-implemented-response-not-html": Text("Kein HTML, SRI nicht nötig", "Not HTML, SRI not needed"),
    "sri-not-implemented-but-no-scripts-loaded": Text("Keine Skripte", "No scripts"),
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": Text(
        "Ohne SRI, aber alle Skripte von der eigenen Domain", "Without SRI, but all scripts from the own domain"),
    "sri-not-implemented-but-external-scripts-loaded-securely": Text(
        "Fremde Skripte ohne SRI (über HTTPS)", "Third-party scripts without SRI (over HTTPS)"),
    "sri-implemented-but-external-scripts-not-loaded-securely": Text(
        "SRI genutzt, aber fremde Skripte über http: oder //", "SRI used, but third-party scripts over http: or //"),
    "html-not-parseable": Text("HTML nicht auswertbar", "HTML cannot be parsed"),
    "sri-not-implemented-and-external-scripts-not-loaded-securely": Text(
        "Fremde Skripte ohne SRI über http: oder //", "Third-party scripts without SRI over http: or //"),
    "x-content-type-options-nosniff": Text("X-Content-Type-Options: nosniff", "X-Content-Type-Options: nosniff"),
    "x-content-type-options-not-implemented": Text("Kein X-Content-Type-Options-Header", "No X-Content-Type-Options header"),
    "x-content-type-options-header-invalid": Text(
        "X-Content-Type-Options ungültig (auch doppelt)", "X-Content-Type-Options invalid (also when sent twice)"),
    "x-frame-options-implemented-via-csp": Text("Einbettung über CSP frame-ancestors geregelt", "Framing controlled by CSP frame-ancestors"),
    "x-frame-options-sameorigin-or-deny": Text("X-Frame-Options SAMEORIGIN oder DENY", "X-Frame-Options SAMEORIGIN or DENY"),
    "x-frame-options-allow-from-origin": Text("X-Frame-Options ALLOW-FROM", "X-Frame-Options ALLOW-FROM"),
    "x-frame-options-not-implemented": Text("Kein Schutz vor Einbettung (Clickjacking)", "No protection against framing (clickjacking)"),
    "x-frame-options-header-invalid": Text("X-Frame-Options ungültig (auch doppelt)", "X-Frame-Options invalid (also when sent twice)"),
    "corp-implemented-with-same-origin": Text("CORP same-origin", "CORP same-origin"),
    "corp-implemented-with-same-site": Text("CORP same-site", "CORP same-site"),
    "corp-implemented-with-cross-origin": Text("CORP cross-origin", "CORP cross-origin"),
    "corp-not-implemented": Text("Keine Cross-Origin-Resource-Policy", "No Cross-Origin-Resource-Policy"),
    "corp-header-invalid": Text("Cross-Origin-Resource-Policy ungültig (auch doppelt)", "Cross-Origin-Resource-Policy invalid (also when sent twice)"),
}  # fmt: skip
