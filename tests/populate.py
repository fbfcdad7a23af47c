"""Fill a fresh database with a realistic scan by inserting rows directly (no browser, no network).

The scan of "Gemeinde Beispielhausen" has pages in every state (tested, failed with a timeout, blocked by
robots.txt, redirected out of scope, a PDF document), requests and cookies, findings of all three
families (one of them on a host) and check tallies, plus host results of which one could not be
tested. Some values carry HTML and script, or start like a spreadsheet formula, as hostile pages
would deliver them: reports must show them as text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scanner.store.db import open_database, session
from scanner.store.models import (
    CheckTally,
    Cookie,
    Finding,
    FrontierItem,
    HostResult,
    Page,
    Request,
    Scan,
    Target,
)
from scanner.store.scans import scan_summary

TARGET_NAME = "Gemeinde Beispielhausen"
SITE = "https://www.beispielhausen.de"
HOST = "www.beispielhausen.de"
STARTED_AT = datetime(2025, 3, 3, 8, 0, 0, tzinfo=UTC)
CONFIG_HASH = hashlib.sha256(b"beispielhausen").hexdigest()
CHECK_IDS = ("accessibility.document-lang", "privacy.third-party-request", "security.https-redirect")

# Hostile values, as a scanned page may deliver them.
INJECTION_URL = "https://x.de/?q=<img src=x onerror=alert(1)>"
INJECTION_TITLE = "<script>alert(1)</script>"
INJECTION_SELECTOR = 'main > <b onmouseover="alert(3)">'
INJECTION_SNIPPET = '<b onmouseover="alert(4)">Klick</b>'
INJECTION_MESSAGE_DE = (
    'Gefunden: </td><script>alert(2)</script>, mit Komma, "Anführungszeichen"\nund zweiter Zeile.'
)
INJECTION_MESSAGE_EN = 'Found: </td><script>alert(2)</script>, with comma, "quotes"\nand a second line.'
FORMULA_SNIPPET = '=HYPERLINK("https://evil.example/";"Klick")'

NOT_VISITED = 4  # URLs left in the frontier when max_pages was reached


@dataclass(frozen=True)
class PopulatedScan:
    scan_id: int
    tested_pages: int
    findings: int
    findings_by_family: dict[str, int]


def fresh_database(path: Path) -> Engine:
    """A new SQLite database at ``path`` with the current schema."""
    return open_database(f"sqlite:///{path}")


def populate_scan(
    engine: Engine,
    *,
    status: str = "completed",
    with_findings: bool = True,
    target_name: str = TARGET_NAME,
) -> PopulatedScan:
    """Insert one scan of the Beispielhausen portal; ``status`` running leaves it unfinished."""
    with session(engine) as db:
        target = _target(db, target_name)
        finished = status != "running"
        scan = Scan(
            target_id=target.id,
            status=status,
            stopped_by={"completed": "max_pages", "interrupted": "interrupted"}.get(status),
            started_at=STARTED_AT,
            finished_at=STARTED_AT + timedelta(minutes=12, seconds=34) if finished else None,
            active_seconds=754.2 if finished else 180.5,
            govscan_version="0.1.0",
            chromium_version="134.0.6998.35",
            engine_versions={
                "chromium": "134.0.6998.35",
                "playwright": "1.51.0",
                "user_agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/134.0 govscan/0.1.0",
                "checks": list(CHECK_IDS),
            },
            config_hash=CONFIG_HASH,
            config_json={"name": target_name, "authority_level": "gemeinde", "start_urls": [SITE + "/"]},
            summary={},
        )
        db.add(scan)
        db.flush()
        pages = _pages(db, scan.id)
        _frontier(db, scan.id, pages)
        _requests_and_cookies(db, pages)
        _hosts(db, scan.id)
        findings = _findings(db, scan.id, pages) if with_findings else []
        _tallies(db, scan.id, findings)
        db.flush()
        if finished:
            scan.summary = scan_summary(db, scan.id)
            db.add(scan)
        db.commit()
        by_family: dict[str, int] = {}
        for finding in findings:
            by_family[finding.family] = by_family.get(finding.family, 0) + 1
        return PopulatedScan(scan.id, tested_pages=3, findings=len(findings), findings_by_family=by_family)


def populate_failed_scan(engine: Engine, *, target_name: str = "Amt Nirgendwo") -> int:
    """A scan that could test nothing: the start page's host did not resolve."""
    with session(engine) as db:
        target = _target(db, target_name)
        scan = Scan(
            target_id=target.id,
            status="failed",
            stopped_by="frontier_exhausted",
            failure_class="dns_error",
            failure_detail="www.amt-nirgendwo.de: Name or service not known",
            started_at=STARTED_AT,
            finished_at=STARTED_AT + timedelta(seconds=3),
            active_seconds=2.8,
            govscan_version="0.1.0",
            chromium_version="134.0.6998.35",
            engine_versions={"chromium": "134.0.6998.35", "checks": list(CHECK_IDS)},
            config_hash=CONFIG_HASH,
            config_json={"name": target_name, "authority_level": "land"},
            summary={},
        )
        db.add(scan)
        db.flush()
        db.add(
            _page(
                scan.id,
                "https://www.amt-nirgendwo.de/",
                status="failed",
                failure_class="dns_error",
                failure_detail="net::ERR_NAME_NOT_RESOLVED",
                http_status=None,
                title=None,
            )
        )
        db.add(
            HostResult(
                scan_id=scan.id,
                host="www.amt-nirgendwo.de",
                port=80,
                probe="http-redirect",
                ok=False,
                failure_class="dns_error",
                failure_detail="Name or service not known",
                data={},
            )
        )
        db.flush()
        scan.summary = scan_summary(db, scan.id)
        db.add(scan)
        db.commit()
        return scan.id


