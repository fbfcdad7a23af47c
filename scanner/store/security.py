"""Tables of the security family: the HTTP header grade per host and scan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

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
