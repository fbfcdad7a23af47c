"""Consent scenarios: the banner answered by autoconsent (real open-source CMP), German texts, recipes."""

from __future__ import annotations

import pytest

from scanner.capture.collectors import load_all_collectors
from scanner.capture.collectors.consent import is_known_consent
from scanner.capture.page import CaptureSettings, capture_page
from scanner.config.consent import ConsentSettings
from scanner.evidence import PageCapture, Scenario

from localweb import LocalWeb, page
from privacy_sites import home_made_banner_site, open_source_cmp_site, tracker_hosts

FAST = CaptureSettings(page_timeout=15, settle_quiet=0.3, settle_cap=2, exit_window=0.5)


class _Target:
    def __init__(self, **consent) -> None:
        self.consent = ConsentSettings(**consent)


def collectors(**consent):
    consent_collector = next(c for c in load_all_collectors() if c.name == "consent")
    privacy_collector = next(c for c in load_all_collectors() if c.name == "privacy")
    return [consent_collector.for_target(_Target(**consent)), privacy_collector]


def hosts(capture: PageCapture) -> set[str]:
    return {request.host for request in capture.requests}


@pytest.fixture(scope="module")
def cmp_site(local_web: LocalWeb) -> str:
    return open_source_cmp_site(local_web, "www.zustimmung-amt.de")


@pytest.fixture(scope="module")
async def cmp_captures(browser, cmp_site: str) -> dict[Scenario, PageCapture]:
    found = {}
    for scenario in Scenario:
        found[scenario] = await capture_page(
            browser, cmp_site + "/", scenario=scenario, settings=FAST, collectors=collectors()
        )
    return found


def test_first_visit_has_no_consent_step(cmp_captures) -> None:
    first = cmp_captures[Scenario.FIRST_VISIT]
    assert "consent" not in first.extras
    assert "static.hotjar.com" in hosts(first)  # ignores the banner
    assert "www.googletagmanager.com" not in hosts(first)  # gated by the CMP


def test_reject_with_autoconsent_on_an_open_source_cmp(cmp_captures) -> None:
    rejected = cmp_captures[Scenario.REJECTED]
    record = rejected.extras["consent"]
    assert record["method"] == "autoconsent"
    assert record["cmp"] == "cookieconsent3"
    assert record["state"] == "answered"
    assert record["self_test"] is True
    assert record["reject_on_first_layer"] is True
    assert "reject: alle ablehnen" in record["buttons"]
    assert record["banner_screenshot"].startswith("/9j/")  # a JPEG, base64
    assert "cookie:cc_cookie" in record["consent_storage"]
    assert record["banner_shown_again"] is False
    assert is_known_consent(rejected.extras)
    assert "www.googletagmanager.com" not in hosts(rejected)
    assert "static.hotjar.com" in hosts(rejected)  # the banner is ignored for this vendor


def test_accept_with_autoconsent_releases_the_gated_tag(cmp_captures) -> None:
    accepted = cmp_captures[Scenario.ACCEPTED]
    record = accepted.extras["consent"]
    assert (record["method"], record["state"]) == ("autoconsent", "answered")
    assert "banner_screenshot" not in record  # one screenshot per page, taken in "rejected"
    assert {"www.googletagmanager.com", "www.google-analytics.com", "static.hotjar.com"} <= hosts(accepted)
    assert any(cookie.name == "_ga" for cookie in accepted.cookies)


async def test_home_made_banner_is_answered_by_its_german_texts(browser, local_web: LocalWeb) -> None:
    site = home_made_banner_site(local_web, "www.hinweis-amt.de")
    rejected = await capture_page(
        browser, site + "/", scenario=Scenario.REJECTED, settings=FAST, collectors=collectors()
    )
    accepted = await capture_page(
        browser, site + "/", scenario=Scenario.ACCEPTED, settings=FAST, collectors=collectors()
    )

    record = rejected.extras["consent"]
    assert (record["method"], record["state"], record["cmp"]) == ("german-text", "answered", None)
    assert record["clicked"] == ["nur notwendige cookies"]
    assert record["reject_on_first_layer"] is True
    assert record["consent_storage"] == ["cookie:hinweis_wahl"]
    assert "www.googletagmanager.com" not in hosts(rejected)
    assert accepted.extras["consent"]["clicked"] == ["alle akzeptieren"]
    assert "www.googletagmanager.com" in hosts(accepted)


async def test_recipes_preset_cookies_or_click_selectors(browser, local_web: LocalWeb) -> None:
    site = home_made_banner_site(local_web, "www.rezept-amt.de")
    preset = await capture_page(
        browser, site + "/", scenario=Scenario.ACCEPTED, settings=FAST,
        collectors=collectors(accept_cookies=("hinweis_wahl=alle",)),
    )  # fmt: skip
    clicked = await capture_page(
        browser, site + "/", scenario=Scenario.REJECTED, settings=FAST,
        collectors=collectors(reject_clicks=("#hinweis [data-wahl=noetig]",)),
    )  # fmt: skip

    assert preset.extras["consent"]["method"] == "recipe-cookies"
    assert preset.extras["consent"]["state"] == "preset"
    assert "www.googletagmanager.com" in hosts(preset)
    assert clicked.extras["consent"]["method"] == "recipe-clicks"
    assert clicked.extras["consent"]["clicked"] == ["#hinweis [data-wahl=noetig]"]
    assert clicked.extras["consent"]["state"] == "answered"


async def test_a_page_without_banner_is_never_taken_as_rejected(browser, local_web: LocalWeb) -> None:
    tracker_hosts(local_web)
    body = '<h1>Ohne Hinweis</h1><script src="https://www.googletagmanager.com/gtag/js?id=G-TEST1"></script>'
    site = local_web.site("www.ohnebanner-amt.de", {"/": page(body)})
    rejected = await capture_page(
        browser, site + "/", scenario=Scenario.REJECTED, settings=FAST, collectors=collectors()
    )

    record = rejected.extras["consent"]
    assert (record["state"], record["banner_found"], record["known_state"]) == ("no-banner", False, False)
    assert record["reject_on_first_layer"] is None
    assert not is_known_consent(rejected.extras)


def test_consent_table_in_targets_toml_is_validated() -> None:
    from pathlib import Path

    from scanner.config.targets import ConfigError, parse_targets

    text = (
        '[[target]]\nname = "Amt"\nstart_urls = ["https://www.amt.de/"]\nauthority_level = "kreis"\n'
        '[target.consent]\nsample_pages = 3\nreject_clicks = ["#hinweis .ablehnen"]\n'
        'accept_cookies = ["wahl=alle"]\n'
    )
    consent = parse_targets(text, Path("targets.toml")).targets[0].consent
    assert (consent.sample_pages, consent.reject_clicks, consent.accept_cookies) == (
        3, ("#hinweis .ablehnen",), ("wahl=alle",),
    )  # fmt: skip
    bad = text.replace('"wahl=alle"', '"wahl=alle; Path=/"').replace("sample_pages", "sample_page")
    with pytest.raises(ConfigError) as error:
        parse_targets(bad, Path("targets.toml"))
    message = str(error.value)
    assert "consent: unknown key 'sample_page'; did you mean 'sample_pages'?" in message
    assert "accept_cookies[1]: expected a cookie as name=value" in message