def _target(db: Session, name: str) -> Target:
    target = db.exec(select(Target).where(Target.name == name)).first()
    if target is None:
        target = Target(name=name, authority_level="gemeinde", tags=["brandenburg"], config_json={})
        db.add(target)
        db.flush()
    return target


def _page(scan_id: int, url: str, **fields: Any) -> Page:
    values: dict[str, Any] = {
        "scan_id": scan_id,
        "url": url,
        "url_key": url,
        "scenario": "first-visit",
        "kind": "html",
        "depth": 1,
        "status": "ok",
        "final_url": url,
        "http_status": 200,
        "content_type": "text/html",
        "redirect_chain": [],
        "response_headers": [["content-type", "text/html; charset=utf-8"]],
        "timings": {"navigation_ms": 812.5},
        "console": [],
        "frames": [],
        "links": [],
        "fetched_at": STARTED_AT + timedelta(seconds=30),
    }
    values.update(fields)
    return Page(**values)


def _pages(db: Session, scan_id: int) -> dict[str, Page]:
    pages = {
        "home": _page(
            scan_id, SITE + "/", depth=0, title="Startseite – Gemeinde Beispielhausen", html_lang="deutsch"
        ),
        "rathaus": _page(scan_id, SITE + "/rathaus/", title="Rathaus & Verwaltung", html_lang=None),
        "hostile": _page(scan_id, INJECTION_URL, title=INJECTION_TITLE, html_lang="de", depth=2),
        "timeout": _page(
            scan_id,
            SITE + "/buergerservice/",
            status="failed",
            failure_class="timeout",
            failure_detail="Timeout 30000ms exceeded",
            http_status=None,
            title=None,
        ),
        "robots": _page(
            scan_id,
            SITE + "/intern/",
            status="not_tested",
            failure_class="blocked_by_robots",
            failure_detail="disallowed by robots.txt",
            http_status=None,
            final_url=None,
        ),
        "offsite": _page(
            scan_id,
            SITE + "/karte",
            status="not_tested",
            failure_class="redirected_out_of_scope",
            failure_detail="redirected to https://maps.example.com/",
            http_status=200,
            final_url="https://maps.example.com/",
        ),
        "pdf": _page(
            scan_id,
            SITE + "/formulare/antrag.pdf",
            kind="document",
            content_type="application/pdf",
            content_length=482133,
            title=None,
        ),
    }
    db.add_all(pages.values())
    db.flush()
    return pages


def _frontier(db: Session, scan_id: int, pages: dict[str, Page]) -> None:
    for page in pages.values():
        db.add(
            FrontierItem(
                scan_id=scan_id,
                url=page.url,
                url_key=page.url,
                host=HOST,
                depth=page.depth,
                kind=page.kind,
                state="done",
            )
        )
    for number in range(NOT_VISITED):
        url = f"{SITE}/aktuelles/meldung-{number}"
        db.add(FrontierItem(scan_id=scan_id, url=url, url_key=url, host=HOST, depth=2))


