"""Tables of the security family: the HTTP header grade and the TLS profile outcomes per host and scan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from scanner.evidence import HostProbeResult
from scanner.evidence.http_headers import HttpHeadersEvidence
from scanner.store.models import json_column, text_column


class HeaderGrade(SQLModel, table=True):
    """MDN HTTP Observatory score and grade of one host in one scan (with the algorithm version)."""

    __tablename__ = "header_grade"
    __table_args__ = (UniqueConstraint("scan_id", "host"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    host: str = Field(index=True)
    algorithm_version: int
    score: int | None = None  # None: not graded (see not_graded)
    grade: str | None = None
    tests_passed: int | None = None
    tests_failed: int | None = None
    not_graded: str | None = text_column()
    preload_list: str | None = None  # "installed" | "not installed": whether the preload bonus was reachable
    tests: dict[str, Any] = json_column(
        nullable=False, default_factory=dict
    )  # test -> result, modifier, pass


class TlsProfileOutcome(SQLModel, table=True):
    """How one host's TLS configuration compares with one profile, judged at scan time.

    The report reads these instead of evaluating the profiles again, so it shows what the scan's
    own profile definitions said (older scans without rows are evaluated when the report is built).
    """

    __tablename__ = "tls_profile_outcome"
    __table_args__ = (UniqueConstraint("scan_id", "host", "port", "profile"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    host: str
    port: int
    profile: str
    profile_version: str
    deviations: dict[str, Any] = json_column(nullable=False, default_factory=dict)  # rule -> values
    not_tested: list[str] = json_column(nullable=False, default_factory=list)  # rules without facts


def tls_profile_outcomes(db: Session, scan_id: int) -> list[TlsProfileOutcome]:
    """The stored profile outcomes of a scan (none for scans from before they were stored)."""
    rows = db.exec(select(TlsProfileOutcome).where(TlsProfileOutcome.scan_id == scan_id)).all()
    return sorted(rows, key=lambda row: (row.host, row.port, row.profile))


def add_header_grade(db: Session, scan_id: int, result: HostProbeResult) -> None:
    """Store the grade computed by the ``http-headers`` probe (in the probe result's transaction)."""
    evidence = result.evidence(HttpHeadersEvidence)
    if evidence is None:
        return
    grade = evidence.grade
    db.add(
        HeaderGrade(
            scan_id=scan_id,
            host=result.host,
            algorithm_version=evidence.algorithm_version,
            score=grade["score"] if grade else None,
            grade=grade["grade"] if grade else None,
            tests_passed=grade["tests_passed"] if grade else None,
            tests_failed=grade["tests_failed"] if grade else None,
            not_graded=evidence.not_graded,
            preload_list=evidence.preload_list,
            tests=grade["tests"] if grade else {},
        )
    )


def add_tls_profile_outcomes(
    db: Session,
    scan_id: int,
    host: str,
    port: int,
    outcomes: list[tuple[str, str, dict[str, Any], list[str]]],
) -> None:
    """Store (profile, profile version, deviations, rules not tested) per profile for one host."""
    for profile, version, deviations, not_tested in outcomes:
        db.add(
            TlsProfileOutcome(
                scan_id=scan_id,
                host=host,
                port=port,
                profile=profile,
                profile_version=version,
                deviations=deviations,
                not_tested=not_tested,
            )
        )
