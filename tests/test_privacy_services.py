"""Services, not companies: a pixel is a tracker, a page plugin an embed; consented processing on record."""

from __future__ import annotations

import io
import json

from sqlmodel import select

from reports.dpo import build_dpo_view
from reports.export import export_findings
from scanner.store.db import session
from scanner.store.models import Finding

from conftest import make_target
from localweb import LocalWeb, page
from privacy_sites import tracker_hosts

# A stand-in for Meta's fbevents.js: the loader sends the pixel's PageView hit.
FBEVENTS_JS = 'new Image().src = "https://www.facebook.com/tr?id=998877665544&ev=PageView&noscript=1";'
PIXEL_HEAD = '<script src="https://connect.facebook.net/en_US/fbevents.js"></script>'
YOUTUBE_FRAME = '<iframe title="Video" src="https://www.youtube.com/embed/abc/"></iframe>'
PAGE_PLUGIN = '<iframe title="Facebook" src="https://www.facebook.com/plugins/page.php?href=amt"></iframe>'

# A home-made banner whose "Alle akzeptieren" loads analytics and a session recorder.
CONSENTED_BANNER_JS = """(function () {
  var choice = (document.cookie.match(/(?:^|; )wahl=([^;]*)/) || [])[1];
  if (choice === "alle") {
    ["https://www.googletagmanager.com/gtag/js?id=G-ACCEPT1",
     "https://static.hotjar.com/c/hotjar-123.js"].forEach(function (src) {
      var tag = document.createElement("script");
      tag.src = src;
      document.head.appendChild(tag);
    });
  }
  if (choice) return;
  var box = document.createElement("div");
  box.innerHTML = '<p>Diese Seite verwendet Cookies.</p>' +
    '<button type="button" data-wahl="alle">Alle akzeptieren</button> ' +
    '<button type="button" data-wahl="noetig">Nur notwendige Cookies</button>';
  box.addEventListener("click", function (event) {
    var wahl = event.target.getAttribute("data-wahl");
    if (!wahl) return;
    document.cookie = "wahl=" + wahl + "; path=/; max-age=31536000";
    box.remove();
  });
  document.body.appendChild(box);
})();"""


def meta_hosts(local_web: LocalWeb) -> None:
    """Meta's pixel loader and hit endpoint, and Facebook's page plugin, on their real host names."""
    tracker_hosts(local_web)
    if (local_web.root / "connect.facebook.net").exists():
        return
    local_web.site(
        "connect.facebook.net",
        {"/en_US/fbevents.js": FBEVENTS_JS},
        host_toml='[types]\n"/en_US/fbevents.js" = "text/javascript"\n',
    )
    local_web.site(
        "www.facebook.com",
        {"/plugins/page.php": page("<p>Seiten-Plugin</p>", title="Plugin"), "/tr": ""},
        host_toml='[types]\n"/plugins/page.php" = "text/html"\n',
    )


def findings_of(engine, scan_id: int) -> list[tuple[str, str, str | None, str | None, str, str]]:
    with session(engine) as db:
        rows = db.exec(
            select(
                Finding.check_id,
                Finding.page_url,
                Finding.subject,
                Finding.scenario,
                Finding.severity,
                Finding.message_en,
            ).where(Finding.scan_id == scan_id)
        ).all()
    return [tuple(row) for row in rows]


async def test_meta_pixel_is_a_tracker_and_the_page_plugin_an_embed_of_one_vendor(
    local_web: LocalWeb, run_scan, engine
) -> None:
    meta_hosts(local_web)
    site = local_web.site(
        "www.pixel-amt.de",
        {
            "/": page('<h1>Start</h1><a href="/kontakt/">Kontakt</a>' + YOUTUBE_FRAME, head=PIXEL_HEAD),
            "/kontakt/": page("<h1>Kontakt</h1>" + PAGE_PLUGIN, title="Kontakt"),
        },
    )

    outcome = await run_scan(make_target("Pixel-Amt", [site + "/"], crawl={"settle_cap": 2.0}))

    findings = findings_of(engine, outcome.scan_id)
    embeds = {
        (url, subject) for check, url, subject, *_ in findings if check == "privacy.embed-without-consent"
    }
    assert embeds == {(site + "/", "youtube"), (site + "/kontakt/", "facebook")}  # the pixel is no plugin
    trackers = {
        (url, subject, message)
        for check, url, subject, _, _, message in findings
        if check == "privacy.tracker-before-consent"
    }
    assert trackers == {
        (
            site + "/",
            "meta-pixel",
            "Meta-Pixel (Meta Platforms, Inc.) is contacted before any consent (2 request(s)).",
        )
    }  # the loader and the hit: one tracker, named by service and company
    assert ("privacy.analytics-tag", site + "/", "meta-pixel") in {row[:3] for row in findings}

    view = build_dpo_view(engine, outcome.scan_id, "en")
    meta = [row for row in view.vendors if row.company == "Meta Platforms, Inc."]
    assert len(meta) == 1  # one vendor ...
    assert meta[0].name == "Meta Platforms, Inc."
    assert meta[0].services == ["Facebook (embed)", "Meta-Pixel (tracker/pixel)"]  # ... with two services
    assert len(meta[0].pages) == 2
    google = [row for row in view.vendors if row.company == "Google LLC"]
    assert [row.services for row in google] == [["YouTube (embed)"]]


