"""Evidence of the page collector "keyboard-reflow": a keyboard walk and reflow at 320 CSS px.

Only sampled pages have it (the first pages a scan visits); the others have no entry at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from scanner.evidence.records import NestedEvidence


@dataclass(frozen=True)
class CoveringLayer:
    """A fixed or sticky layer (header, cookie banner) over the centre of a focused element."""

    selector: str
    position: str  # fixed or sticky
    html: str = ""


@dataclass(frozen=True)
class FocusStop:
    """Where one Tab press put the focus: an element of the top document, or a frame."""

    kind: str  # "element" or "frame" (focus inside a frame is not followed)
    # Unique in the page (checked with querySelectorAll); " >> " crosses into an open shadow root.
    # "" when no unique selector was found. The walk itself tells stops apart by the element.
    selector: str
    tag: str = ""
    html: str = ""
    text: str = ""
    # elements only:
    rect: tuple[int, ...] | None = None  # left, top, width, height in CSS px
    style: dict[str, str] | None = None  # computed focus styles (outline, shadow, colours, ...)
    unfocused_style: dict[str, str] | None = None  # the same, with the element unfocused; None if gone
    visible: bool = False
    fragment: str | None = None  # a same-page link's target id
    target_exists: bool = False  # ... and whether the page has it
    covered_by: CoveringLayer | None = None


@dataclass(frozen=True)
class TrapTest:
    """How the walk tried to get out of a loop that Tab went round twice (or a long stay).

    Tab first, then Shift+Tab, then Escape followed by Tab; ``left_by`` is the first key that took
    focus out of the loop's elements, None when none did: then focus demonstrably cannot leave.
    """

    loop: tuple[int, ...]  # indices into KeyboardWalk.stops, in Tab order
    tried: tuple[str, ...]  # "tab", "shift-tab", "escape"
    left_by: str | None = None


@dataclass(frozen=True)
class KeyboardWalk:
    max_tabs: int
    # limit, left-document, nothing-focusable, wrapped (back at the first stop), cycle (Tab went
    # round a loop of later stops twice), stuck (focus stayed on one element)
    ending: str
    cycle_start: int | None = None  # index of the stop a cycle (or a stay) begins with
    stops: tuple[FocusStop, ...] = ()  # in Tab order, each element once (told apart by identity)
    # Walks stored before exits were tried (and stops compared by selector) have none: their
    # cycles are not evidence of a trap.
    trap: TrapTest | None = None

    @property
    def trapped(self) -> bool:
        """Focus demonstrably cannot leave a region: Tab, Shift+Tab and Escape all kept it there."""
        return self.ending in ("cycle", "stuck") and self.trap is not None and self.trap.left_by is None

    @property
    def elements(self) -> tuple[FocusStop, ...]:
        return tuple(stop for stop in self.stops if stop.kind == "element")


@dataclass(frozen=True)
class ReflowOffender:
    """An outermost element reaching beyond the viewport's right edge."""

    selector: str
    tag: str
    width: int
    right: int
    html: str = ""


@dataclass(frozen=True)
class Reflow:
    width: int  # the viewport width tested, CSS px
    client_width: int
    overflow_px: int  # how far the document scrolls horizontally
    offenders: tuple[ReflowOffender, ...] = ()


@dataclass(frozen=True)
class InteractionDurations:
    """Milliseconds each part took (not recorded before govscan kept them)."""

    keyboard: int
    reflow: int


@dataclass(frozen=True)
class InteractionEvidence(NestedEvidence):
    KIND: ClassVar[str] = "keyboard-reflow"

    keyboard: KeyboardWalk
    reflow: Reflow
    duration_ms: InteractionDurations | None = field(default=None)
    # The WCAG version the scan was configured for: checks of newer criteria (2.4.11) are not
    # evaluated on the page. None before it was recorded.
    wcag_version: str | None = None
