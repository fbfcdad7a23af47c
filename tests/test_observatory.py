"""The HTTP header grade (MDN HTTP Observatory algorithm v5): every result class of every test, and
whole-site scores computed by hand from the published algorithm."""

# The case tables read best one case per line.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

from checks.security.observatory import FetchedResponse, SiteFetches, grade_site
from checks.security.observatory.preload import PreloadList
from checks.security.observatory.scoring import SCORE_TABLE, TESTS, grade_for, run_tests, score_for

HOST = "www.amt-beispiel.de"
HTML = "<!doctype html><html><head><title>t</title></head><body><p>Hallo</p></body></html>"
ORIGIN = "https://http-observatory.security.mozilla.org"


def response(url: str = f"https://{HOST}/", headers=(), body: str = HTML, **options) -> FetchedResponse:
    headers = (("content-type", "text/html; charset=utf-8"), *((k.lower(), v) for k, v in headers))
    chain = options.pop("chain", ((url, options.get("status", 200)),))
    return FetchedResponse(
        url=url, status=options.pop("status", 200), headers=headers, body=body, chain=chain, **options
    )


def redirected_http(final: str = f"https://{HOST}/", **options) -> FetchedResponse:
    return response(final, chain=((f"http://{HOST}/", 301), (final, 200)), **options)


def site(headers=(), body: str = HTML, **options) -> SiteFetches:
    https = options.pop("https", response(headers=headers, body=body))
    http = options.pop("http", redirected_http(headers=headers, body=body))
    cookies = options.pop("set_cookies", tuple(v for k, v in headers if k.lower() == "set-cookie"))
    return SiteFetches(HOST, http=http, https=https, set_cookies=cookies, cors_origin=ORIGIN, **options)


def result(fetches: SiteFetches, test: str, preload: PreloadList | None = None) -> str:
    return run_tests(fetches, preload)[test][0]


def script_page(*tags: str) -> str:
    return f"<!doctype html><html><head>{''.join(tags)}</head><body></body></html>"


# --- every result class, test by test ----------------------------------------------------------

CSP_CASES = [
    ([], "csp-not-implemented"),
    ([("Content-Security-Policy-Report-Only", "default-src 'self'")], "csp-not-implemented-but-reporting-enabled"),
    ([("Content-Security-Policy", "default-src 'none'")], "csp-implemented-with-no-unsafe-default-src-none"),
    ([("Content-Security-Policy", "default-src 'self'")], "csp-implemented-with-no-unsafe"),
    ([("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")],
     "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ([("Content-Security-Policy", "default-src 'self'; img-src http:")],
     "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ([("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-eval'")],
     "csp-implemented-with-unsafe-eval"),
    ([("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'")],
     "csp-implemented-with-unsafe-inline"),
    ([("Content-Security-Policy", "default-src 'self'; connect-src http://api.example.de")],
     "csp-implemented-with-insecure-scheme"),
    ([("Content-Security-Policy", "default-src 'self'; script-src 'self'; script-src 'none'")], "csp-header-invalid"),
    ([("Content-Security-Policy", "script-src 'strict-dynamic'")], "csp-header-invalid"),
    ([("Content-Security-Policy", "default-src 'none'; report-uri /a; report-uri /b")],
     "csp-implemented-but-duplicate-directives"),
]  # fmt: skip


@pytest.mark.parametrize(("headers", "expected"), CSP_CASES)
def test_content_security_policy_results(headers, expected) -> None:
    assert result(site(headers), "content-security-policy") == expected


def test_csp_from_meta_counts_and_nonce_removes_unsafe_inline() -> None:
    meta = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
    assert result(site(body=script_page(meta)), "content-security-policy") == "csp-implemented-with-no-unsafe"
    nonce = [("Content-Security-Policy", "default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'")]
    assert result(site(nonce), "content-security-policy") == "csp-implemented-with-no-unsafe"


def test_two_csp_policies_allow_only_what_both_allow() -> None:
    # The second policy forbids inline script, so the combination no longer allows it.
    headers = [
        ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'"),
        ("Content-Security-Policy", "default-src 'self'; script-src 'self'"),
    ]
    assert result(site(headers), "content-security-policy") == "csp-implemented-with-no-unsafe"


def cookie_site(*set_cookies: str, hsts: bool = False) -> SiteFetches:
    headers = [("Set-Cookie", value) for value in set_cookies]
    if hsts:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return site(headers)


