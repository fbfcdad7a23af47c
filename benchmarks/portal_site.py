"""A generated municipal portal of N pages with the shapes real portals have, for the benchmark.

Written as ``root/<hostname>/...`` for ``scanner.demo.server.VirtualHostServer``: every page has a
header with navigation and a search form, breadcrumbs and a footer; pages link onward as a wide
tree so the crawler reaches all N; every fourth page has a contact form, every fifth an iframe
with the authority's online service (another first-party host), every seventh a third-party map
iframe; a consent banner (own script, German buttons, like the demo portal's) runs on every page
while a tag manager and web fonts load before any choice, as on many real portals; a few PDFs are
linked from the footer and the document pages. Nothing here is random: runs are comparable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf

MAIN_HOST = "www.kreis-musterstadt.de"
SERVICE_HOST = "service.kreis-musterstadt.de"  # first party: the online forms, shown in iframes
FIRST_PARTY = ("kreis-musterstadt.de",)
TAG_HOST = "www.googletagmanager.com"
ANALYTICS_HOST = "www.google-analytics.com"
FONT_HOST = "fonts.googleapis.com"
MAP_HOST = "karten.example-geo.net"
THIRD_PARTY_HOSTS = (TAG_HOST, ANALYTICS_HOST, FONT_HOST, MAP_HOST)
PDF_NAMES = ("haushaltsplan-2026.pdf", "gebuehrenordnung.pdf", "antrag-wohngeld.pdf")

FANOUT = 6  # child links per page: depth grows with log6(N), as on a portal with sections
NAV_PAGES = 8  # the main navigation links the first pages (the sections)
FORM_EVERY, SERVICE_FRAME_EVERY, MAP_FRAME_EVERY, PDF_EVERY = 4, 5, 7, 9


@dataclass(frozen=True)
class Portal:
    root: Path
    pages: int

    @property
    def start_url(self) -> str:
        return f"https://{MAIN_HOST}/"

    @property
    def hosts(self) -> list[str]:
        return sorted(path.name for path in self.root.iterdir() if path.is_dir())


def page_path(index: int) -> str:
    return "/" if index == 0 else f"/seite/{index}.html"


def write_portal(root: Path, pages: int) -> Portal:
    """Write the portal under ``root`` (which must be empty or missing) and return where it is."""
    if pages < 1:
        raise ValueError("a portal has at least one page")
    main = root / MAIN_HOST
    for index in range(pages):
        path = main / ("index.html" if index == 0 else page_path(index).lstrip("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page_html(index, pages), encoding="utf-8")
    _write(main / "assets/consent.js", CONSENT_JS)
    _write(main / "assets/style.css", STYLE_CSS)
    _write(main / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: https://{MAIN_HOST}/sitemap.xml\n")
    _write(main / "sitemap.xml", _sitemap(pages))
    for name in PDF_NAMES:
        (main / "dokumente").mkdir(exist_ok=True)
        (main / "dokumente" / name).write_bytes(_pdf(name))
    _write(root / SERVICE_HOST / "formular.html", SERVICE_FORM_HTML)
    _write(root / SERVICE_HOST / "robots.txt", "User-agent: *\nAllow: /\n")
    _write(root / TAG_HOST / "gtag/js", TAG_JS)
    _write(root / TAG_HOST / "_host.toml", '[types]\n"/gtag/js" = "application/javascript"\n')
    _write(root / ANALYTICS_HOST / "robots.txt", "User-agent: *\nDisallow:\n")
    _write(root / FONT_HOST / "css2", "@font-face { font-family: 'Muster Sans'; src: local('Arial'); }\n")
    _write(root / FONT_HOST / "_host.toml", '[types]\n"/css2" = "text/css"\n')
    _write(root / MAP_HOST / "embed.html", MAP_HTML)
    return Portal(root, pages)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _page_html(index: int, pages: int) -> str:
    title = "Startseite" if index == 0 else f"Thema {index}"
    children = range(FANOUT * index + 1, min(FANOUT * index + FANOUT + 1, pages))
    sections = range(1, min(NAV_PAGES, pages))
    nav = "".join(f'<li><a href="{page_path(i)}">Bereich {i}</a></li>' for i in sections)
    onward = "".join(f'<li><a href="{page_path(i)}">Thema {i}</a></li>' for i in children)
    parent = (index - 1) // FANOUT
    crumbs = f'<nav aria-label="Brotkrümel"><a href="{page_path(parent)}">Zurück</a></nav>' if index else ""
    blocks = [f"<p>{'Informationen der Kreisverwaltung zu Anträgen, Fristen und Gebühren. ' * 12}</p>"]
    if index % FORM_EVERY == 1:
        blocks.append(CONTACT_FORM)
    if index % SERVICE_FRAME_EVERY == 2:
        blocks.append(
            f'<iframe src="https://{SERVICE_HOST}/formular.html" title="Online-Antrag" '
            'width="600" height="300"></iframe>'
        )
    if index % MAP_FRAME_EVERY == 3:
        blocks.append(f'<iframe src="https://{MAP_HOST}/embed.html" width="600" height="300"></iframe>')
    if index % PDF_EVERY == 4 or index == 0:
        blocks.append(
            "<ul>"
            + "".join(f'<li><a href="/dokumente/{name}">{name} (PDF)</a></li>' for name in PDF_NAMES)
            + "</ul>"
        )
    return f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Kreis Musterstadt</title>
<link rel="stylesheet" href="https://{FONT_HOST}/css2?family=Muster+Sans">
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/consent.js" defer></script>
<script async src="https://{TAG_HOST}/gtag/js?id=G-BENCH1"></script>
</head><body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header><a href="/"><strong>Kreis Musterstadt</strong></a>
<form role="search" action="/suche/" method="get"><label for="q">Suchbegriff</label>
<input id="q" name="q" type="search"><button type="submit">Suchen</button></form>
<nav aria-label="Hauptnavigation"><ul>{nav}</ul></nav></header>
{crumbs}
<main id="inhalt"><h1>{title}</h1>{"".join(blocks)}<ul>{onward}</ul></main>
<footer><ul><li><a href="/">Impressum</a></li><li><a href="/">Datenschutz</a></li>
<li><a href="/">Erklärung zur Barrierefreiheit</a></li></ul></footer>
</body></html>
"""


