"""Accessibility checks (WCAG 2.x, EN 301 549, BITV 2.0)."""

from checks.accessibility import (  # noqa: F401
    axe_coverage,
    axe_rules,
    document_lang,
    homepage_offers,
    keyboard,
    link_texts,
    media,
    pdf,
    statement,
)
