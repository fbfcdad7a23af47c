"""What a ``review`` finding asks of a person: what to look at, and why the scan could not decide.

A review finding that only says "needs review" makes a reviewer guess; forty of them on a clean
page make them stop reading. Every review carries a ``ReviewNote``: a stable ``reason`` key (the
kind of doubt, e.g. ``axe:color-contrast:bgImage``; the root-cause layer groups reviews of one
kind in one template place by it), what to look at, and why automation stopped short. The note
goes into the finding's message (every view shows it) and, as plain JSON, into its evidence under
``review_note`` (exports, grouping). Neither is part of the fingerprint: wording may change, identity not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.findings.registry import Text

EVIDENCE_KEY = "review_note"  # not "review": exports use that for the review decision


@dataclass(frozen=True)
class ReviewNote:
    reason: str  # stable key of the kind of doubt; never page values (they would split groups)
    look_at: Text  # what a person has to look at, and what decides it
    why: Text  # why the automated check could not decide

    def message(self, what: Text) -> Text:
        """The finding's own sentence, then what to look at and why it is left to a person."""
        return Text(
            de=f"{what.de}\nPrüfen: {self.look_at.de}\nWarum nicht automatisch: {self.why.de}",
            en=f"{what.en}\nLook at: {self.look_at.en}\nWhy not automatic: {self.why.en}",
        )

    def evidence(self) -> dict[str, Any]:
        return {
            EVIDENCE_KEY: {
                "reason": self.reason,
                "look_at": {"de": self.look_at.de, "en": self.look_at.en},
                "why": {"de": self.why.de, "en": self.why.en},
            }
        }


def review_reason(evidence: Any) -> str | None:
    """The reason key a stored finding's evidence carries, if any."""
    if not isinstance(evidence, dict):
        return None
    note = evidence.get(EVIDENCE_KEY)
    reason = note.get("reason") if isinstance(note, dict) else None
    return reason if isinstance(reason, str) and reason else None