async def test_processing_after_accept_becomes_findings_of_the_accepted_scenario(
    local_web: LocalWeb, run_scan, engine
) -> None:
    tracker_hosts(local_web)
    site = local_web.site(
        "www.einwilligung-dienste.de",
        {"/": page('<h1>Start</h1><script src="/wahl.js"></script>'), "/wahl.js": CONSENTED_BANNER_JS},
    )
    target = make_target(
        "Zustimmung-Amt", [site + "/"], crawl={"settle_cap": 2.0}, consent={"sample_pages": 0}
    )

    outcome = await run_scan(target)

    findings = findings_of(engine, outcome.scan_id)
    accepted = {
        (check, subject, severity)
        for check, _, subject, scenario, severity, _ in findings
        if scenario == "accepted"
    }
    assert ("privacy.session-recording", "hotjar", "serious") in accepted  # a public body: even with consent
    assert ("privacy.tracker-before-consent", "google-tag-manager", "info") in accepted
    assert ("privacy.analytics-tag", "google-analytics-4", "info") in accepted
    assert ("privacy.identifier-cookie-before-consent", f"_ga@{site.split('/')[2]}", "info") in accepted
    messages = {message for check, *_, scenario, _, message in findings if check == "privacy.analytics-tag"}
    # (the gtag stand-in's exit beacon carries G-TEST1 beside the loader's G-ACCEPT1)
    assert messages == {"Analytics tag google-analytics-4 after 'accept': G-ACCEPT1, G-TEST1."}
    # the banner gates them: nothing of it on the first visit or after "reject"
    assert not any(subject == "hotjar" for _, _, subject, scenario, *_ in findings if scenario != "accepted")
    # accessibility and security checks stay with the first visit
    assert {
        check.split(".")[0] for check, _, _, scenario, *_ in findings if scenario in ("rejected", "accepted")
    } == {"privacy"}

    out = io.StringIO()
    export_findings(engine, outcome.scan_id, "json", out)
    exported = json.loads(out.getvalue())["findings"]
    recorded = {
        (item["check_id"], item["subject"], item["severity"])
        for item in exported
        if item["scenario"] == "accepted"
    }
    assert ("privacy.session-recording", "hotjar", "serious") in recorded
    assert ("privacy.tracker-before-consent", "google-tag-manager", "info") in recorded


# Writes on every load, whatever the visitor answered ("immer"), and only while nothing was
# answered yet ("vorher"): after "reject" the jar still holds both, but only one was written again.
DEVICE_WRITES_JS = """(function () {
  var answered = /(?:^|; )wahl=/.test(document.cookie);
  document.cookie = "immer_id=Xk9fQ2mZp7LwR4tBq8Vn; path=/; max-age=31536000";
  localStorage.setItem("immer_key", "Hq3Zr8LmT1pX6wKd0NbY");
  if (!answered) {
    document.cookie = "vorher_id=Pw7Lk2Qz9Rm4Xt6Bv1Nc; path=/; max-age=31536000";
    localStorage.setItem("vorher_key", "Jd5Tg8Wq2Lz7Rk3Mx9Pb");
  }
})();"""


async def test_after_reject_only_what_was_written_after_the_answer_is_a_finding(
    local_web: LocalWeb, run_scan, engine
) -> None:
    host = "www.ablehnung-speicher.de"
    site = local_web.site(
        host,
        {
            "/": page('<h1>Start</h1><script src="/wahl.js"></script><script src="/geraet.js"></script>'),
            "/wahl.js": CONSENTED_BANNER_JS,
            "/geraet.js": DEVICE_WRITES_JS,
        },
    )
    target = make_target(
        "Ablehnung-Amt", [site + "/"], crawl={"settle_cap": 2.0}, consent={"sample_pages": 0}
    )

    outcome = await run_scan(target)

    findings = findings_of(engine, outcome.scan_id)

    def subjects(check: str, scenario: str) -> set[str | None]:
        return {subject for c, _, subject, s, *_ in findings if c == check and s == scenario}

    cookies, storage = "privacy.identifier-cookie-before-consent", "privacy.identifier-storage-before-consent"
    assert subjects(cookies, "first-visit") == {f"immer_id@{host}", f"vorher_id@{host}"}
    assert subjects(storage, "first-visit") == {f"local:{site}:immer_key", f"local:{site}:vorher_key"}
    # after "reject" both are still in the jar; only the one written again after the answer counts
    assert subjects(cookies, "rejected") == {f"immer_id@{host}"}
    assert subjects(storage, "rejected") == {f"local:{site}:immer_key"}
    severities = {severity for c, _, _, s, severity, _ in findings if c == cookies and s == "rejected"}
    assert severities == {"serious"}  # as unconsented as before any answer
