"""The same scan stored in PostgreSQL (the server at 127.0.0.1:5432, a fresh database per run)."""

from __future__ import annotations

from sqlmodel import select

from scanner.run.scan import scan_target
from scanner.store.db import open_database, session
from scanner.store.models import Finding, Page
from scanner.store.security import HeaderGrade

from conftest import make_target
from localweb import LocalWeb, page


async def test_a_scan_is_stored_in_postgresql(
    local_web: LocalWeb, browser, network, postgres_url: str
) -> None:
    local_web.site("cdn.pg-dritt.de", {"/x.js": "1"})
    origin = local_web.site(
        "www.postgres-amt.de",
        {
            "/": page('<a href="/b.html">b</a><script src="https://cdn.pg-dritt.de/x.js"></script>'),
            "/b.html": page("b", lang=None),
        },
    )
    engine = open_database(postgres_url)
    open_database(postgres_url)  # migrating an up-to-date database is a no-op

    outcome = await scan_target(
        make_target("PG", [origin + "/"]), engine=engine, network=network, browser=browser
    )
    again = await scan_target(
        make_target("PG", [origin + "/"]), engine=engine, network=network, browser=browser
    )

    assert outcome.status == again.status == "completed"
    with session(engine) as db:
        urls = db.exec(select(Page.url).where(Page.scan_id == outcome.scan_id)).all()
        checks = db.exec(
            select(Finding.check_id).where(
                Finding.scan_id == again.scan_id,
                Finding.family != "security",
                Finding.check_id != "privacy.legal-links",
            )
        ).all()
        grade = db.exec(select(HeaderGrade).where(HeaderGrade.scan_id == again.scan_id)).one()
    assert sorted(urls) == [origin + "/", origin + "/b.html"]
    assert {"accessibility.document-lang", "privacy.third-party-request"} <= set(checks)
    assert "accessibility.axe.html-has-lang" in checks  # axe results stored in PostgreSQL as well
    assert (grade.host, grade.algorithm_version) == ("www.postgres-amt.de", 5)
    assert grade.tests["strict-transport-security"]["result"] == "hsts-not-implemented"  # JSONB round trip
    engine.dispose()
