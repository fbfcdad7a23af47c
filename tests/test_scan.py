"""Whole scans through the real pipeline: crawl, capture in Chromium, checks, storage."""

from __future__ import annotations

from sqlmodel import select

from scanner.store.db import session
from scanner.store.models import CheckTally, Finding, FrontierItem, HostResult, Page

from conftest import make_target
from localweb import LocalWeb, page


def pages_of(engine, scan_id: int) -> dict[str, Page]:
    with session(engine) as db:
        rows = db.exec(select(Page).where(Page.scan_id == scan_id)).all()
    urls = [row.url for row in rows]
    assert len(urls) == len(set(urls)), f"a page was stored twice: {sorted(urls)}"
    return {row.url: row for row in rows}


def findings_of(engine, scan_id: int, check_id: str) -> list[Finding]:
    with session(engine) as db:
        return list(
            db.exec(select(Finding).where(Finding.scan_id == scan_id, Finding.check_id == check_id)).all()
        )


def links(*hrefs: str) -> str:
    return "".join(f'<a href="{href}">Link {index}</a> ' for index, href in enumerate(hrefs))


async def test_crawl_stays_in_first_party_scope_and_visits_each_normalised_url_once(
    local_web: LocalWeb, run_scan, engine
) -> None:
    origin = local_web.site(
        "www.umfang-amt.de",
        {
            "/": page(
                links(
                    "/a/",
                    "/a/#teil",
                    "/a/?utm_source=newsletter",
                    "https://WWW.UMFANG-AMT.DE:443/b.html",
                    "https://service.umfang-amt.de/",
                    "https://www.fremde-seite.de/",
                    "mailto:post@umfang-amt.de",
                    "javascript:void(0)",
                )
            ),
            "/a/": page("A"),
            "/b.html": page("B"),
        },
    )
    local_web.site("service.umfang-amt.de", {"/": page("Service")})
    local_web.site("www.fremde-seite.de", {"/": page("fremd")})

    outcome = await run_scan(make_target("Umfang", [origin + "/"], ["umfang-amt.de"]))

    assert outcome.status == "completed" and outcome.stopped_by == "frontier_exhausted"
    assert set(pages_of(engine, outcome.scan_id)) == {
        origin + "/",
        origin + "/a/",
        origin + "/b.html",
        "https://service.umfang-amt.de/",
    }


async def test_include_and_exclude_patterns_narrow_the_crawl(local_web: LocalWeb, run_scan, engine) -> None:
    origin = local_web.site(
        "www.muster-filter.de",
        {
            "/": page(links("/aktuell/", "/archiv/2019/", "/aktuell/termine.ics", "/service/")),
            "/aktuell/": page("aktuell"),
            "/archiv/2019/": page("alt"),
            "/service/": page("service"),
        },
    )
    target = make_target(
        "Filter",
        [origin + "/"],
        include=[r"^https://www\.muster-filter\.de/(aktuell/)?$"],
        exclude=[r"\.ics$"],
    )

    outcome = await run_scan(target)

    assert set(pages_of(engine, outcome.scan_id)) == {origin + "/", origin + "/aktuell/"}


async def test_robots_txt_is_obeyed_and_blocked_pages_are_recorded_as_not_tested(
    local_web: LocalWeb, run_scan, engine
) -> None:
    origin = local_web.site(
        "www.robots-amt.de",
        {
            "/robots.txt": "User-agent: *\nDisallow: /intern/\n\n"
            "User-agent: govscan\nDisallow: /nur-fuer-uns/\n",
            "/": page(links("/intern/", "/nur-fuer-uns/", "/offen/")),
            "/intern/": page("intern", title="Intern"),
            "/nur-fuer-uns/": page("x", title="Gesperrt für govscan"),
            "/offen/": page("offen", title="Offen"),
        },
    )

    outcome = await run_scan(make_target("Robots", [origin + "/"]))
    pages = pages_of(engine, outcome.scan_id)

    assert pages[origin + "/offen/"].status == "ok"
    assert pages[origin + "/intern/"].status == "ok"  # a govscan group exists: the * group does not apply
    blocked = pages[origin + "/nur-fuer-uns/"]
    assert (blocked.status, blocked.failure_class) == ("not_tested", "blocked_by_robots")
    assert blocked.title is None and blocked.http_status is None  # never fetched


async def test_robots_txt_can_be_ignored_on_request(local_web: LocalWeb, run_scan, engine) -> None:
    origin = local_web.site(
        "www.robots-egal.de",
        {"/robots.txt": "User-agent: *\nDisallow: /\n", "/": page(links("/seite/")), "/seite/": page("s")},
    )

    outcome = await run_scan(make_target("Robots egal", [origin + "/"], crawl={"respect_robots": False}))

    assert {row.status for row in pages_of(engine, outcome.scan_id).values()} == {"ok"}
    assert len(pages_of(engine, outcome.scan_id)) == 2