COOKIE_CASES = [
    ((), False, "cookies-not-found"),
    (("a=1; Secure; SameSite=Lax", "sessid=2; Secure; HttpOnly; SameSite=Strict"), False,
     "cookies-secure-with-httponly-sessions-and-samesite"),
    (("a=1; Secure",), False, "cookies-secure-with-httponly-sessions"),
    (("a=1; SameSite=Lax",), True, "cookies-without-secure-flag-but-protected-by-hsts"),
    (("sessid=1; HttpOnly; SameSite=Lax",), True, "cookies-session-without-secure-flag-but-protected-by-hsts"),
    (("a=1; SameSite=Lax",), False, "cookies-without-secure-flag"),
    (("a=1; Secure; SameSite=Wrong",), False, "cookies-samesite-flag-invalid"),
    (("a=1; SameSite=None",), True, "cookies-samesite-flag-invalid"),
    (("csrftoken=1; Secure",), False, "cookies-anticsrf-without-samesite-flag"),
    (("sessid=1; Secure; SameSite=Lax",), False, "cookies-session-without-httponly-flag"),
    (("PHPSESSID=1; path=/",), False, "cookies-session-without-secure-flag"),
]  # fmt: skip


@pytest.mark.parametrize(("cookies", "hsts", "expected"), COOKIE_CASES)
def test_cookie_results(cookies, hsts, expected) -> None:
    assert result(cookie_site(*cookies, hsts=hsts), "cookies") == expected


def test_worst_cookie_result_wins_in_upstream_order() -> None:
    # session-without-secure (-40) is worse than session-without-httponly (-30) ...
    assert (
        result(cookie_site("sessid=1", "login=1; Secure"), "cookies") == "cookies-session-without-secure-flag"
    )
    # ... and a cookie from robots.txt counts as well
    fetches = site(set_cookies=("a=1; Secure; SameSite=Lax", "login=2; Secure; SameSite=Lax"))
    assert result(fetches, "cookies") == "cookies-session-without-httponly-flag"


def cors(allow_origin: str | None, credentials: str | None = None) -> SiteFetches:
    headers = [("Access-Control-Allow-Origin", allow_origin)] if allow_origin else []
    if credentials:
        headers.append(("Access-Control-Allow-Credentials", credentials))
    return site(cors=response(headers=headers, body=""))


@pytest.mark.parametrize(
    ("fetches", "expected"),
    [
        (cors(None), "cross-origin-resource-sharing-not-implemented"),
        (cors("*"), "cross-origin-resource-sharing-implemented-with-public-access"),
        (cors("https://partner.example.de", "true"), "cross-origin-resource-sharing-implemented-with-restricted-access"),
        (cors(ORIGIN, "true"), "cross-origin-resource-sharing-implemented-with-universal-access"),
    ],
)  # fmt: skip
def test_cors_results(fetches, expected) -> None:
    assert result(fetches, "cross-origin-resource-sharing") == expected


PRELOAD = PreloadList({"amt-beispiel.de": True, "nur-dieser.de": False})


def http_chain(*urls: str, verified: bool = True) -> FetchedResponse:
    return response(urls[-1], chain=(*((url, 301) for url in urls[:-1]), (urls[-1], 200)), verified=verified)


@pytest.mark.parametrize(
    ("http", "preload", "expected"),
    [
        (None, None, "redirection-not-needed-no-http"),
        (http_chain(f"http://{HOST}/", f"https://{HOST}/", verified=False), None, "redirection-invalid-cert"),
        (http_chain(f"http://{HOST}/", f"https://{HOST}/"), PRELOAD, "redirection-all-redirects-preloaded"),
        (http_chain(f"http://{HOST}/", f"https://{HOST}/"), None, "redirection-to-https"),
        (http_chain(f"http://{HOST}/"), None, "redirection-missing"),
        (http_chain(f"http://{HOST}/", "http://andere.example.de/"), None, "redirection-not-to-https"),
        (http_chain(f"http://{HOST}/", f"http://{HOST}/neu/", f"https://{HOST}/neu/"), None,
         "redirection-not-to-https-on-initial-redirection"),
        (http_chain(f"http://{HOST}/", "https://portal.example.de/"), None, "redirection-off-host-from-http"),
    ],
)  # fmt: skip
def test_redirection_results(http, preload, expected) -> None:
    assert result(site(http=http), "redirection", preload) == expected


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ([], HTML, "referrer-policy-not-implemented"),
        ([("Referrer-Policy", "no-referrer-when-downgrade, strict-origin-when-cross-origin")], HTML,
         "referrer-policy-private"),
        ([("Referrer-Policy", "no-referrer-when-downgrade")], HTML, "referrer-policy-unsafe"),
        ([("Referrer-Policy", "bogus")], HTML, "referrer-policy-header-invalid"),
        ([("Referrer-Policy", "no-referrer")], script_page('<meta name="referrer" content="unsafe-url">'),
         "referrer-policy-unsafe"),  # the meta value comes last and wins
    ],
)  # fmt: skip
def test_referrer_policy_results(headers, body, expected) -> None:
    assert result(site(headers, body), "referrer-policy") == expected


