"""Tables of the security family: the HTTP header grade and the TLS profile outcomes per host and scan.

Both are written from the records the security checks yield at scan time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from scanner.store.check_records import record_writer
from scanner.store.models import json_column, text_column

if TYPE_CHECKING:
    from scanner.findings.located import LocatedRecord


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


def header_grades(db: Session, scan_id: int) -> dict[str, HeaderGrade]:
    """Host -> the stored header grade of a scan."""
    rows = db.exec(select(HeaderGrade).where(HeaderGrade.scan_id == scan_id)).all()
    return {row.host: row for row in rows}


def tls_profile_outcomes(db: Session, scan_id: int) -> list[TlsProfileOutcome]:
    """The stored profile outcomes of a scan (none for scans from before they were stored)."""
    rows = db.exec(select(TlsProfileOutcome).where(TlsProfileOutcome.scan_id == scan_id)).all()
    return sorted(rows, key=lambda row: (row.host, row.port, row.profile))


@record_writer("header-grade")
def add_header_grade(db: Session, scan_id: int, record: LocatedRecord) -> None:
    """The grade the ``security.http-headers`` check gave a host (None fields: not graded)."""
    grade = record.data
    db.add(
        HeaderGrade(
            scan_id=scan_id,
            host=record.host,
            algorithm_version=grade["algorithm_version"],
            score=grade.get("score"),
            grade=grade.get("grade"),
            tests_passed=grade.get("tests_passed"),
            tests_failed=grade.get("tests_failed"),
            not_graded=grade.get("not_graded"),
            preload_list=grade.get("preload_list"),
            tests=grade.get("tests", {}),
        )
    )


@record_writer("tls-profile-outcome")
def add_tls_profile_outcome(db: Session, scan_id: int, record: LocatedRecord) -> None:
    """One profile's outcome for one host, as the ``security.tls.profile`` check judged it."""
    outcome = record.data
    db.add(
        TlsProfileOutcome(
            scan_id=scan_id,
            host=record.host,
            port=record.port,
            profile=outcome["profile"],
            profile_version=outcome["profile_version"],
            deviations=outcome["deviations"],
            not_tested=outcome["not_tested"],
        )
    )