def _request(page: Page, url: str, resource_type: str, *, third_party: bool, **fields: Any) -> Request:
    host = url.split("/")[2]
    return Request(
        page_id=page.id,
        url=url,
        host=host,
        registrable_domain=".".join(host.split(".")[-2:]),
        third_party=third_party,
        method="GET",
        resource_type=resource_type,
        frame_url=page.url,
        status=200,
        **fields,
    )


def _requests_and_cookies(db: Session, pages: dict[str, Page]) -> None:
    home, rathaus = pages["home"], pages["rathaus"]
    db.add_all(
        [
            _request(
                home, SITE + "/", "document", third_party=False, is_navigation=True, initiator_type="other"
            ),
            _request(
                home,
                "https://fonts.googleapis.com/css2?family=~3f1c0e9a2b7d4e55",
                "stylesheet",
                third_party=True,
                initiator_type="parser",
                initiator_url=SITE + "/",
            ),
            _request(
                home,
                "https://fonts.gstatic.com/s/roboto/v30/roboto.woff2",
                "font",
                third_party=True,
                initiator_type="parser",
                initiator_url="https://fonts.googleapis.com/css2",
            ),
            _request(rathaus, SITE + "/rathaus/", "document", third_party=False, is_navigation=True),
            _request(
                rathaus,
                "https://fonts.googleapis.com/css2?family=~3f1c0e9a2b7d4e55",
                "stylesheet",
                third_party=True,
                initiator_type="parser",
                initiator_url=SITE + "/rathaus/",
            ),
        ]
    )
    db.add_all(
        [
            Cookie(
                page_id=home.id,
                name="PHPSESSID",
                domain=HOST,
                path="/",
                http_only=True,
                secure=True,
                same_site="Lax",
                value_hash="9f86d081884c7d65",
                value_length=26,
            ),
            Cookie(
                page_id=home.id,
                name="_pk_id.1.a2b3",
                domain=".beispielhausen.de",
                path="/",
                expires=1772000000.0,
                value_hash="2c26b46b68ffc68f",
                value_length=27,
            ),
        ]
    )


def _hosts(db: Session, scan_id: int) -> None:
    db.add_all(
        [
            HostResult(
                scan_id=scan_id,
                host=HOST,
                port=80,
                probe="http-redirect",
                ok=True,
                data={
                    "http_available": True,
                    "hops": [{"url": f"http://{HOST}/", "status": 200, "location": None}],
                },
            ),
            HostResult(
                scan_id=scan_id,
                host="service.beispielhausen.de",
                port=80,
                probe="http-redirect",
                ok=False,
                failure_class="timeout",
                failure_detail="no answer within 10 s",
                data={},
            ),
        ]
    )


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _finding(scan_id: int, check_id: str, page: Page | None, **fields: Any) -> Finding:
    family, scope = {
        "accessibility": ("accessibility", "page"),
        "privacy": ("privacy", "page"),
        "security": ("security", "host"),
    }[check_id.split(".")[0]]
    location = page.url if page else fields.get("host", "")
    values: dict[str, Any] = {
        "scan_id": scan_id,
        "page_id": page.id if page else None,
        "check_id": check_id,
        "family": family,
        "scope": scope,
        "result": "fail",
        "page_url": page.url if page else None,
        "scenario": "first-visit" if page else None,
        "fingerprint": _fingerprint(
            check_id, location, str(fields.get("subject")), str(fields.get("selector"))
        ),
        "created_at": STARTED_AT + timedelta(seconds=40),
    }
    values.update(fields)
    return Finding(**values)


def _third_party_evidence(host: str, page: Page, resource_type: str) -> dict[str, Any]:
    return {
        "host": host,
        "registrable_domain": ".".join(host.split(".")[-2:]),
        "request_count": 1,
        "resource_types": [resource_type],
        "requests": [
            {
                "url": f"https://{host}/css2?family=~3f1c0e9a2b7d4e55",
                "method": "GET",
                "resource_type": resource_type,
                "frame_url": page.url,
                "initiator": page.url,
                "initiator_type": "parser",
                "status": 200,
                "failure": None,
                "remote_address": "142.250.185.74",
            }
        ],
    }