@pytest.mark.parametrize(
    ("fetches", "preload", "expected"),
    [
        (site([("Strict-Transport-Security", "max-age=63072000")]), PRELOAD, "hsts-preloaded"),
        (site([("Strict-Transport-Security", "max-age=15552000")]), None, "hsts-implemented-max-age-at-least-six-months"),
        (site([("Strict-Transport-Security", "max-age=86400")]), None, "hsts-implemented-max-age-less-than-six-months"),
        (site(), None, "hsts-not-implemented"),
        (site([("Strict-Transport-Security", "includeSubDomains")]), None, "hsts-header-invalid"),
        (site([("Strict-Transport-Security", "max-age=31536000")] * 2), None, "hsts-header-invalid"),
        (site(https=None, http=http_chain(f"http://{HOST}/")), None, "hsts-not-implemented-no-https"),
        (site(https=response(verified=False)), None, "hsts-invalid-cert"),
    ],
)  # fmt: skip
def test_hsts_results(fetches, preload, expected) -> None:
    assert result(fetches, "strict-transport-security", preload) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (script_page('<script src="/app.js" integrity="sha384-x"></script>'), "text/html",
         "sri-implemented-and-all-scripts-loaded-securely"),
        (script_page('<script src="https://cdn.example.net/a.js" integrity="sha384-x"></script>'), "text/html",
         "sri-implemented-and-external-scripts-loaded-securely"),
        ("{}", "application/json", "sri-not-implemented-response-not-html"),
        (HTML, "text/html", "sri-not-implemented-but-no-scripts-loaded"),
        (script_page('<script src="/app.js"></script>', f'<script src="https://static.{HOST.split(".", 1)[1]}/b.js"></script>'),
         "text/html", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"),
        (script_page('<script src="https://cdn.example.net/a.js"></script>'), "text/html",
         "sri-not-implemented-but-external-scripts-loaded-securely"),
        (script_page('<script src="http://cdn.example.net/a.js" integrity="sha384-x"></script>'), "text/html",
         "sri-implemented-but-external-scripts-not-loaded-securely"),
        (script_page('<script src="//cdn.example.net/a.js"></script>'), "text/html",
         "sri-not-implemented-and-external-scripts-not-loaded-securely"),
    ],
)  # fmt: skip
def test_subresource_integrity_results(body, content_type, expected) -> None:
    https = FetchedResponse(f"https://{HOST}/", 200, (("content-type", content_type),), body)
    assert result(site(https=https), "subresource-integrity") == expected


def test_unparseable_html_is_its_own_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import checks.security.observatory.rules as rules

    def broken(*args, **kwargs):
        raise ValueError("parser gave up")

    monkeypatch.setattr(rules, "BeautifulSoup", broken)
    assert result(site(), "subresource-integrity") == "html-not-parseable"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("X-Content-Type-Options", "nosniff")], "x-content-type-options-nosniff"),
        ([], "x-content-type-options-not-implemented"),
        ([("X-Content-Type-Options", "sniff-away")], "x-content-type-options-header-invalid"),
        ([("X-Content-Type-Options", "nosniff")] * 2, "x-content-type-options-header-invalid"),
    ],
)
def test_x_content_type_options_results(headers, expected) -> None:
    assert result(site(headers), "x-content-type-options") == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")], "x-frame-options-implemented-via-csp"),
        ([("X-Frame-Options", "SAMEORIGIN")], "x-frame-options-sameorigin-or-deny"),
        ([("X-Frame-Options", "ALLOW-FROM https://partner.example.de")], "x-frame-options-allow-from-origin"),
        ([], "x-frame-options-not-implemented"),
        ([("X-Frame-Options", "DENY")] * 2, "x-frame-options-header-invalid"),
    ],
)  # fmt: skip
def test_x_frame_options_results(headers, expected) -> None:
    assert result(site(headers), "x-frame-options") == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("Cross-Origin-Resource-Policy", "same-origin")], "corp-implemented-with-same-origin"),
        ([("Cross-Origin-Resource-Policy", "same-site")], "corp-implemented-with-same-site"),
        ([("Cross-Origin-Resource-Policy", "cross-origin")], "corp-implemented-with-cross-origin"),
        ([], "corp-not-implemented"),
        ([("Cross-Origin-Resource-Policy", "same-origin")] * 2, "corp-header-invalid"),
    ],
)
def test_cross_origin_resource_policy_results(headers, expected) -> None:
    assert result(site(headers), "cross-origin-resource-policy") == expected