def _sitemap(pages: int) -> str:
    urls = "".join(f"<url><loc>https://{MAIN_HOST}{page_path(i)}</loc></url>" for i in range(pages))
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def _pdf(name: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = name
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


CONTACT_FORM = """<form action="/kontakt/senden" method="post"><h2>Kontakt</h2>
<label for="name">Name</label><input id="name" name="name" autocomplete="name">
<label for="mail">E-Mail</label><input id="mail" name="mail" type="email">
<input name="telefon" placeholder="Telefon">
<textarea name="nachricht" aria-label="Ihre Nachricht"></textarea>
<button type="submit">Absenden</button></form>"""

SERVICE_FORM_HTML = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Online-Antrag</title></head><body><form action="/senden" method="post">
<label for="az">Aktenzeichen</label><input id="az" name="az">
<input name="geburtsdatum" placeholder="Geburtsdatum"><button>Weiter</button></form></body></html>
"""

MAP_HTML = """<!doctype html><html><head><title>Karte</title></head><body>
<div style="width:100%;height:280px;background:#cde">Karte</div>
<script>document.cookie = 'geo_session=1; path=/; SameSite=None; Secure';
localStorage.setItem('geo_tiles', 'v1');</script>
</body></html>
"""

# Loads before any choice and sets its cookie regardless: the fault many portals really have.
TAG_JS = f"""(function () {{
  document.cookie = '_ga=GA1.1.' + 123456789 + '.1700000000; path=/; Max-Age=63072000; SameSite=Lax';
  navigator.sendBeacon && navigator.sendBeacon('https://{ANALYTICS_HOST}/g/collect?v=2&tid=G-BENCH1');
}})();
"""

CONSENT_JS = """(function () {
  'use strict';
  function chosen() { return /(?:^|;\\s*)ms_consent=(all|necessary)/.test(document.cookie); }
  function show() {
    if (chosen()) { return; }
    var box = document.createElement('div');
    box.id = 'cookie-hinweis';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Datenschutzeinstellungen');
    box.innerHTML = '<p>Wir verwenden Cookies, um die Nutzung statistisch auszuwerten.</p>' +
      '<button type="button" data-consent="all">Alle akzeptieren</button>' +
      '<button type="button" data-consent="necessary">Nur notwendige Cookies</button>';
    box.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-consent]');
      if (!button) { return; }
      document.cookie = 'ms_consent=' + button.getAttribute('data-consent') +
        '; path=/; Max-Age=31536000; SameSite=Lax';
      box.remove();
    });
    document.body.appendChild(box);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', show);
  } else {
    show();
  }
})();
"""

STYLE_CSS = """body { font-family: 'Muster Sans', sans-serif; margin: 0 auto; max-width: 70rem; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 0; }
#cookie-hinweis { position: fixed; bottom: 0; left: 0; right: 0; background: #fff;
  border-top: 2px solid #333; padding: 1rem; }
"""
