"""Evidence of the ``http-headers`` host probe: the fetches the header grade reads, and the grade.

``fetches`` is the stored ``SiteFetches`` JSON (bodies trimmed); ``grade`` the MDN Observatory
grade (``SiteGrade`` JSON) or None with ``not_graded`` saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.evidence.typed import TypedEvidence

HTTP_HEADERS_PROBE = "http-headers"


@dataclass(frozen=True)
class HttpHeadersEvidence(TypedEvidence):
    KIND = HTTP_HEADERS_PROBE

    algorithm_version: int
    preload_list: str | None = None  # "installed" | "not installed": whether the preload bonus was reachable
    preload_dataset: str | None = None
    grade: dict[str, Any] | None = None  # SiteGrade JSON: score, grade, tests_passed/failed, tests
    not_graded: str | None = None  # why there is no grade (the Observatory grades 2xx pages only)
    fetches: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``not_graded`` is written only when there is a reason, as the probe always did."""
        data = super().to_json()
        if self.not_graded is None:
            del data["not_graded"]
        return data
