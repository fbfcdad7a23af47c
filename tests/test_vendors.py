"""The vendor registry: every entry valid, lookups by host and URL, errors that name entry and field."""

from __future__ import annotations

import pytest

from checks.privacy.vendors import CATEGORIES, RegistryError, parse_registry, vendor_registry


def test_every_shipped_vendor_entry_is_valid_and_there_are_enough() -> None:
    registry = vendor_registry()  # parsing validates every entry; a bad one raises
    assert len(registry) >= 150
    assert {vendor.category for vendor in registry.vendors.values()} >= {
        "analytics", "advertising", "social", "video", "maps", "fonts", "cdn", "consent", "captcha",
        "session-recording",
    }  # fmt: skip
    for vendor in registry.vendors.values():
        assert vendor.category in CATEGORIES
        assert vendor.eea or vendor.country not in {"DE", "FR", "IE"}
        assert (vendor.dpf == "not-applicable") == (vendor.country != "US"), vendor.id
        assert vendor.domains or vendor.url_prefixes, vendor.id


@pytest.mark.parametrize(
    ("url", "vendor_id"),
    [
        ("https://www.google-analytics.com/g/collect?v=2", "google-analytics"),
        ("https://region1.google-analytics.com/g/collect", "google-analytics"),
        ("https://stats.g.doubleclick.net/j/collect", "google-ads"),
        ("https://www.googletagmanager.com/gtag/js?id=G-1", "google-tag-manager"),
        ("https://fonts.gstatic.com/s/roboto.woff2", "google-fonts"),
        ("https://www.google.com/recaptcha/api.js", "google-recaptcha"),
        ("https://www.google.com/maps/embed?pb=1", "google-maps"),
        ("https://www.google.com/search?q=x", "google"),
        ("https://www.facebook.com/tr?id=1&ev=PageView", "meta-pixel"),
        ("https://www.facebook.com/amt", "facebook"),
        ("https://snap.licdn.com/li.lms-analytics/insight.min.js", "linkedin-insight"),
        ("https://www.youtube-nocookie.com/embed/x", "youtube"),
        ("https://static.hotjar.com/c/hotjar-1.js", "hotjar"),
        ("https://app.usercentrics.eu/browser-ui/latest/loader.js", "usercentrics"),
        ("https://cdn.jsdelivr.net/npm/x@1/x.js", "jsdelivr"),
    ],
)
def test_lookup_walks_labels_from_the_most_specific_name(url: str, vendor_id: str) -> None:
    vendor = vendor_registry().lookup_url(url)
    assert vendor is not None and vendor.id == vendor_id


def test_unknown_hosts_and_parent_domains_beyond_the_registrable_domain_are_not_matched() -> None:
    registry = vendor_registry()
    assert registry.lookup_host("www.landkreis-beispiel.de") is None
    assert registry.lookup_host("com") is None
    assert registry.lookup_host("googleusercontent.com.evil.de") is None


GOOD = """
version = "1"
[[vendor]]
id = "beispiel"
name = "Beispiel"
company = "Beispiel GmbH"
country = "DE"
eea = true
dpf = "not-applicable"
dpf_checked = 2026-11-26
category = "analytics"
domains = ["beispiel-analytics.de"]
"""


def test_registry_errors_name_the_entry_and_field() -> None:
    assert len(parse_registry(GOOD, "test.toml")) == 1
    bad = GOOD.replace('country = "DE"', 'country = "US"').replace('"analytics"', '"spying"')
    twice = GOOD + GOOD.replace('version = "1"', "")
    with pytest.raises(RegistryError) as error:
        parse_registry(bad, "test.toml")
    message = str(error.value)
    assert "test.toml: vendor[1] (beispiel): field 'eea': True contradicts country 'US'" in message
    assert "field 'category': 'spying' is not one of" in message
    assert "framework covers US companies only" in message
    with pytest.raises(RegistryError, match=r"vendor\[2\] \(beispiel\): id 'beispiel' is used twice"):
        parse_registry(twice, "test.toml")
