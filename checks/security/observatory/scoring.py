"""Score table, the order of the ten tests, the bonus rule and the grade chart (algorithm v5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks.security.observatory.csp import csp_test
from checks.security.observatory.preload import PreloadList
from checks.security.observatory.rules import (
    cookies_test,
    corp_test,
    cors_test,
    hsts_test,
    redirection_test,
    referrer_policy_test,
    sri_test,
    x_content_type_options_test,
    x_frame_options_test,
)
from scanner.evidence.site_fetches import SiteFetches

ALGORITHM_VERSION = 5
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90

# result -> (score modifier, whether the test counts as passed)
SCORE_TABLE: dict[str, tuple[int, bool]] = {
    # content-security-policy
    "csp-implemented-with-no-unsafe-default-src-none": (10, True),
    "csp-implemented-with-no-unsafe": (5, True),
    "csp-implemented-with-unsafe-inline-in-style-src-only": (0, True),
    "csp-implemented-but-duplicate-directives": (0, True),
    "csp-implemented-with-insecure-scheme-in-passive-content-only": (-10, True),
    "csp-implemented-with-unsafe-eval": (-10, False),
    "csp-implemented-with-unsafe-inline": (-20, False),
    "csp-implemented-with-insecure-scheme": (-20, False),
    "csp-header-invalid": (-25, False),
    "csp-not-implemented": (-25, False),
    "csp-not-implemented-but-reporting-enabled": (-25, False),
    # cookies
    "cookies-secure-with-httponly-sessions-and-samesite": (5, True),
    "cookies-secure-with-httponly-sessions": (0, True),
    "cookies-not-found": (0, True),
    "cookies-without-secure-flag-but-protected-by-hsts": (-5, False),
    "cookies-session-without-secure-flag-but-protected-by-hsts": (-10, False),
    "cookies-without-secure-flag": (-20, False),
    "cookies-samesite-flag-invalid": (-20, False),
    "cookies-anticsrf-without-samesite-flag": (-20, False),
    "cookies-session-without-httponly-flag": (-30, False),
    "cookies-session-without-secure-flag": (-40, False),
    # cross-origin-resource-sharing
    "cross-origin-resource-sharing-not-implemented": (0, True),
    "cross-origin-resource-sharing-implemented-with-public-access": (0, True),
    "cross-origin-resource-sharing-implemented-with-restricted-access": (0, True),
    "cross-origin-resource-sharing-implemented-with-universal-access": (-50, False),
    # redirection
    "redirection-all-redirects-preloaded": (0, True),
    "redirection-to-https": (0, True),
    "redirection-not-needed-no-http": (0, True),
    "redirection-off-host-from-http": (-5, False),
    "redirection-not-to-https-on-initial-redirection": (-10, False),
    "redirection-missing": (-20, False),
    "redirection-not-to-https": (-20, False),
    "redirection-invalid-cert": (-20, False),
    # referrer-policy
    "referrer-policy-private": (5, True),
    "referrer-policy-not-implemented": (0, True),
    "referrer-policy-unsafe": (-5, False),
    "referrer-policy-header-invalid": (-5, False),
    # strict-transport-security
    "hsts-preloaded": (5, True),
    "hsts-implemented-max-age-at-least-six-months": (0, True),
    "hsts-implemented-max-age-less-than-six-months": (-10, False),
    "hsts-not-implemented": (-20, False),
    "hsts-header-invalid": (-20, False),
    "hsts-not-implemented-no-https": (-20, False),
    "hsts-invalid-cert": (-20, False),
    # subresource-integrity
    "sri-implemented-and-all-scripts-loaded-securely": (5, True),
    "sri-implemented-and-external-scripts-loaded-securely": (5, True),
    "sri-not-implemented-response-not-html": (0, True),
    "sri-not-implemented-but-no-scripts-loaded": (0, True),
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": (0, True),
    "sri-not-implemented-but-external-scripts-loaded-securely": (-5, False),
    "sri-implemented-but-external-scripts-not-loaded-securely": (-20, False),
    "html-not-parseable": (-20, False),
    "sri-not-implemented-and-external-scripts-not-loaded-securely": (-50, False),
    # x-content-type-options
    "x-content-type-options-nosniff": (0, True),
    "x-content-type-options-not-implemented": (-5, False),
    "x-content-type-options-header-invalid": (-5, False),
    # x-frame-options (v5: SAMEORIGIN/DENY earns the same bonus as frame-ancestors)
    "x-frame-options-implemented-via-csp": (5, True),
    "x-frame-options-sameorigin-or-deny": (5, True),
    "x-frame-options-allow-from-origin": (0, True),
    "x-frame-options-not-implemented": (-20, False),
    "x-frame-options-header-invalid": (-20, False),
    # cross-origin-resource-policy
    "corp-implemented-with-same-origin": (10, True),
    "corp-implemented-with-same-site": (10, True),
    "corp-implemented-with-cross-origin": (0, True),
    "corp-not-implemented": (0, True),
    "corp-header-invalid": (-5, False),
}

TESTS = (
    "content-security-policy",
    "cookies",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-resource-policy",
)

# Lower bound of each 5-point bucket -> grade; 100 and above is A+.
GRADE_CHART = (
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
    (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
)  # fmt: skip


@dataclass(frozen=True)
class TestResult:
    name: str
    result: str
    modifier: int
    passed: bool
    data: dict[str, Any] = field(default_factory=dict)

    __test__ = False  # not a pytest test class


@dataclass(frozen=True)
class SiteGrade:
    score: int
    grade: str
    tests: tuple[TestResult, ...]
    algorithm_version: int = ALGORITHM_VERSION

    @property
    def tests_passed(self) -> int:
        return sum(test.passed for test in self.tests)

    @property
    def tests_failed(self) -> int:
        return len(self.tests) - self.tests_passed

    def as_json(self) -> dict[str, Any]:
        return {
            "algorithm_version": self.algorithm_version,
            "score": self.score,
            "grade": self.grade,
            "tests_passed": self.tests_passed,
            "tests_failed": self.tests_failed,
            "tests": {
                test.name: {
                    "result": test.result,
                    "modifier": test.modifier,
                    "pass": test.passed,
                    "data": test.data,
                }
                for test in self.tests
            },
        }


def grade_for(score: int) -> str:
    bucket = min(score - score % 5, 100)
    return next(grade for floor, grade in GRADE_CHART if bucket >= floor)


def score_for(modifiers: list[int]) -> int:
    """Bonuses count only when the score without them already earns an A (90)."""
    with_bonus = 100 + sum(modifiers)
    without_bonus = 100 + sum(modifier for modifier in modifiers if modifier < 0)
    return max(with_bonus if without_bonus >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else without_bonus, 0)


def run_tests(fetches: SiteFetches, preload: PreloadList | None) -> dict[str, tuple[str, dict]]:
    csp = csp_test(fetches)
    hsts = hsts_test(fetches, preload)
    return {
        "content-security-policy": csp,
        "cookies": cookies_test(fetches, hsts_passes=SCORE_TABLE[hsts[0]][1]),
        "cross-origin-resource-sharing": cors_test(fetches),
        "redirection": redirection_test(fetches, preload),
        "referrer-policy": referrer_policy_test(fetches),
        "strict-transport-security": hsts,
        "subresource-integrity": sri_test(fetches),
        "x-content-type-options": x_content_type_options_test(fetches),
        "x-frame-options": x_frame_options_test(fetches, csp[1]),
        "cross-origin-resource-policy": corp_test(fetches),
    }


def grade_site(fetches: SiteFetches, preload: PreloadList | None = None) -> SiteGrade:
    """Run the ten tests on what was fetched and grade the site (the caller checks the 2xx gate)."""
    results = run_tests(fetches, preload)
    tests = tuple(
        TestResult(name, result, *SCORE_TABLE[result], data)
        for name in TESTS
        for result, data in [results[name]]
    )
    score = score_for([test.modifier for test in tests])
    return SiteGrade(score=score, grade=grade_for(score), tests=tests)