def test_every_result_class_is_covered_above() -> None:
    """Each result of the score table appears in one of the cases of this module."""
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [name for name in SCORE_TABLE if f'"{name}"' not in source.replace(f'"{name}": ', "")]
    assert missing == []


# --- whole-site golden scores (computed by hand) ------------------------------------------------


def test_a_site_without_any_security_header_scores_30_d() -> None:
    # CSP -25, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20: 100 - 70 = 30.
    graded = grade_site(site())
    assert (graded.score, graded.grade, graded.tests_passed, graded.tests_failed) == (30, "D", 6, 4)


def test_only_a_strict_csp_and_hsts_earn_no_bonus_below_90() -> None:
    # CSP default-src 'none' (+10) and HSTS (0); XCTO -5 and XFO -20 leave 75 without bonuses.
    # The +10 must not count (75 < 90): 75 is a B. Applying it anyway would give 85, A-.
    headers = [
        ("Content-Security-Policy", "default-src 'none'"),
        ("Strict-Transport-Security", "max-age=63072000"),
    ]
    graded = grade_site(site(headers))
    assert (graded.score, graded.grade) == (75, "B")


def test_bonuses_count_once_the_score_without_them_reaches_90() -> None:
    # XCTO missing (-5) and Referrer-Policy unsafe (-5): 90 without bonuses, so CSP default-src 'none'
    # (+10), X-Frame-Options via frame-ancestors (+5) and CORP same-origin (+10) count: 115, A+.
    headers = [
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("Strict-Transport-Security", "max-age=63072000"),
        ("Referrer-Policy", "unsafe-url"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ]
    graded = grade_site(site(headers))
    assert (graded.score, graded.grade, graded.tests_failed) == (115, "A+", 2)


def test_a_duplicated_hsts_header_costs_20_points() -> None:
    good = [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'self'"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    once = grade_site(site([*good, ("Strict-Transport-Security", "max-age=63072000")]))
    twice = grade_site(site([*good, *[("Strict-Transport-Security", "max-age=63072000")] * 2]))
    # once: no penalty, bonuses CSP +5 and XFO via CSP +5: 110 A+; twice: HSTS invalid -20: 80 B+.
    assert (once.score, once.grade) == (110, "A+")
    assert (twice.score, twice.grade) == (80, "B+")


def test_the_demo_tourism_host_headers() -> None:
    # beispielhausen-entdecken.de: CSP without unsafe (+5), HSTS 1 year (0), XCTO nosniff (0),
    # frame-ancestors (+5), Referrer-Policy strict-origin-when-cross-origin (+5): 115, A+.
    headers = [
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
        ("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
         "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]  # fmt: skip
    graded = grade_site(site(headers))
    assert (graded.score, graded.grade, graded.tests_passed) == (115, "A+", 10)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(145, "A+"), (100, "A+"), (99, "A"), (90, "A"), (89, "A-"), (85, "A-"), (84, "B+"), (70, "B"),
     (69, "B-"), (60, "C+"), (59, "C"), (45, "C-"), (44, "D+"), (30, "D"), (29, "D-"), (25, "D-"), (24, "F"), (0, "F")],
)  # fmt: skip
def test_grade_chart(score, grade) -> None:
    assert grade_for(score) == grade


def test_score_never_drops_below_zero_and_has_no_upper_cap() -> None:
    assert score_for([-50, -50, -40, -25]) == 0
    assert score_for([10, 10, 5, 5, 5, 5, 5]) == 145


def test_ten_tests_in_upstream_order() -> None:
    graded = grade_site(site())
    assert tuple(test.name for test in graded.tests) == TESTS and len(TESTS) == 10
    assert graded.as_json()["algorithm_version"] == 5
