"""Evidence of the page collector "axe": what axe-core found in every frame of a page, kept compact.

Violations and incomplete results keep their nodes (at most a bounded number per rule; the count
of all is beside them); every rule that ran keeps its number of violating, incomplete and passing
nodes and whether it was inapplicable, so coverage can be shown. Rule ids are axe's own, messages
German (axe's locale).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from scanner.evidence.records import NestedEvidence

OUTCOMES = ("violations", "incomplete", "passes", "inapplicable")


@dataclass(frozen=True)
class RuleCounts:
    """Nodes per outcome of one rule on one page; ``inapplicable`` is 1 when it found nothing to test."""

    violations: int = 0
    incomplete: int = 0
    passes: int = 0
    inapplicable: int = 0

    @property
    def applicable(self) -> bool:
        """The rule found elements to test (passing, failing or to review)."""
        return bool(self.passes or self.violations or self.incomplete)


@dataclass(frozen=True)
class AxeFrame:
    """A frame axe was asked to test, and whether it answered."""

    path: tuple[Any, ...]  # frame selectors as in node targets; () for the top document
    url: str
    tested: bool = True
    reason: str | None = None  # why not, when not tested


@dataclass(frozen=True)
class AxeCheck:
    """One axe check behind a node's outcome. For an incomplete node it is a check that could not
    decide, and ``message_key`` is axe's reason (color-contrast: bgImage, bgOverlap, pseudoContent)."""

    id: str
    message_key: str = ""
    value: str = ""  # the check's data when it is one plain value (duplicate-id-aria: the id)


@dataclass(frozen=True)
class AxeNode:
    target: tuple[Any, ...]  # frame selectors, then the element's (a list of parts inside shadow roots)
    frame_path: tuple[Any, ...] = ()  # the frame selectors of ``target``; () in the top document
    frame_url: str | None = None
    html: str = ""  # snippet, shortened
    impact: str | None = None
    summary: str = ""  # axe's failure summary, or for incomplete nodes its check messages
    data: dict[str, Any] = field(default_factory=dict)  # measurements (contrast ratio, colours, sizes)
    checks: tuple[AxeCheck, ...] = ()  # the checks behind the outcome; () in evidence stored before


@dataclass(frozen=True)
class AxeRuleResult:
    """The violating (or incomplete) nodes of one rule on one page."""

    id: str
    impact: str | None = None
    help: str = ""  # German
    nodes: tuple[AxeNode, ...] = ()  # the first ones
    node_count: int = 0  # all of them

    @property
    def nodes_left_out(self) -> bool:
        return self.node_count > len(self.nodes)


@dataclass(frozen=True)
class AxeEvidence(NestedEvidence):
    KIND: ClassVar[str] = "axe"

    axe_version: str = ""
    wcag_version: str | None = None  # the conformance target the rules were chosen for
    tags: tuple[str, ...] = ()
    duration_ms: int = 0
    frames: tuple[AxeFrame, ...] = ()
    rules: dict[str, RuleCounts] = field(default_factory=dict)  # every rule that ran, by id
    violations: tuple[AxeRuleResult, ...] = ()
    incomplete: tuple[AxeRuleResult, ...] = ()

    @property
    def untested_frames(self) -> tuple[AxeFrame, ...]:
        return tuple(frame for frame in self.frames if not frame.tested)
