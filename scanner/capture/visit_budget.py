"""One clock per visit: every step of a page visit draws on the page timeout, none adds to it.

The page timeout is what a page may cost, whatever it does. Loading may use at most
``LOAD_SHARE`` of it (a page still loading then is captured as it stands, or recorded as
incomplete when its document has not arrived); settling, reading, every collector and leaving the
page share the rest. A step that finds the time spent does not run, and says so. On top of the
page timeout, ending a page that does not answer (closing its context, which ends its renderer)
may take ``END_MARGIN`` seconds: that is the documented bound of one visit. A visit that first
answers a consent banner makes two navigations and gets the page timeout for each.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

LOAD_SHARE = 0.6  # of the page timeout, for navigation and the load event
END_MARGIN = 5.0  # seconds past the budget to read a page that stopped answering and to end it
READ_MINIMUM = 2.0  # seconds reading a loaded page may always take, within the margin


@dataclass(frozen=True)
class VisitBudget:
    """Seconds from ``started`` (``time.monotonic()``) that one navigation of a visit may use."""

    started: float
    seconds: float

    @classmethod
    def start(cls, seconds: float) -> VisitBudget:
        return cls(time.monotonic(), seconds)

    @property
    def ends_at(self) -> float:
        return self.started + self.seconds

    @property
    def load_ends_at(self) -> float:
        return self.started + self.seconds * LOAD_SHARE

    def remaining(self) -> float:
        return max(self.ends_at - time.monotonic(), 0.0)

    def remaining_for_load(self) -> float:
        return max(self.load_ends_at - time.monotonic(), 0.0)

    def bound(self, allowance: float) -> float:
        """A step's own allowance, cut to what is left of the visit."""
        return min(allowance, self.remaining())
