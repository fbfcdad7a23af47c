"""Privacy checks (TDDDG §25, DSGVO): third parties, trackers, cookies and storage."""

from checks.privacy import (  # noqa: F401
    consent_site,
    device_storage,
    embeds,
    legal_pages,
    page_signals,
    third_party_request,
    trackers,
)
