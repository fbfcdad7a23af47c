"""Heuristics over the text of an accessibility statement ("Erklärung zur Barrierefreiheit").

The mandatory parts follow Implementing Decision (EU) 2018/1523 (model statement) and BGG §12b(2):
compliance status, the standard applied, non-accessible content with reasons, the date and method
of preparation, a feedback contact and the enforcement (Schlichtung) procedure with a link. German
and English statements are understood. Heuristics find words, not meaning: a missing part is a
``review``, never a fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from checks.accessibility.statement_status import declared_status

_I = re.IGNORECASE
STANDARD = re.compile(r"BITV\s*2\.0|EN\s*301\s*549|WCAG\s*2(?:\.[0-2])?", _I)
NON_ACCESSIBLE = re.compile(
    r"nicht\s+barrierefreie?n?\s+(?:inhalte|bereiche|teile)|unvereinbarkeit|non-accessible\s+content"
    r"|content\s+(?:that\s+is\s+)?not\s+accessible",
    _I,
)
REASONS = re.compile(
    r"unverhältnismäßige|unverhaeltnismaessige|begründung|begruendung|nicht\s+in\s+den\s+anwendungsbereich"
    r"|disproportionate\s+burden|outside\s+the\s+scope|\breason",
    _I,
)
METHOD = re.compile(
    r"selbstbewertung|selbstbeurteilung|selbsteinschätzung|prüfung\s+durch\s+(?:dritte|externe)"
    r"|bitv-test|externe[nr]?\s+prüf|self[- ]assessment|third[- ]party|evaluation\s+(?:carried|by)",
    _I,
)
FEEDBACK = re.compile(
    r"feedback|rückmeldung|barrieren?\s+melden|kontakt|ansprechpart|contact\s+us|report\s+(?:a\s+)?barrier",
    _I,
)
ENFORCEMENT = re.compile(
    r"schlichtung|durchsetzungsverfahren|enforcement\s+procedure|conciliation|ombuds", _I
)
DATE_CONTEXT = re.compile(
    r"erstellt|überprüft|ueberprueft|aktualisiert|stand|geprüft|prepared|reviewed|updated|revised", _I
)

_MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "februar": 2, "february": 2, "märz": 3, "maerz": 3,
    "march": 3, "april": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7,
    "august": 8, "september": 9, "oktober": 10, "october": 10, "november": 11, "dezember": 12,
    "december": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATES = (
    (re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(20\d\d)\b"), ("day", "month", "year")),
    (re.compile(r"\b(20\d\d)-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
    (re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_NAMES})\s+(20\d\d)\b", _I), ("day", "name", "year")),
    (re.compile(rf"\b({_MONTH_NAMES})\s+(\d{{1,2}}),?\s+(20\d\d)\b", _I), ("name", "day", "year")),
)
DATE_WINDOW = 120  # characters after a word like "erstellt" in which its date is looked for
PARTS = ("status", "standard", "non_accessible_content", "date_and_method", "feedback", "enforcement")


@dataclass(frozen=True)
class StatementLink:
    href: str
    text: str


@dataclass
class StatementAnalysis:
    found: dict[str, bool] = field(default_factory=dict)
    status: str | None = None  # "full" | "partial" | "none"
    statement_date: date | None = None
    method: str | None = None

    @property
    def missing(self) -> list[str]:
        return [part for part in PARTS if not self.found.get(part)]


def analyse_statement(text: str, links: list[StatementLink]) -> StatementAnalysis:
    """Which mandatory parts the statement's main text and its links show."""
    analysis = StatementAnalysis()
    analysis.status = declared_status(text)
    analysis.found["status"] = analysis.status is not None
    analysis.found["standard"] = STANDARD.search(text) is not None
    fully = analysis.status == "full"
    listed = NON_ACCESSIBLE.search(text) is not None and REASONS.search(text) is not None
    analysis.found["non_accessible_content"] = fully or listed  # a fully compliant site lists nothing
    method = METHOD.search(text)
    analysis.method = method[0] if method else None
    analysis.statement_date = statement_date(text)
    analysis.found["date_and_method"] = method is not None and analysis.statement_date is not None
    contact = any(link.href.lower().startswith(("mailto:", "tel:")) for link in links)
    analysis.found["feedback"] = FEEDBACK.search(text) is not None and (contact or _has_form_link(links))
    analysis.found["enforcement"] = ENFORCEMENT.search(text) is not None and any(
        ENFORCEMENT.search(f"{link.href} {link.text}") for link in links if link.href.startswith("http")
    )
    return analysis


def statement_date(text: str) -> date | None:
    """The newest date named after 'erstellt', 'überprüft', 'Stand', ... (else the newest at all)."""
    near = [
        found
        for context in DATE_CONTEXT.finditer(text)
        for found in _dates(text[context.end() : context.end() + DATE_WINDOW])
    ]
    candidates = near or _dates(text)
    return max(candidates) if candidates else None


def _dates(text: str) -> list[date]:
    found = []
    for pattern, order in _DATES:
        for match in pattern.finditer(text):
            values = dict(zip(order, match.groups(), strict=True))
            month = _MONTHS[values["name"].lower()] if "name" in values else int(values["month"])
            try:
                found.append(date(int(values["year"]), month, int(values["day"])))
            except ValueError:
                continue
    return found


def _has_form_link(links: list[StatementLink]) -> bool:
    return any(FEEDBACK.search(link.text) or "formular" in link.href.lower() for link in links)
