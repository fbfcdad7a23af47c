"""Reading the settled page: links, document language, web storage per frame origin, cookies."""

from __future__ import annotations

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from scanner.evidence import CookieRecord, Link, StorageRecord

MAX_LINKS = 5000
MAX_STORAGE_ITEMS_PER_FRAME = 1000

# The accessible text of a link, roughly: visible text, else aria-label, title or image alt.
_READ_LINKS = """(max) => {
  const links = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (links.length >= max) break;
    const href = typeof a.href === 'string' ? a.href : (a.href && a.href.baseVal) || '';
    const image = a.querySelector && a.querySelector('img[alt]');
    const text = (a.innerText || a.getAttribute('aria-label') || a.getAttribute('title')
                  || (image ? image.getAttribute('alt') : '') || a.getAttribute('alt') || '');
    links.push([href, text.replace(/\\s+/g, ' ').trim().slice(0, 300), a.getAttribute('rel') || '']);
  }
  return links;
}"""

_READ_STORAGE = """(max) => {
  const items = [];
  for (const [kind, store] of [['local', window.localStorage], ['session', window.sessionStorage]]) {
    for (let i = 0; i < store.length && items.length < max; i++) {
      const key = store.key(i);
      items.push([kind, key, store.getItem(key) || '']);
    }
  }
  return [window.location.origin, items];
}"""


async def read_links(page: Page) -> tuple[Link, ...]:
    rows = await page.evaluate(_READ_LINKS, MAX_LINKS)
    return tuple(Link(href, text, rel) for href, text, rel in rows if href)


async def read_html_lang(page: Page) -> str | None:
    return await page.evaluate(
        "() => document.documentElement && document.documentElement.getAttribute('lang')"
    )


async def read_storage(page: Page) -> tuple[StorageRecord, ...]:
    """localStorage and sessionStorage of every frame origin (third-party frames included)."""
    seen: dict[tuple[str, str, str], StorageRecord] = {}
    for frame in page.frames:
        for record in await _frame_storage(frame):
            seen.setdefault((record.origin, record.kind, record.key), record)
    return tuple(seen.values())


async def _frame_storage(frame: Frame) -> list[StorageRecord]:
    try:
        origin, items = await frame.evaluate(_READ_STORAGE, MAX_STORAGE_ITEMS_PER_FRAME)
    except PlaywrightError:  # detached, sandboxed or opaque-origin frames have no readable storage
        return []
    if not origin or origin == "null":
        return []
    return [StorageRecord(origin, kind, key, value) for kind, key, value in items]


async def read_cookies(context: BrowserContext) -> tuple[CookieRecord, ...]:
    """Every cookie in the context: the page's own and those of third-party frames and requests."""
    records = []
    for cookie in await context.cookies():
        expires = cookie.get("expires")
        records.append(
            CookieRecord(
                name=cookie["name"],
                value=cookie["value"],
                domain=cookie["domain"],
                path=cookie["path"],
                expires=None if expires is None or expires < 0 else float(expires),
                http_only=cookie.get("httpOnly", False),
                secure=cookie.get("secure", False),
                same_site=cookie.get("sameSite"),
                partition_key=cookie.get("partitionKey"),
            )
        )
    return tuple(records)
