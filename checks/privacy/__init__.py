"""Privacy checks (TDDDG §25, DSGVO): third parties, trackers, cookies and storage."""

from scanner.families import READS_PAGE_ACTIVITY, CollectorDeclaration, FamilyDeclaration

FAMILY = FamilyDeclaration(
    name="privacy",
    checks=(
        "checks.privacy.consent_site",
        "checks.privacy.device_storage",
        "checks.privacy.embeds",
        "checks.privacy.legal_pages",
        "checks.privacy.page_signals",
        "checks.privacy.third_party_request",
        "checks.privacy.trackers",
    ),
    collectors=(
        CollectorDeclaration("scanner.capture.collectors.consent:ConsentCollector", READS_PAGE_ACTIVITY),
        CollectorDeclaration("scanner.capture.collectors.privacy:PrivacyCollector", READS_PAGE_ACTIVITY),
    ),
    engine_versions=("scanner.capture.privacy_versions:privacy_versions",),
    datasets=("checks.privacy.filter_lists",),
)
