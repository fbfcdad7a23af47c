"""Privacy checks (TDDDG §25, DSGVO): third parties, trackers, cookies and storage."""

from checks.privacy import third_party_request  # noqa: F401
