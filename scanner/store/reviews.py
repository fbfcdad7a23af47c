"""Review decisions: a person's judgement on a finding, kept across scans by its fingerprint.

A decision (confirmed, false positive, accepted) holds for every later finding with the same
fingerprint as long as what the reviewer judged is unchanged; ``judged_hash`` stores a hash of
that. When the element's markup or the result changes, the decision lapses: the finding shows up
again, marked "decision lapsed", until someone decides anew. Decisions are never deleted; a new
decision on the same fingerprint supersedes the older one.

What is judged: check id, result, severity, subject, normalised selector and the snippet with its
whitespace collapsed. The free-form evidence is deliberately left out: it carries values that
change on every visit (request query hashes, server addresses, timings), which would make every
decision lapse on the next scan.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import Column, Text
from sqlmodel import Field, Session, SQLModel, select

from scanner.findings.fingerprint import normalise_selector
from scanner.store.models import Finding, Scan, utc_now
from scanner.store.scans import is_complete


class Decision(StrEnum):
    CONFIRMED = "confirmed"  # a real defect: stays open, marked as confirmed
    FALSE_POSITIVE = "false-positive"  # not a defect: suppressed
    ACCEPTED = "accepted"  # a known defect the authority accepts (for now): suppressed

    @property
    def suppresses(self) -> bool:
        return self is not Decision.CONFIRMED


class ReviewDecision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(index=True)
    check_id: str
    decision: str  # see Decision
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: str
    decided_at: datetime = Field(default_factory=utc_now)
    judged_hash: str  # see judged_hash(); the decision holds only while this matches
    scan_id: int | None = Field(default=None, foreign_key="scan.id")  # where the judged finding was seen
    target_id: int | None = Field(default=None, foreign_key="target.id", index=True)


class Judged(Protocol):
    check_id: str
    result: str
    severity: str
    subject: str | None
    selector: str | None
    snippet: str | None


def judged_hash(finding: Judged) -> str:
    content = {
        "check_id": finding.check_id,
        "result": finding.result,
        "severity": finding.severity,
        "subject": finding.subject or "",
        "selector": normalise_selector(finding.selector or ""),
        "snippet": " ".join((finding.snippet or "").split()),
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(encoded).hexdigest()[:32]


def latest_decisions(db: Session, fingerprints: set[str] | None = None) -> dict[str, ReviewDecision]:
    """The newest decision per fingerprint (of the given ones, or all)."""
    query = select(ReviewDecision)
    if fingerprints is not None:
        if not fingerprints:
            return {}
        query = query.where(ReviewDecision.fingerprint.in_(sorted(fingerprints)))
    newest: dict[str, ReviewDecision] = {}
    for row in db.exec(query.order_by(ReviewDecision.decided_at, ReviewDecision.id)).all():
        newest[row.fingerprint] = row
    return newest


class ReviewError(LookupError):
    """A review that cannot be recorded: unknown or ambiguous fingerprint, missing reason or person."""


MIN_PREFIX = 8  # characters of a fingerprint that may stand for the whole


def record_decision(
    db: Session,
    fingerprint: str,
    decision: Decision,
    *,
    reason: str,
    decided_by: str,
    scan_id: int | None = None,
) -> ReviewDecision:
    """Judge the newest finding with this fingerprint (or a unique prefix), optionally in one scan."""
    if not reason.strip():
        raise ReviewError("--reason must say why (it is shown beside the finding in every report)")
    if not decided_by.strip():
        raise ReviewError("--by must name who decides")
    wanted = fingerprint.strip().lower()
    if len(wanted) < MIN_PREFIX:
        raise ReviewError(f"fingerprint {fingerprint!r}: give at least {MIN_PREFIX} characters")
    query = select(Finding).where(Finding.fingerprint.startswith(wanted))
    if scan_id is not None:
        query = query.where(Finding.scan_id == scan_id)
    matches = db.exec(query.order_by(Finding.scan_id.desc(), Finding.id.desc())).all()
    distinct = sorted({match.fingerprint for match in matches})
    if not distinct:
        where = f" in scan {scan_id}" if scan_id is not None else ""
        raise ReviewError(f"no finding with fingerprint {fingerprint!r}{where}")
    if len(distinct) > 1:
        raise ReviewError(f"fingerprint {fingerprint!r} is ambiguous: {', '.join(distinct[:5])}")
    finding = matches[0]
    scan = db.get(Scan, finding.scan_id)
    row = ReviewDecision(
        fingerprint=finding.fingerprint,
        check_id=finding.check_id,
        decision=decision.value,
        reason=reason.strip(),
        decided_by=decided_by.strip(),
        judged_hash=judged_hash(finding),
        scan_id=finding.scan_id,
        target_id=scan.target_id if scan else None,
    )
    db.add(row)
    db.commit()
    return row


def decision_state(db: Session, decision: ReviewDecision) -> str:
    """current / lapsed for the finding in the target's newest completed scan; absent if it is not there."""
    completed = db.exec(
        select(Scan)
        .where(Scan.target_id == decision.target_id, Scan.status == "completed")
        .order_by(Scan.id.desc())
    )
    # Only a complete scan can say a finding is absent: an incomplete one may not have reached it.
    newest = next((scan for scan in completed if is_complete(scan)), None)
    if newest is None:
        return "absent"
    finding = db.exec(
        select(Finding).where(Finding.scan_id == newest.id, Finding.fingerprint == decision.fingerprint)
    ).first()
    if finding is None:
        return "absent"
    return "current" if judged_hash(finding) == decision.judged_hash else "lapsed"