async def test_sitemap_index_from_robots_txt_adds_pages_no_link_reaches(
    local_web: LocalWeb, run_scan, engine
) -> None:
    host = "www.sitemap-amt.de"
    sitemap_index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>https://{host}/sitemaps/seiten.xml</loc></sitemap></sitemapindex>"
    )
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>https://{host}/versteckt.html</loc></url>"
        f"<url><loc>https://{host}/</loc></url></urlset>"
    )
    origin = local_web.site(
        host,
        {
            "/robots.txt": f"User-agent: *\nAllow: /\nSitemap: https://{host}/sitemap-index.xml\n",
            "/sitemap-index.xml": sitemap_index,
            "/sitemaps/seiten.xml": sitemap,
            "/": page("Start ohne Links"),
            "/versteckt.html": page("nur in der Sitemap"),
        },
    )

    outcome = await run_scan(make_target("Sitemap", [origin + "/"]))

    assert set(pages_of(engine, outcome.scan_id)) == {origin + "/", origin + "/versteckt.html"}
    with session(engine) as db:
        hidden = db.exec(select(FrontierItem).where(FrontierItem.url == origin + "/versteckt.html")).one()
    assert (hidden.source, hidden.depth) == ("sitemap", 1)


async def test_depth_and_page_limits_are_respected(local_web: LocalWeb, run_scan, engine) -> None:
    files = {"/": page(links("/t1/"))}
    for level in range(1, 7):
        files[f"/t{level}/"] = page(links(f"/t{level + 1}/"), title=f"Tiefe {level}")
    origin = local_web.site("www.tiefe-amt.de", files)

    deep = await run_scan(make_target("Tiefe", [origin + "/"], max_depth=3))
    assert set(pages_of(engine, deep.scan_id)) == {
        origin + "/",
        origin + "/t1/",
        origin + "/t2/",
        origin + "/t3/",
    }

    few = await run_scan(make_target("Tiefe", [origin + "/"], max_pages=2))
    assert len(pages_of(engine, few.scan_id)) == 2
    assert few.stopped_by == "max_pages"


async def test_documents_are_recorded_with_type_and_size_but_not_rendered(
    local_web: LocalWeb, run_scan, engine
) -> None:
    pdf = b"%PDF-1.4\n" + b"0" * 1000 + b"\n%%EOF\n"
    origin = local_web.site(
        "www.dokumente-amt.de",
        {
            "/": page(links("/dokumente/haushalt.pdf", "/download?datei=antrag")),
            "/dokumente/haushalt.pdf": pdf,
            "/download": pdf,
        },
        host_toml='[types]\n"/download" = "application/pdf"\n',
    )

    outcome = await run_scan(make_target("Dokumente", [origin + "/"]))
    pages = pages_of(engine, outcome.scan_id)

    by_extension = pages[origin + "/dokumente/haushalt.pdf"]
    assert (by_extension.kind, by_extension.status) == ("document", "ok")
    assert (by_extension.content_type, by_extension.content_length) == ("application/pdf", len(pdf))
    assert by_extension.referrer == origin + "/"
    found_by_navigation = pages[origin + "/download?datei=antrag"]  # no extension: the response told
    assert (found_by_navigation.kind, found_by_navigation.content_type) == ("document", "application/pdf")
    assert outcome.summary["pages"] == {"html:ok": 1, "document:ok": 2}


async def test_redirect_out_of_scope_is_recorded_not_tested(local_web: LocalWeb, run_scan, engine) -> None:
    local_web.site("www.anderswo-hosting.de", {"/": page("fremd")})
    origin = local_web.site(
        "www.umzug-amt.de",
        {"/": page(links("/alt")), "/neu/": page("neu")},
        host_toml='[redirects]\n"/alt" = "https://www.anderswo-hosting.de/"\n',
    )

    outcome = await run_scan(make_target("Umzug", [origin + "/"]))
    moved = pages_of(engine, outcome.scan_id)[origin + "/alt"]

    assert (moved.status, moved.failure_class) == ("not_tested", "redirected_out_of_scope")
    assert findings_of(engine, outcome.scan_id, "accessibility.document-lang") == []


async def test_time_budget_ends_the_scan_with_the_rest_left_unvisited(
    local_web: LocalWeb, run_scan, engine
) -> None:
    files = {"/": page(links(*[f"/s{index}.html" for index in range(20)]))}
    files |= {f"/s{index}.html": page(f"Seite {index}") for index in range(20)}
    origin = local_web.site("www.langsam-budget.de", files, host_toml="delay_ms = 400\n")

    outcome = await run_scan(make_target("Budget", [origin + "/"], time_budget=5.0))

    assert outcome.status == "incomplete" and outcome.stopped_by == "time_budget"  # URLs were left
    assert 1 <= len(pages_of(engine, outcome.scan_id)) < 21
    assert outcome.summary["not_visited"] > 0


