"""The nine other tests of the Observatory algorithm: each returns (result, data)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

from checks.security.observatory.preload import PreloadList
from scanner.evidence.site_fetches import HTML_TYPES, SiteFetches
from scanner.net.cookie_lines import parse_set_cookie
from scanner.net.domains import registrable_domain
from scanner.net.hostnames import host_of

SIX_MONTHS = 15_552_000  # upstream's threshold (a little under 15 768 000, as many sites send)
COOKIES_IGNORED = frozenset({"heroku-session-affinity"})


def _worst(new: str, old: str | None, order: list[str]) -> str:
    """Keep the worse of two results, ``order`` running from better to worse."""
    if old is None or order.index(new) > order.index(old):
        return new
    return old


# --- HSTS and redirection ----------------------------------------------------------------------


def hsts_test(fetches: SiteFetches, preload: PreloadList | None) -> tuple[str, dict]:
    response = fetches.https
    data: dict = {}
    if response is None:
        result = "hsts-not-implemented-no-https"
    elif not response.verified:
        result = "hsts-invalid-cert"
    elif (header := response.header("strict-transport-security")) is None:
        result = "hsts-not-implemented"
    else:
        value = header[:1024]
        data["header"] = value
        max_age = None
        for parameter in (part.strip().lower() for part in value.split(";")):
            if parameter.startswith("max-age="):
                max_age = _leading_int(parameter[8:128])
            data["include_subdomains"] = data.get("include_subdomains") or parameter == "includesubdomains"
            data["preload"] = data.get("preload") or parameter == "preload"
        data["max_age"] = max_age
        if "," in value or max_age is None:  # sent twice, or no max-age
            result = "hsts-header-invalid"
        elif max_age < SIX_MONTHS:
            result = "hsts-implemented-max-age-less-than-six-months"
        else:
            result = "hsts-implemented-max-age-at-least-six-months"
    if response is not None and preload is not None and preload.covers(fetches.host):
        result, data["preloaded"] = "hsts-preloaded", True
    return result, data


def _leading_int(text: str) -> int | None:
    """``parseInt``: the digits at the start, or None when there are none."""
    match = re.match(r"\s*([+-]?\d+)", text)
    return int(match.group(1)) if match else None


def redirection_test(fetches: SiteFetches, preload: PreloadList | None) -> tuple[str, dict]:
    response = fetches.http
    if response is None:
        return "redirection-not-needed-no-http", {}
    route = [url for url, _ in response.chain] or [response.url]
    data = {"route": route[:20], "status": response.status}
    if not response.verified:
        return "redirection-invalid-cert", data
    hosts = [host_of(url) for url in route]
    schemes = [url.split(":", 1)[0].lower() for url in route]
    if preload is not None and all(preload.covers(host) for host in hosts):
        return "redirection-all-redirects-preloaded", data
    if len(route) == 1:
        return "redirection-missing", data
    if schemes[-1] != "https":
        return "redirection-not-to-https", data
    if schemes[1] == "http":
        return "redirection-not-to-https-on-initial-redirection", data
    if schemes[0] == "http" and schemes[1] == "https" and hosts[0] != hosts[1]:
        return "redirection-off-host-from-http", data
    return "redirection-to-https", data


# --- cookies -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCookie:
    name: str
    domain: str
    path: str
    secure: bool
    http_only: bool
    same_site: str | None  # strict | lax | none; None when absent or unrecognised


def parse_cookie(header: str, default_host: str) -> ParsedCookie | None:
    parsed = parse_set_cookie(header)
    if parsed is None:
        return None
    name, values = parsed
    same_site = (values.get("samesite") or "").lower() or None
    return ParsedCookie(
        name=name,
        domain=(values.get("domain") or default_host).lstrip(".").lower(),
        path=values.get("path") or "/",
        secure="secure" in values,
        http_only="httponly" in values,
        same_site=same_site if same_site in {"strict", "lax", "none"} else None,
    )


def malformed_same_site(header: str) -> bool:
    for part in header.strip().split(";"):
        key, _, value = part.strip().partition("=")
        same_site = value.split("=")[0].strip().lower()
        if key.strip().lower() == "samesite" and same_site not in {"lax", "strict", "none"}:
            return True
    return False


COOKIE_ORDER = [  # better to worse
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def cookies_test(fetches: SiteFetches, hsts_passes: bool) -> tuple[str, dict]:
    result: str | None = None
    if fetches.auto is not None:
        for header in fetches.auto.values("set-cookie"):
            if malformed_same_site(header):
                result = _worst("cookies-samesite-flag-invalid", result, COOKIE_ORDER)
    jar: dict[tuple[str, str, str], ParsedCookie] = {}
    for header in fetches.set_cookies:
        cookie = parse_cookie(header, fetches.host)
        if cookie is not None and cookie.name not in COOKIES_IGNORED:
            jar[(cookie.domain, cookie.path, cookie.name)] = cookie  # a later cookie replaces
    if not jar:
        return "cookies-not-found", {}
    missing_same_site = False
    for cookie in jar.values():
        lowered = cookie.name.lower()
        session = "login" in lowered or "sess" in lowered
        if not cookie.secure and cookie.same_site == "none":
            result = _worst("cookies-samesite-flag-invalid", result, COOKIE_ORDER)
        if not cookie.secure:
            plain = "cookies-without-secure-flag"
            result = _worst(plain + "-but-protected-by-hsts" if hsts_passes else plain, result, COOKIE_ORDER)
        if "csrf" in lowered and not cookie.same_site:
            result = _worst("cookies-anticsrf-without-samesite-flag", result, COOKIE_ORDER)
        if session and not cookie.secure:
            plain = "cookies-session-without-secure-flag"
            result = _worst(plain + "-but-protected-by-hsts" if hsts_passes else plain, result, COOKIE_ORDER)
        if session and not cookie.http_only:
            result = _worst("cookies-session-without-httponly-flag", result, COOKIE_ORDER)
        missing_same_site = missing_same_site or not cookie.same_site
    if result is None:
        result = (
            "cookies-secure-with-httponly-sessions"
            if missing_same_site
            else "cookies-secure-with-httponly-sessions-and-samesite"
        )
    data = {
        cookie.name: {
            "domain": cookie.domain,
            "path": cookie.path,
            "secure": cookie.secure,
            "httponly": cookie.http_only,
            "samesite": cookie.same_site,
        }
        for cookie in jar.values()
    }
    return result, data


# --- CORS, Referrer-Policy, SRI, X-Content-Type-Options, X-Frame-Options, CORP --------------------


def cors_test(fetches: SiteFetches) -> tuple[str, dict]:
    preflight = fetches.cors
    allowed = preflight.header("access-control-allow-origin") if preflight else None
    if preflight is None or not allowed:
        return "cross-origin-resource-sharing-not-implemented", {}
    data = {"allow_origin": allowed[:256].strip().lower()}
    credentials = (preflight.header("access-control-allow-credentials") or "").strip().lower()
    if data["allow_origin"] == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access", data
    if fetches.cors_origin and allowed == fetches.cors_origin and credentials == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access", data
    return "cross-origin-resource-sharing-implemented-with-restricted-access", data


REFERRER_PRIVATE = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
REFERRER_UNSAFE = ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade")


def referrer_policy_test(fetches: SiteFetches) -> tuple[str, dict]:
    response = fetches.auto
    if response is None:
        return "referrer-policy-not-implemented", {}
    values = response.values("referrer-policy") + response.meta_policies().get("referrer-policy", [])
    if not values:
        return "referrer-policy-not-implemented", {}
    joined = ", ".join(values)
    valid = [token.strip().lower() for token in joined.split(",")]
    valid = [token for token in valid if token in REFERRER_PRIVATE + REFERRER_UNSAFE]
    policy = valid[-1] if valid else ""  # the last valid token wins, as in browsers
    data = {"value": joined[:1024]}
    if policy in REFERRER_PRIVATE:
        return "referrer-policy-private", data
    if policy in REFERRER_UNSAFE:
        return "referrer-policy-unsafe", data
    return "referrer-policy-header-invalid", data


SRI_ORDER = [  # upstream's order, better to worse (the -20 result ranks before the -5 one)
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
    "sri-not-implemented-response-not-html",
]


def sri_test(fetches: SiteFetches) -> tuple[str, dict]:
    response = fetches.auto
    if response is None:
        return "sri-not-implemented-but-no-scripts-loaded", {}
    if response.mime_type and response.mime_type not in HTML_TYPES:
        return "sri-not-implemented-response-not-html", {}
    try:
        scripts = BeautifulSoup(response.body or "", "lxml").find_all("script")
    except Exception:  # the parser gave up on the document
        return "html-not-parseable", {}
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded", {}
    own_domain = registrable_domain(fetches.host)
    page_is_https = response.is_https
    result: str | None = None
    foreign_scripts = False
    data: dict[str, dict] = {}
    for script in scripts:
        src = (script.get("src") or "").strip()
        if not src:
            continue
        integrity = script.get("integrity")
        protocol_relative = bool(re.match(r"^//[^/]", src))
        absolute = bool(re.match(r"^https?://", src, re.IGNORECASE))
        relative = not protocol_relative and not absolute
        same_site = protocol_relative or relative or registrable_domain(host_of(src)) == own_domain
        secure_origin = relative or (same_site and not protocol_relative)
        secure_scheme = (absolute and src.lower().startswith("https:")) or (relative and page_is_https)
        if not secure_origin:
            foreign_scripts = True
            data[src[:500]] = {"integrity": integrity, "crossorigin": script.get("crossorigin")}
            if integrity and not secure_scheme:
                result = _worst("sri-implemented-but-external-scripts-not-loaded-securely", result, SRI_ORDER)
            elif not integrity and secure_scheme:
                result = _worst("sri-not-implemented-but-external-scripts-loaded-securely", result, SRI_ORDER)
            elif not integrity:
                result = _worst(
                    "sri-not-implemented-and-external-scripts-not-loaded-securely", result, SRI_ORDER
                )
        elif integrity and secure_scheme and result is None:
            result = "sri-implemented-and-all-scripts-loaded-securely"
    if result is None:
        result = (
            "sri-implemented-and-external-scripts-loaded-securely"
            if foreign_scripts
            else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
        )
    return result, {"scripts": data}


def x_content_type_options_test(fetches: SiteFetches) -> tuple[str, dict]:
    header = fetches.auto.header("x-content-type-options") if fetches.auto else None
    if not header:
        return "x-content-type-options-not-implemented", {}
    value = header[:256]
    if value.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff", {"value": value}
    return "x-content-type-options-header-invalid", {"value": value}


def x_frame_options_test(fetches: SiteFetches, csp_data: dict) -> tuple[str, dict]:
    if fetches.auto is None:
        return "x-frame-options-not-implemented", {}
    header = fetches.auto.header("x-frame-options")
    data = {"value": header[:1024]} if header else {}
    if not header:
        result = "x-frame-options-not-implemented"
    elif header.strip().lower() in {"deny", "sameorigin"}:
        result = "x-frame-options-sameorigin-or-deny"
    elif header.strip().lower().startswith("allow-from"):
        result = "x-frame-options-allow-from-origin"
    else:
        result = "x-frame-options-header-invalid"
    if csp_data.get("frame_ancestors"):
        result = "x-frame-options-implemented-via-csp"
    return result, data


def corp_test(fetches: SiteFetches) -> tuple[str, dict]:
    header = fetches.auto.header("cross-origin-resource-policy") if fetches.auto else None
    if not header:
        return "corp-not-implemented", {}
    value = header[:256].strip().lower()
    results = {
        "same-site": "corp-implemented-with-same-site",
        "same-origin": "corp-implemented-with-same-origin",
        "cross-origin": "corp-implemented-with-cross-origin",
    }
    return results.get(value, "corp-header-invalid"), {"value": value}
