"""security.cookie-flags: cookies the authority's own servers set, without Secure, HttpOnly or SameSite.

Read from the Set-Cookie headers of the page's first-party response (what the web server
configures) and matched with the cookies the browser kept. Cookies that scripts set belong to
the privacy family's consent checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

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
from scanner.net.cookie_lines import parse_set_cookie

SESSION_HINTS = ("sess", "login", "auth", "sid")


def is_session_cookie(name: str) -> bool:
    lowered = name.lower()
    return any(hint in lowered for hint in SESSION_HINTS)


@check(
    id="security.cookie-flags",
    family=Family.SECURITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(law=("DSGVO Art. 32",), standards=("RFC 6265bis", "OWASP ASVS V3.4")),
    doc=CheckDoc(
        title=Text(
            "Cookie ohne Secure, HttpOnly oder SameSite", "Cookie without Secure, HttpOnly or SameSite"
        ),
        what=Text(
            "Ein Cookie, das der eigene Server per Set-Cookie setzt, hat auf einer HTTPS-Seite kein "
            "Secure, ein Sitzungscookie (Name mit sess, login, auth, sid) kein HttpOnly, kein oder ein "
            "ungültiges SameSite, oder SameSite=None ohne Secure.",
            "A cookie the authority's own server sets with Set-Cookie lacks Secure on an HTTPS page, a "
            "session cookie (name with sess, login, auth, sid) lacks HttpOnly, SameSite is missing or "
            "invalid, or SameSite=None comes without Secure.",
        ),
        why=Text(
            "Ohne Secure geht das Cookie auch unverschlüsselt über das Netz, ohne HttpOnly können "
            "eingeschleuste Skripte die Sitzung stehlen, ohne SameSite wird es bei fremden Anfragen "
            "mitgeschickt (CSRF). RFC 6265bis; OWASP ASVS V3.4; DSGVO Art. 32.",
            "Without Secure the cookie also travels unencrypted, without HttpOnly injected scripts can "
            "steal the session, without SameSite it is sent along with cross-site requests (CSRF). "
            "RFC 6265bis; OWASP ASVS V3.4; GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "Cookies mit 'Secure; HttpOnly; SameSite=Lax' setzen (PHP: session.cookie_secure, "
            "session.cookie_httponly, session.cookie_samesite).",
            "Set cookies with 'Secure; HttpOnly; SameSite=Lax' (PHP: session.cookie_secure, "
            "session.cookie_httponly, session.cookie_samesite).",
        ),
        example="Set-Cookie: PHPSESSID=…; path=/",
    ),
)
def cookie_flags(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    if not context.first_party.contains_url(capture.final_url):
        return
    https = urlsplit(capture.final_url).scheme == "https"
    kept = {cookie.name for cookie in capture.cookies}
    seen: set[str] = set()
    for key, value in capture.response_headers:
        parsed = parse_set_cookie(value) if key == "set-cookie" else None
        if parsed is None or parsed[0] in seen:
            continue
        name, attributes = parsed
        seen.add(name)
        problems = _problems(name, attributes, https)
        if not problems:
            continue
        severity = (
            Severity.SERIOUS if is_session_cookie(name) and "HttpOnly" in problems else Severity.MODERATE
        )
        missing = ", ".join(problems)
        yield Finding(
            result=Result.FAIL,
            severity=severity,
            message=Text(f"Cookie '{name}': {missing}.", f"Cookie '{name}': {missing}."),
            subject=f"cookie:{name}",
            evidence={
                "cookie": name,
                "problems": problems,
                "attributes": sorted(attributes),  # names only: values may identify a session
                "session_cookie": is_session_cookie(name),
                "kept_by_browser": name in kept,
            },
        )


def _problems(name: str, attributes: dict[str, str | None], https: bool) -> list[str]:
    problems = []
    secure = "secure" in attributes
    if https and not secure:
        problems.append("Secure")
    if is_session_cookie(name) and "httponly" not in attributes:
        problems.append("HttpOnly")
    same_site = (attributes.get("samesite") or "").lower() if "samesite" in attributes else None
    if same_site is None:
        problems.append("SameSite")
    elif same_site not in ("strict", "lax", "none"):
        problems.append("SameSite (ungültig/invalid)")
    elif same_site == "none" and not secure:
        problems.append("SameSite=None ohne/without Secure")
    return problems
