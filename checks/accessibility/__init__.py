"""Accessibility checks (WCAG 2.x, EN 301 549, BITV 2.0)."""

from scanner.families import ACTS_ON_PAGE, INSPECTS, CollectorDeclaration, FamilyDeclaration

FAMILY = FamilyDeclaration(
    name="accessibility",
    checks=(
        "checks.accessibility.axe_coverage",
        "checks.accessibility.axe_rules",
        "checks.accessibility.document_lang",
        "checks.accessibility.homepage_offers",
        "checks.accessibility.keyboard",
        "checks.accessibility.link_texts",
        "checks.accessibility.media",
        "checks.accessibility.pdf",
        "checks.accessibility.statement",
    ),
    collectors=(
        CollectorDeclaration("scanner.capture.collectors.accessibility_axe:AxeCollector", INSPECTS),
        CollectorDeclaration("scanner.capture.collectors.accessibility_dom:DomCollector", INSPECTS),
        CollectorDeclaration(
            "scanner.capture.collectors.accessibility_interaction:InteractionCollector", ACTS_ON_PAGE
        ),
    ),
    engine_versions=("scanner.capture.axe.versions:axe_versions",),
)
