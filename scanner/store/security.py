"""Tables of the security family: the HTTP header grade per host and scan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel

from scanner.evidence import HostProbeResult
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


def add_header_grade(db: Session, scan_id: int, result: HostProbeResult) -> None:
    """Store the grade computed by the ``http-headers`` probe (in the probe result's transaction)."""
    grade = result.data.get("grade")
    db.add(
        HeaderGrade(
            scan_id=scan_id,
            host=result.host,
            algorithm_version=result.data["algorithm_version"],
            score=grade["score"] if grade else None,
            grade=grade["grade"] if grade else None,
            tests_passed=grade["tests_passed"] if grade else None,
            tests_failed=grade["tests_failed"] if grade else None,
            not_graded=result.data.get("not_graded"),
            preload_list=result.data.get("preload_list"),
            tests=grade["tests"] if grade else {},
        )
    )
