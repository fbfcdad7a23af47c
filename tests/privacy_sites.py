"""Fixture sites for the privacy tests: real-world tracker host names, and consent banners.

Tracker hosts are created once per test session and shared. Banners: one on a real open-source
CMP, one home-made (German texts).

The open-source one is vanilla-cookieconsent 3.1.0 (MIT) from the npm registry, fetched by
`make test` (scripts/ensure-npm-fixtures.sh) into .test-cache/npm and served from the local web
server: the tests never reach the internet. Its analytics tag is blocked until "accept" (the CMP's
script-tag gating), while a session recorder loads whatever the visitor chose: the banner is
respected for one vendor and ignored for another.
"""

from __future__ import annotations

import os
from pathlib import Path

from localweb import LocalWeb, page

NPM_CACHE = Path(os.environ.get("GOVSCAN_NPM_FIXTURES", Path(__file__).parent.parent / ".test-cache" / "npm"))
COOKIECONSENT = NPM_CACHE / "vanilla-cookieconsent-3.1.0" / "package" / "dist"

# A stand-in for gtag.js: a third-party script that writes first-party cookies and storage, opens
# IndexedDB and sends a beacon when the page is left.
GTAG_JS = """
(function () {
  var cid = Math.floor(Math.random() * 1e10) + "." + Math.floor(Date.now() / 1000);
  document.cookie = "_ga=GA1.1." + cid + "; path=/; max-age=63072000; domain=" + location.hostname;
  localStorage.setItem("_gcl_ls", "{\\"schema\\":\\"gcl\\",\\"value\\":\\"" + cid + "\\"}");
  indexedDB.open("tracker-db");
  addEventListener("pagehide", function () {
    var hit = "https://www.google-analytics.com/g/collect?v=2&tid=G-TEST1&en=page_exit&cid=";
    navigator.sendBeacon(hit + cid);
  });
})();
"""
FINGERPRINT_JS = """
(function () {
  var canvas = document.createElement("canvas");
  canvas.width = 220; canvas.height = 30;
  var context = canvas.getContext("2d");
  context.fillStyle = "#f60"; context.fillRect(0, 0, 100, 20);
  context.fillStyle = "#069"; context.fillText("Cwm fjordbank glyphs vext quiz", 2, 15);
  window.__fp = canvas.toDataURL();
})();
"""
PLAYER_HTML = page(
    "<p>Spieler</p><script>document.cookie = 'frame_js=1; path=/; SameSite=None; Secure; max-age=3600';"
    "localStorage.setItem('yt-remote-device-id', 'abcdefghijkl');</script>",
    title="Spieler",
)
YOUTUBE_COOKIES = (
    '[headers]\n"Set-Cookie" = ["VISITOR_INFO1_LIVE=xyz123456; Path=/; Domain=.youtube.com; '
    'Max-Age=15552000; Secure; SameSite=None", "YSC=abc; Path=/; Domain=.youtube.com; Secure; '
    'SameSite=None", "CHIPS_ID=p1; Path=/; Secure; SameSite=None; Partitioned", '
    '"NO_SAMESITE=1; Path=/; Domain=.youtube.com"]\n'
)
RECORDER_JS = (
    """localStorage.setItem("_hjSessionUser_123", JSON.stringify({id: Math.random().toString(36)}));"""
)

CMP_CONFIG = """
CookieConsent.run({
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {} },
  language: { default: 'de', translations: { de: {
    consentModal: { title: 'Wir verwenden Cookies', description: 'Zur Reichweitenmessung.',
      acceptAllBtn: 'Alle akzeptieren', acceptNecessaryBtn: 'Alle ablehnen',
      showPreferencesBtn: 'Einstellungen' },
    preferencesModal: { title: 'Einstellungen', acceptAllBtn: 'Alle akzeptieren',
      acceptNecessaryBtn: 'Alle ablehnen', savePreferencesBtn: 'Auswahl speichern', sections: [] } } } }
});
"""

HOME_MADE_BANNER_JS = """(function () {
  var choice = (document.cookie.match(/(?:^|; )hinweis_wahl=([^;]*)/) || [])[1];
  if (choice === "alle") {
    var tag = document.createElement("script");
    tag.src = "https://www.googletagmanager.com/gtag/js?id=G-HOME1";
    document.head.appendChild(tag);
  }
  if (choice) return;
  var box = document.createElement("div");
  box.id = "hinweis";
  box.innerHTML = '<p>Diese Seite verwendet Cookies.</p>' +
    '<button type="button" data-wahl="alle">Alle akzeptieren</button> ' +
    '<button type="button" data-wahl="noetig">Nur notwendige Cookies</button>';
  box.addEventListener("click", function (event) {
    var wahl = event.target.getAttribute("data-wahl");
    if (!wahl) return;
    document.cookie = "hinweis_wahl=" + wahl + "; path=/; max-age=31536000";
    box.remove();
  });
  document.body.appendChild(box);
})();"""


def tracker_hosts(local_web: LocalWeb) -> None:
    """Real-world tracker host names, once per test session (the local web holds each host once)."""
    if (local_web.root / "www.googletagmanager.com").exists():
        return
    local_web.site(
        "www.googletagmanager.com",
        {"/gtag/js": GTAG_JS},
        host_toml='[types]\n"/gtag/js" = "text/javascript"\n',
    )
    local_web.site("www.google-analytics.com", {})
    local_web.site("static.hotjar.com", {"/c/hotjar-123.js": RECORDER_JS})
    local_web.site("fp.tracker-beispiel.com", {"/fp.js": FINGERPRINT_JS})
    local_web.site("www.youtube.com", {"/embed/abc/": PLAYER_HTML}, host_toml=YOUTUBE_COOKIES)


def open_source_cmp_site(local_web: LocalWeb, host: str) -> str:
    """Homepage and one more page behind vanilla-cookieconsent: analytics gated, Hotjar not."""
    tracker_hosts(local_web)
    head = (
        '<link rel="stylesheet" href="/cmp/cookieconsent.css">'
        '<script type="text/plain" data-category="analytics" '
        'src="https://www.googletagmanager.com/gtag/js?id=G-TEST1"></script>'
        '<script src="https://static.hotjar.com/c/hotjar-123.js"></script>'
    )
    tail = '<script src="/cmp/cookieconsent.umd.js"></script><script src="/cmp/config.js"></script>'
    files: dict[str, str | bytes] = {
        "/": page('<h1>Start</h1><a href="/leistungen/">Leistungen</a>' + tail, head=head, title="Start"),
        "/leistungen/": page("<h1>Leistungen</h1>" + tail, head=head, title="Leistungen"),
        "/cmp/cookieconsent.umd.js": (COOKIECONSENT / "cookieconsent.umd.js").read_bytes(),
        "/cmp/cookieconsent.css": (COOKIECONSENT / "cookieconsent.css").read_bytes(),
        "/cmp/config.js": CMP_CONFIG,
    }
    return local_web.site(host, files)


def home_made_banner_site(local_web: LocalWeb, host: str) -> str:
    """A banner no autoconsent rule knows, with German button texts; analytics only after "alle"."""
    tracker_hosts(local_web)
    body = '<h1>Start</h1><script src="/hinweis.js"></script>'
    return local_web.site(host, {"/": page(body, title="Start"), "/hinweis.js": HOME_MADE_BANNER_JS})
