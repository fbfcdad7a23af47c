"""What a ``review`` finding asks of a person: what to look at, and why the scan could not decide.

A review finding that only says "needs review" makes a reviewer guess; forty of them on a clean
page make them stop reading. Every review carries a ``ReviewNote``: a stable ``reason`` key (the
kind of doubt, e.g. ``axe:color-contrast:bgImage``; the root-cause layer groups reviews of one
kind in one template place by it), what to look at, and why automation stopped short. The note
goes into the finding's message (every view shows it) and, as plain JSON, into its evidence under
``review_note`` (exports, grouping). Neither is part of the fingerprint: wording may change, identity not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from scanner.findings.registry import REVIEW_NOTE_KEY as EVIDENCE_KEY
from scanner.findings.registry import Finding, Result, ReviewNote

__all__ = ["EVIDENCE_KEY", "ReviewNote", "review_reason", "with_note"]


def with_note(finding: Finding, note: ReviewNote | None) -> Finding:
    """``finding`` with ``note`` in its message and evidence: a review without a note of its own."""
    if note is None or finding.result is not Result.REVIEW or EVIDENCE_KEY in finding.evidence:
        return finding
    evidence = {**finding.evidence, **note.evidence()}
    return replace(finding, message=note.message(finding.message), evidence=evidence)


def review_reason(evidence: Any) -> str | None:
    """The reason key a stored finding's evidence carries, if any."""
    if not isinstance(evidence, dict):
        return None
    note = evidence.get(EVIDENCE_KEY)
    reason = note.get("reason") if isinstance(note, dict) else None
    return reason if isinstance(reason, str) and reason else None
