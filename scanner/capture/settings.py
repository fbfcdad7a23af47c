"""How long a page visit may take, step by step: the bounds every visit and collector works within."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaptureSettings:
    page_timeout: float = 30.0  # seconds for the navigation and for the load event
    settle_quiet: float = 0.5  # seconds without network activity that count as settled
    settle_cap: float = 5.0  # never settle longer than this after load
    settle_write_quiet: float = 0.2  # seconds after a cookie or storage write before the jar is read
    reading_allowance: float = 15.0  # seconds to read DOM, storage and cookies of a settled page
    exit_window: float = 1.5  # seconds to record what the page sends when it is left (beacons)

    @property
    def hard_limit(self) -> float:
        """Seconds after which a visit is abandoned, whatever the browser is doing."""
        return self.page_timeout + self.settle_cap + self.reading_allowance + 2 * self.exit_window
