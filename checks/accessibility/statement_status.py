"""The compliance status an accessibility statement declares: full, partial or none.

Statements say it in many ways: the model statement of Implementing Decision (EU) 2018/1523
("… ist teilweise mit der BITV 2.0 vereinbar", "… is partially compliant with …"), the federal
model ("… ist mit § 3 Absätze 1 bis 4 und § 4 der BITV 2.0 vereinbar", where no qualifier means
full), portal wordings ("nur teilweise", "weitgehend", "größtenteils barrierefrei", "konform"), and
headings with a short value instead of a sentence ("Stand der Vereinbarkeit … Teilweise vereinbar").
The text is cut into clauses; the first clause that states a status about the offer itself decides.
Intentions ("ist bemüht, … barrierefrei zugänglich zu machen") and statements about single contents
("PDF-Dokumente sind nicht barrierefrei") are not a status.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
# The words a status sentence ends in (German) or turns on (English).
ANCHOR = re.compile(r"\b(?:vereinbar|barrierefrei|konform|compliant|conformant|conforms?|accessible)\b", _I)
# Words that only state a status when the offer itself is the subject.
NEEDS_SUBJECT = re.compile(r"barrierefrei|accessible", _I)
OFFER = re.compile(
    r"\b(?:website|webseite|internetseite|internetauftritt|internetangebot|online-?angebot|angebot|portal"
    r"|app|anwendung|auftritt|site|application)\b",
    _I,
)
SUBJECT = re.compile(rf"{OFFER.pattern}|\b(?:diese[rs]?|unser(?:e|er)?|this|our)\b", _I)
INTENTION = re.compile(
    r"bemüht|bemueht|\bzu\s+(?:machen|gestalten)\b|committed\s+to|strives?\b|\baims?\s+to", _I
)
HEADING_VERB = re.compile(r"\b(?:ist|sind|is|are)\b", _I)
CLAUSE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])|\n|\|")

PARTIAL = re.compile(
    r"teilweise|weitgehend|größtenteils|groesstenteils|überwiegend|ueberwiegend|\bin\s+teilen\b"
    r"|\bnicht\s+(?:vollständig|vollstaendig|vollumfänglich|ganz|komplett|in\s+vollem\s+umfang)\b"
    r"|partially|\bpartly\b|\blargely\b|\bmostly\b|\bnot\s+(?:fully|completely|entirely)\b",
    _I,
)
NONE = re.compile(r"\bnicht\b|\bkeine?\b|\bnot\b|\bnon-|\bnon\s", _I)


def declared_status(text: str) -> str | None:
    """``"full"``, ``"partial"`` or ``"none"`` as the statement declares it; None when it says nothing."""
    for clause in CLAUSE_END.split(text):
        for anchor in ANCHOR.finditer(clause):
            before = clause[: anchor.start()]
            if _states_status(clause, before, anchor[0]):
                return _kind(before + anchor[0])
    return None


def _states_status(clause: str, before: str, anchor: str) -> bool:
    if INTENTION.search(clause):
        return False
    words = clause.split()
    heading_value = len(words) <= 3 and not HEADING_VERB.search(clause)  # "Teilweise vereinbar"
    if NEEDS_SUBJECT.fullmatch(anchor):  # "Diese Dokumente sind nicht barrierefrei" is no status
        return OFFER.search(before) is not None
    return heading_value or SUBJECT.search(before) is not None or ":" in before


def _kind(phrase: str) -> str:
    if PARTIAL.search(phrase):
        return "partial"
    if NONE.search(phrase):
        return "none"
    return "full"  # "vollständig", "fully", or no qualifier at all ("ist mit … vereinbar")