def _findings(db: Session, scan_id: int, pages: dict[str, Page]) -> list[Finding]:
    home, rathaus, hostile = pages["home"], pages["rathaus"], pages["hostile"]
    lang, third_party = "accessibility.document-lang", "privacy.third-party-request"
    findings = [
        _finding(
            scan_id,
            lang,
            home,
            severity="serious",
            selector="html",
            snippet='<html lang="deutsch">',
            message_de='lang="deutsch" ist kein gültiges Sprachkürzel (kein Sprachkürzel).',
            message_en='lang="deutsch" is not a valid language tag (not a language tag).',
            evidence={"lang": "deutsch", "problem": "not a language tag"},
        ),
        _finding(
            scan_id,
            lang,
            rathaus,
            severity="serious",
            selector="html",
            snippet="<html>",
            message_de="<html> hat kein lang-Attribut.",
            message_en="<html> has no lang attribute.",
            evidence={"lang": None},
        ),
        _finding(
            scan_id,
            lang,
            hostile,
            severity="serious",
            selector=INJECTION_SELECTOR,
            snippet=INJECTION_SNIPPET,
            frame_url="https://x.de/frame?<svg onload=alert(5)>",
            message_de=INJECTION_MESSAGE_DE,
            message_en=INJECTION_MESSAGE_EN,
            evidence={"lang": '<img src=x onerror="alert(6)">', "problem": "not a language tag"},
        ),
        _finding(
            scan_id,
            third_party,
            home,
            severity="moderate",
            subject="fonts.googleapis.com",
            message_de="1 Anfrage(n) an fonts.googleapis.com (stylesheet) ohne Einwilligung.",
            message_en="1 request(s) to fonts.googleapis.com (stylesheet) without consent.",
            evidence=_third_party_evidence("fonts.googleapis.com", home, "stylesheet"),
        ),
        _finding(
            scan_id,
            third_party,
            home,
            severity="moderate",
            subject="fonts.gstatic.com",
            message_de="1 Anfrage(n) an fonts.gstatic.com (font) ohne Einwilligung.",
            message_en="1 request(s) to fonts.gstatic.com (font) without consent.",
            evidence=_third_party_evidence("fonts.gstatic.com", home, "font"),
        ),
        _finding(
            scan_id,
            third_party,
            rathaus,
            severity="moderate",
            subject="fonts.googleapis.com",
            message_de="1 Anfrage(n) an fonts.googleapis.com (stylesheet) ohne Einwilligung.",
            message_en="1 request(s) to fonts.googleapis.com (stylesheet) without consent.",
            evidence=_third_party_evidence("fonts.googleapis.com", rathaus, "stylesheet"),
        ),
        _finding(
            scan_id,
            third_party,
            rathaus,
            result="review",
            severity="minor",
            subject="www.youtube-nocookie.com",
            snippet=FORMULA_SNIPPET,
            message_de="Einbettung von www.youtube-nocookie.com: Laden vor Einwilligung prüfen.",
            message_en="Embed from www.youtube-nocookie.com: check whether it loads before consent.",
            evidence={"host": "www.youtube-nocookie.com", "request_count": 0},
        ),
        _finding(
            scan_id,
            "security.https-redirect",
            None,
            severity="serious",
            host=HOST,
            subject=f"http://{HOST}/",
            message_de=f"http://{HOST}/ antwortet mit 200 ohne Umleitung auf HTTPS.",
            message_en=f"http://{HOST}/ answers 200 without redirecting to HTTPS.",
            evidence={
                "problem": "no-redirect",
                "first_status": 200,
                "hops": [{"url": f"http://{HOST}/", "status": 200, "location": None}],
            },
        ),
    ]
    db.add_all(findings)
    return findings


def _tallies(db: Session, scan_id: int, findings: list[Finding]) -> None:
    """Coverage as the runner counts it; the third-party check crashed on one page (errors=1)."""
    counts = {
        "accessibility.document-lang": (3, 0),
        "privacy.third-party-request": (3, 1),
        "security.https-redirect": (1, 0),
    }
    for check_id, (evaluated, errors) in counts.items():
        own = [finding for finding in findings if finding.check_id == check_id]
        subjects = {finding.page_url or finding.host for finding in own}
        db.add(
            CheckTally(
                scan_id=scan_id,
                check_id=check_id,
                evaluated=evaluated,
                with_findings=len(subjects),
                findings=len(own),
                errors=errors,
            )
        )
