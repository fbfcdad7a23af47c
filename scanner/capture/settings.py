"""How long a page visit may take, step by step: the bounds every visit and collector works within."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.capture.recorder import MAX_DOCUMENT_BYTES
from scanner.capture.visit_budget import END_MARGIN


@dataclass(frozen=True)
class CaptureSettings:
    page_timeout: float = 30.0  # seconds one navigation of a visit may take, all steps included
    settle_quiet: float = 0.5  # seconds without network activity that count as settled
    settle_cap: float = 5.0  # never settle longer than this after load
    settle_write_quiet: float = 0.2  # seconds after a cookie or storage write before the jar is read
    exit_window: float = 1.5  # seconds to record what the page sends when it is left (beacons)
    max_document_bytes: int = MAX_DOCUMENT_BYTES  # decoded size of the top document

    @property
    def hard_limit(self) -> float:
        """Seconds after which a first visit is abandoned, whatever the browser is doing."""
        return self.page_timeout + END_MARGIN
