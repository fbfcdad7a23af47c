"""Tables. Every scan keeps its evidence, so that history can be compared years later.

Values that may carry personal data (cookie and storage values, query strings) are stored as
hashes with their lengths and keys, never in clear (ARCHITECTURE.md, "Evidence rules").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSON_TYPE = JSON().with_variant(JSONB(), "postgresql")


def utc_now() -> datetime:
    return datetime.now(UTC)


def json_column(*, nullable: bool, default_factory: Any = None) -> Any:
    """A JSON column (JSONB on PostgreSQL); non-nullable ones default to an empty list or dict."""
    if nullable:
        return Field(default=None, sa_column=Column(JSON_TYPE, nullable=True))
    return Field(default_factory=default_factory, sa_column=Column(JSON_TYPE, nullable=False))


def text_column(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


class Target(SQLModel, table=True):
    """An authority's portal, as last defined in targets.toml."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    authority_level: str | None = None
    tags: list[str] = json_column(nullable=False, default_factory=list)
    schedule: str | None = None
    config_json: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class Scan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    status: str = "running"  # running | completed | failed (see ScanStatus)
    stopped_by: str | None = None  # frontier_exhausted | max_pages | time_budget | interrupted
    failure_class: str | None = None
    failure_detail: str | None = text_column()
    started_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None
    active_seconds: float = 0.0  # time spent scanning, summed over resumed runs
    resumed_count: int = 0
    runner_host: str | None = None
    runner_pid: int | None = None
    govscan_version: str = ""
    chromium_version: str | None = None
    # versions that shape results: Chromium, axe-core, TLS profile, downloaded lists ...
    engine_versions: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    config_hash: str = Field(index=True)
    # the resolved target, as scanned
    config_json: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    # counts written when the scan ends
    summary: dict[str, Any] = json_column(nullable=False, default_factory=dict)


class FrontierItem(SQLModel, table=True):
    """A URL the crawler knows of. The frontier lives here, not in memory."""

    __table_args__ = (
        UniqueConstraint("scan_id", "url_key"),
        Index("ix_frontier_next", "scan_id", "state", "depth", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id")
    url: str = Field(sa_column=Column(Text, nullable=False))
    url_key: str
    host: str
    depth: int
    kind: str = "html"  # html | document
    source: str = "link"  # start | link | sitemap | redirect
    discovered_from: str | None = text_column()
    state: str = "queued"  # queued | in_progress | done


class Page(SQLModel, table=True):
    """One visit (or one document record) in one scenario."""

    __table_args__ = (UniqueConstraint("scan_id", "url_key", "scenario"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    url: str = Field(sa_column=Column(Text, nullable=False))
    url_key: str
    scenario: str
    kind: str
    depth: int = 0
    referrer: str | None = text_column()  # the page whose link led here
    status: str  # ok | failed | not_tested
    failure_class: str | None = None
    failure_detail: str | None = text_column()
    final_url: str | None = text_column()
    http_status: int | None = None
    content_type: str | None = None
    content_length: int | None = None
    title: str | None = text_column()
    html_lang: str | None = None
    redirect_chain: list[Any] = json_column(nullable=False, default_factory=list)
    response_headers: list[Any] = json_column(nullable=False, default_factory=list)
    tls: dict[str, Any] | None = json_column(nullable=True)
    timings: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    console: list[Any] = json_column(nullable=False, default_factory=list)
    frames: list[Any] = json_column(nullable=False, default_factory=list)
    links: list[Any] = json_column(nullable=False, default_factory=list)
    # page collectors' evidence (axe, consent, ...)
    extras: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    dom_html_gz: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    fetched_at: datetime = Field(default_factory=utc_now)


class Request(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    page_id: int = Field(foreign_key="page.id", index=True)
    url: str = Field(sa_column=Column(Text, nullable=False))  # query values replaced by hashes
    host: str = Field(index=True)
    registrable_domain: str
    third_party: bool
    method: str
    resource_type: str
    frame_url: str | None = text_column()
    is_main_frame: bool = True
    is_navigation: bool = False
    initiator_type: str | None = None
    initiator_url: str | None = text_column()
    status: int | None = None
    mime_type: str | None = None
    remote_address: str | None = None
    failure: str | None = None
    started_ms: float | None = None
    # the vendor registry's attribution at scan time (checks/privacy/attribution.py); NULL before 0005
    vendor: dict[str, Any] | None = json_column(nullable=True)


class Cookie(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    page_id: int = Field(foreign_key="page.id", index=True)
    name: str
    domain: str
    path: str
    expires: float | None = None  # epoch seconds; None: session cookie
    http_only: bool = False
    secure: bool = False
    same_site: str | None = None
    partition_key: str | None = None
    third_party: bool = False
    value_hash: str
    value_length: int
    vendor: dict[str, Any] | None = json_column(nullable=True)  # as on Request


class StorageItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    page_id: int = Field(foreign_key="page.id", index=True)
    origin: str
    kind: str  # local | session
    key: str = Field(sa_column=Column(Text, nullable=False))
    value_hash: str
    value_length: int
    vendor: dict[str, Any] | None = json_column(nullable=True)  # as on Request


class Finding(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("scan_id", "fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    page_id: int | None = Field(default=None, foreign_key="page.id", index=True)
    check_id: str = Field(index=True)
    family: str
    scope: str
    result: str  # fail | review
    severity: str
    fingerprint: str = Field(index=True)
    page_url: str | None = text_column()
    host: str | None = None
    scenario: str | None = None
    frame_url: str | None = text_column()
    selector: str | None = text_column()
    snippet: str | None = text_column()
    subject: str | None = text_column()
    message_de: str = Field(sa_column=Column(Text, nullable=False))
    message_en: str = Field(sa_column=Column(Text, nullable=False))
    evidence: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    created_at: datetime = Field(default_factory=utc_now)


class HostResult(SQLModel, table=True):
    """The outcome of one host-level probe (HTTP redirect, TLS, ...) for one host in one scan."""

    __table_args__ = (UniqueConstraint("scan_id", "host", "port", "probe"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    host: str
    port: int
    probe: str
    ok: bool
    failure_class: str | None = None
    failure_detail: str | None = text_column()
    data: dict[str, Any] = json_column(nullable=False, default_factory=dict)
    finished_at: datetime = Field(default_factory=utc_now)


class CheckTally(SQLModel, table=True):
    """Coverage: how many pages or hosts a check looked at, and what came of it."""

    __table_args__ = (UniqueConstraint("scan_id", "check_id"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    check_id: str
    evaluated: int = 0  # subjects the check ran on
    with_findings: int = 0  # subjects with at least one finding
    findings: int = 0
    errors: int = 0  # subjects on which the check itself crashed (a bug, never a pass)
