"""Evidence of the ``http-headers`` host probe: the fetches the header grade reads.

``fetches`` is the stored ``SiteFetches`` JSON (bodies cut down to their ``<meta>`` and ``<script>``
elements). The grade is the ``security.http-headers`` check's judgement and is stored as its
record; evidence of version 1 (before the grade moved to the check) carried the grade itself in
``grade`` / ``not_graded``, and reports of those scans still read it from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.evidence.typed import TypedEvidence

HTTP_HEADERS_PROBE = "http-headers"


@dataclass(frozen=True)
class HttpHeadersEvidence(TypedEvidence):
    KIND = HTTP_HEADERS_PROBE
    VERSION = 2

    fetches: dict[str, Any] = field(default_factory=dict)
    # Version 1 only: the grade as the probe computed it.
    algorithm_version: int | None = None
    preload_list: str | None = None  # "installed" | "not installed": whether the preload bonus was reachable
    preload_dataset: str | None = None
    grade: dict[str, Any] | None = None  # SiteGrade JSON: score, grade, tests_passed/failed, tests
    not_graded: str | None = None  # why there is no grade (the Observatory grades 2xx pages only)

    def to_json(self) -> dict[str, Any]:
        """Only the fields that hold something: version 2 writes ``fetches`` alone."""
        data = super().to_json()
        return {key: value for key, value in data.items() if value is not None}