async def test_an_unreachable_start_page_fails_the_scan_with_its_failure_class(run_scan, engine) -> None:
    # The local server does not know this host: it answers 421 Misdirected Request.
    outcome = await run_scan(make_target("Unbekannt", ["https://www.gibt-es-nicht-amt.de/"]))

    assert outcome.status == "failed"
    assert outcome.failure_class == "http_error"
    with session(engine) as db:
        assert db.exec(select(Finding).where(Finding.scan_id == outcome.scan_id)).all() == []


async def test_a_host_that_refuses_connections_fails_the_scan_as_refused_not_as_robots(
    run_scan, engine
) -> None:
    closed = ("www.abgelehnt-amt.de:443:127.0.0.1:9", "www.abgelehnt-amt.de:80:127.0.0.1:9")  # port 9: closed
    target = make_target("Abgelehnt", ["https://www.abgelehnt-amt.de/"], crawl={"connect_to": closed})

    outcome = await run_scan(target)

    assert (outcome.status, outcome.failure_class) == ("failed", "connection_refused")
    start = pages_of(engine, outcome.scan_id)["https://www.abgelehnt-amt.de/"]
    assert start.status == "failed" and "robots.txt unreachable" in start.failure_detail


async def test_the_three_checks_fail_and_pass_on_real_pages(local_web: LocalWeb, run_scan, engine) -> None:
    local_web.site("cdn.dritt-skripte.de", {"/widget.js": "console.log('widget')"})
    origin = local_web.site(
        "www.pruef-amt.de",
        {
            "/": page(links("/ohne-sprache.html", "/mit-dritten.html", "https://alt.pruef-amt.de/")),
            "/ohne-sprache.html": page("Kein lang", lang=None),
            "/mit-dritten.html": page(
                "Widget", head='<script src="https://cdn.dritt-skripte.de/widget.js"></script>'
            ),
        },
    )
    local_web.site(
        "alt.pruef-amt.de", {"/": page("alte Adresse")}, host_toml="redirect_http_to_https = false\n"
    )

    outcome = await run_scan(make_target("Prüfamt", [origin + "/"], ["pruef-amt.de"]))
    scan_id = outcome.scan_id

    lang = findings_of(engine, scan_id, "accessibility.document-lang")
    assert [(finding.page_url, finding.result, finding.selector) for finding in lang] == [
        (origin + "/ohne-sprache.html", "fail", "html")
    ]
    third = findings_of(engine, scan_id, "privacy.third-party-request")
    assert [(finding.page_url, finding.subject) for finding in third] == [
        (origin + "/mit-dritten.html", "cdn.dritt-skripte.de")
    ]
    request = third[0].evidence["requests"][0]
    assert request["url"] == "https://cdn.dritt-skripte.de/widget.js"
    assert request["initiator"] == origin + "/mit-dritten.html"
    redirect = findings_of(engine, scan_id, "security.https-redirect")
    assert [(finding.host, finding.evidence["problem"]) for finding in redirect] == [
        ("alt.pruef-amt.de", "no-redirect")
    ]
    with session(engine) as db:
        probes = {
            row.host: row.ok for row in db.exec(select(HostResult).where(HostResult.scan_id == scan_id))
        }
        tallies = {
            row.check_id: row for row in db.exec(select(CheckTally).where(CheckTally.scan_id == scan_id))
        }
    # www redirects: probed, no finding; the domain's DNS is not asked (every host is mapped)
    assert probes == {"www.pruef-amt.de": True, "alt.pruef-amt.de": True, "pruef-amt.de": False}
    assert (
        tallies["accessibility.document-lang"].evaluated,
        tallies["accessibility.document-lang"].with_findings,
    ) == (
        4,
        1,
    )
    assert tallies["security.https-redirect"].evaluated == 2


async def test_fingerprints_are_the_same_when_an_unchanged_site_is_scanned_again(
    local_web: LocalWeb, run_scan, engine
) -> None:
    local_web.site("fonts.dritt-schriften.de", {"/schrift.css": "body{}"})
    origin = local_web.site(
        "www.wieder-amt.de",
        {
            "/": page(
                links("/x.html"),
                head='<link rel="stylesheet" href="https://fonts.dritt-schriften.de/schrift.css">',
            ),
            "/x.html": page("x", lang="deutsch"),
        },
    )
    target = make_target("Wieder", [origin + "/"])

    first = await run_scan(target)
    second = await run_scan(target)

    def fingerprints(scan_id: int) -> set[str]:
        with session(engine) as db:
            return set(db.exec(select(Finding.fingerprint).where(Finding.scan_id == scan_id)).all())

    with session(engine) as db:
        skeleton = db.exec(
            select(Finding.fingerprint).where(
                Finding.scan_id == first.scan_id,
                Finding.check_id.in_(("accessibility.document-lang", "privacy.third-party-request")),
            )
        ).all()
    assert len(skeleton) == 2
    assert fingerprints(first.scan_id) == fingerprints(second.scan_id)
