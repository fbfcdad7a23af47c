"""Page collector "a11y-dom": what axe does not look at, read cheaply from the settled top document.

Its evidence is ``scanner.evidence.accessibility_dom.DomEvidence``:

- links with their (approximate) accessible name, for generic link texts and document links;
- audio and video elements: tracks, autoplay, whether they are playing, muted, with controls;
- shadow roots attached in "closed" mode: axe cannot see inside them. An init script wraps
  ``attachShadow`` before any page script runs and remembers the hosts (the page keeps working
  exactly as before; nothing is written into the DOM).
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import BrowserContext, Page

from scanner.capture.collectors import PageCollector
from scanner.crawl.urls import DOCUMENT_EXTENSIONS
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.accessibility_dom import DomEvidence

MAX_LINKS = 2000
SHORT_NAME = 40  # characters: longer link names are never "generic"
# the crawler's document extensions; ";jsessionid=..." may follow the file name
DOCUMENT_HREF = rf"\.({'|'.join(DOCUMENT_EXTENSIONS)})([?#;]|$)"

_CLOSED_SHADOW_HOOK = """(() => {
  const hosts = [];
  const original = Element.prototype.attachShadow;
  Object.defineProperty(window, '__govscanClosedShadowHosts', { value: hosts, enumerable: false });
  Element.prototype.attachShadow = function (init) {
    const root = original.call(this, init);
    if (init && init.mode === 'closed' && hosts.length < 500) hosts.push(this);
    return root;
  };
})();"""

# Shared by the page collectors of this family: a short CSS selector for an element.
SELECTOR_JS = """(element) => {
  const parts = [];
  let node = element;
  while (node && node.nodeType === 1 && node !== document.body && node !== document.documentElement
         && parts.length < 5) {
    if (node.id) { parts.unshift('#' + CSS.escape(node.id)); break; }
    let part = node.localName;
    const parent = node.parentElement;
    if (parent) {
      const same = Array.from(parent.children).filter((child) => child.localName === node.localName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
    }
    parts.unshift(part);
    node = parent;
  }
  return parts.join(' > ');
}"""

# Composed in Python, not eval'ed in the page: a Content-Security-Policy may forbid eval.
_READ = """([maxLinks, shortName, documentHref]) => {
  const selector = SELECTOR;
  const clean = (text) => (text || '').replace(/\\s+/g, ' ').trim();
  const snippet = (element) => element.outerHTML.slice(0, 300);
  const documentPattern = new RegExp(documentHref, 'i');
  const nameOf = (a) => {
    const labelledby = a.getAttribute('aria-labelledby');
    if (labelledby) {
      const text = labelledby.split(/\\s+/).map((id) => document.getElementById(id))
        .filter(Boolean).map((el) => el.textContent).join(' ');
      if (clean(text)) return clean(text);
    }
    if (clean(a.getAttribute('aria-label'))) return clean(a.getAttribute('aria-label'));
    const images = Array.from(a.querySelectorAll('img[alt]')).map((img) => img.getAttribute('alt'));
    const text = clean(a.innerText ?? a.textContent) || clean(images.join(' '));
    return text || clean(a.getAttribute('title'));
  };
  // An SVG <a> has an SVGAnimatedString as href and no innerText: resolve its attribute instead.
  const hrefOf = (a) => {
    if (typeof a.href === 'string') return a.href;
    try { return new URL(a.getAttribute('href') || '', document.baseURI).href; } catch (error) { return ''; }
  };
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (links.length >= maxLinks) break;
    const name = nameOf(a);
    const href = hrefOf(a);
    if (name.length > shortName && !documentPattern.test(href)) continue;
    links.push({ href, name, text: clean(a.innerText ?? a.textContent), title: clean(a.getAttribute('title')),
                 selector: selector(a), html: snippet(a) });
  }
  const media = Array.from(document.querySelectorAll('video, audio')).slice(0, 100).map((element) => ({
    tag: element.localName, selector: selector(element), html: snippet(element),
    src: element.currentSrc || element.getAttribute('src') || '',
    autoplay: element.hasAttribute('autoplay'), playing: !element.paused && !element.ended,
    muted: element.muted, controls: element.hasAttribute('controls'), loop: element.hasAttribute('loop'),
    duration: Number.isFinite(element.duration) ? element.duration : null,
    tracks: Array.from(element.querySelectorAll('track')).map((track) => ({
      kind: track.getAttribute('kind') || 'subtitles', srclang: track.getAttribute('srclang') || '' })),
  }));
  const closed = (window.__govscanClosedShadowHosts || []).filter((host) => host.isConnected)
    .map((host) => ({ selector: selector(host), tag: host.localName, html: snippet(host) }));
  return { links, media, closed_shadow_roots: closed };
}""".replace("SELECTOR", SELECTOR_JS)


@dataclass(frozen=True)
class DomCollector(PageCollector):
    name: str = DomEvidence.KIND
    scenarios: frozenset[Scenario] = frozenset({Scenario.FIRST_VISIT})
    time_allowance: float = 10.0

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        await page.add_init_script(_CLOSED_SHADOW_HOOK)

    async def collect(self, page: Page, capture: PageCapture) -> DomEvidence:
        return DomEvidence.from_fields(await page.evaluate(_READ, [MAX_LINKS, SHORT_NAME, DOCUMENT_HREF]))
