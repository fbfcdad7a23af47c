"""The MDN HTTP Observatory header grade, algorithm version 5, reimplemented in Python.

Written from the published algorithm (mdn/mdn-http-observatory, tag v1.6.3: the ten tests, their
result classes and modifiers, the rule that bonuses count only from 90 points up, and the grade
chart). Nothing here talks to the network: ``grade_site(SiteFetches)`` is a pure function of what
the ``http-headers`` host probe fetched, so golden tests can pin every rule.
"""

from checks.security.observatory.scoring import ALGORITHM_VERSION, SiteGrade, TestResult, grade_site
from scanner.evidence.site_fetches import FetchedResponse, SiteFetches

__all__ = ["ALGORITHM_VERSION", "FetchedResponse", "SiteFetches", "SiteGrade", "TestResult", "grade_site"]
