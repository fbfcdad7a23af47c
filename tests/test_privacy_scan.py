"""A whole scan behind a real open-source consent manager: three scenarios stored, the diff, the DPO view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from checks.privacy.filter_lists import filter_match
from reports.dpo import build_dpo_view
from scanner.evidence import RequestRecord
from scanner.store.db import session
from scanner.store.models import Finding, Page, Scan

from conftest import make_target
from privacy_sites import open_source_cmp_site


async def test_scan_visits_three_scenarios_and_reports_what_ignores_the_banner(
    local_web, run_scan, engine
) -> None:
    site = open_source_cmp_site(local_web, "www.szenario-amt.de")
    target = make_target("Szenario-Amt", [site + "/"], crawl={"settle_cap": 2.0}, consent={"sample_pages": 1})

    outcome = await run_scan(target)

    assert outcome.status == "completed"
    with session(engine) as db:
        pages = db.exec(select(Page.url, Page.scenario, Page.status)).all()
        findings = db.exec(select(Finding.check_id, Finding.subject, Finding.scenario, Finding.result)).all()
        scan = db.get(Scan, outcome.scan_id)
    assert sorted((url, scenario) for url, scenario, _ in pages) == [
        (site + "/", "accepted"),
        (site + "/", "first-visit"),
        (site + "/", "rejected"),
        (site + "/leistungen/", "accepted"),
        (site + "/leistungen/", "first-visit"),
        (site + "/leistungen/", "rejected"),
    ]
    after_reject = {
        (check, subject, result) for check, subject, scenario, result in findings if scenario == "rejected"
    }
    assert ("privacy.tracking-after-reject", "hotjar", "fail") in after_reject  # ignores the banner
    assert not any(subject == "google-tag-manager" for _, subject, _ in after_reject)  # gated by the CMP
    assert not any(check == "privacy.consent-gates-nothing" for check, *_ in findings)  # accept adds GA
    assert scan.engine_versions["browser_configuration"]["third_party_storage_partitioning"].startswith("on")

    view = build_dpo_view(engine, outcome.scan_id, "en")
    comparison = dict(view.comparison)
    assert comparison["Google Tag Manager"] == ["no", "no", "yes"]  # the diff: only after "accept"
    assert comparison["Hotjar"] == ["yes", "yes", "yes"]
    assert {row.method for row in view.consent} == {"autoconsent"}
    assert view.screenshot is not None and view.screenshot.startswith("data:image/jpeg;base64,")


def test_filter_list_match_keeps_the_rule_and_the_list_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    beacon = RequestRecord("https://px.zaehler.example/p.gif?id=1", "GET", "image", None, True, False)
    monkeypatch.setenv("GOVSCAN_DATA_DIR", str(tmp_path))
    assert filter_match(beacon, "https://www.amt.de/") is None  # no list downloaded: no verdict, no error

    (tmp_path / "easyprivacy.txt").write_text("! Version: 202611260001\n||px.zaehler.example^$third-party\n")
    record = {"filename": "easyprivacy.txt", "sha256": "0" * 64, "version": "202611260001",
              "downloaded_at": "2026-11-26T00:00:00+00:00", "source": "test"}  # fmt: skip
    (tmp_path / "easyprivacy.json").write_text(json.dumps(record))

    assert filter_match(beacon, "https://www.amt.de/") == {
        "list": "easyprivacy",
        "version": "202611260001",
        "rule": "||px.zaehler.example^$third-party",
    }
    first_party = RequestRecord("https://www.amt.de/app.js", "GET", "script", None, True, False)
    assert filter_match(first_party, "https://www.amt.de/") is None
