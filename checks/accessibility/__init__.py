"""Accessibility checks (WCAG 2.x, EN 301 549, BITV 2.0)."""

from checks.accessibility import axe_coverage, axe_rules, document_lang  # noqa: F401
