"""sitemap.xml discovery (sitemaps.org protocol): urlsets, nested indexes, gzip, plain text.

Sitemaps come from strangers: parsing never raises (a broken file becomes an ``error``), XML
entities and network access are off, and gzip output is capped so a small file cannot expand
into gigabytes.
"""

from __future__ import annotations

import codecs
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from scanner.crawl.robots import fetch_following
from scanner.crawl.urls import normalise_url
from scanner.net.client import HttpFailure, NetClient

SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # sitemaps.org: at most 50 MB (uncompressed) per file
SITEMAP_MAX_REDIRECTS = 5
GZIP_MAGIC = b"\x1f\x8b"
_XML_STARTS = (b"<", codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ENTRIES = {"urlset": "url", "sitemapindex": "sitemap"}  # root element -> entry element


@dataclass
class SitemapDocument:
    urls: list[str] = field(default_factory=list)  # page URLs (<urlset><url><loc>), as written
    sitemaps: list[str] = field(default_factory=list)  # nested sitemaps (<sitemapindex><sitemap><loc>)
    error: str | None = None


@dataclass
class SitemapDiscovery:
    urls: list[str] = field(default_factory=list)  # normalised, in scope, deduplicated, document order
    sitemaps_read: list[str] = field(default_factory=list)  # fetched and parsed without error
    errors: list[tuple[str, str]] = field(default_factory=list)  # (sitemap url, reason)
    skipped: list[str] = field(default_factory=list)  # sitemap files not fetched: out of scope
    limit_reached: str | None = None  # "max_urls" or "max_sitemaps" when a limit stopped discovery


def parse_sitemap(data: bytes) -> SitemapDocument:
    """Page URLs and nested sitemaps of one sitemap file (XML, gzip'd XML or plain text)."""
    if data.startswith(GZIP_MAGIC):  # whatever the URL or Content-Type claim
        try:
            data = _gunzip(data, SITEMAP_MAX_BYTES)
        except (zlib.error, ValueError) as error:
            return SitemapDocument(error=f"gzip: {error}")
    data = data.removeprefix(codecs.BOM_UTF8).lstrip()
    if not data:
        return SitemapDocument(error="empty file")
    if data.startswith(_XML_STARTS):
        return _parse_xml(data)
    return _parse_text(data)


def _gunzip(data: bytes, limit: int) -> bytes:
    out = bytearray()
    while data.startswith(GZIP_MAGIC):  # a gzip file may hold several members
        inflater = zlib.decompressobj(wbits=31)
        out += inflater.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            raise ValueError(f"more than {limit} bytes uncompressed")
        if not inflater.eof:
            raise ValueError("truncated gzip data")
        data = inflater.unused_data
    return bytes(out)


def _parse_xml(data: bytes) -> SitemapDocument:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as error:
        return SitemapDocument(error=f"malformed XML: {error}")
    root_name = etree.QName(root).localname
    entry_name = _ENTRIES.get(root_name)
    if entry_name is None:
        return SitemapDocument(error=f"not a sitemap: root element <{root_name}>")
    locs: list[str] = []
    for entry in root:
        # Namespaces vary (sitemaps.org 0.9, Google's old 0.84, none at all): match local names.
        if not isinstance(entry.tag, str) or etree.QName(entry).localname != entry_name:
            continue
        for child in entry:
            if isinstance(child.tag, str) and etree.QName(child).localname == "loc":
                loc = "".join(child.itertext()).strip()
                if loc:
                    locs.append(loc)
                break
    return SitemapDocument(sitemaps=locs) if root_name == "sitemapindex" else SitemapDocument(urls=locs)


def _parse_text(data: bytes) -> SitemapDocument:
    """sitemaps.org text format: one URL per line."""
    lines = (line.strip() for line in data.decode("utf-8", errors="replace").splitlines())
    urls = [line for line in lines if line.lower().startswith(("http://", "https://"))]
    return SitemapDocument(urls=urls) if urls else SitemapDocument(error="neither XML nor a list of URLs")


def sitemap_candidates(origin: str, declared: Iterable[str] = ()) -> list[str]:
    """Where to look: the sitemaps robots.txt declares, else the conventional ``/sitemap.xml``."""
    declared = list(declared)
    return declared or [origin.rstrip("/") + "/sitemap.xml"]


async def discover_sitemap_urls(
    client: NetClient,
    sitemap_urls: Iterable[str],
    *,
    allow: Callable[[str], bool],
    max_urls: int,
    max_sitemaps: int = 50,
    drop_params: Sequence[str] = (),
) -> SitemapDiscovery:
    """Breadth-first over sitemaps and nested indexes; each file fetched at most once.

    ``allow`` (the crawl scope) filters page URLs and also decides which sitemap files and
    redirect targets may be requested at all. Page URLs are normalised with ``drop_params``.
    """
    result = SitemapDiscovery()
    queue: deque[str] = deque()
    seen_sitemaps: set[str] = set()
    seen_pages: set[str] = set()

    def enqueue(url: str, base: str | None = None) -> None:
        normalised = normalise_url(url, base=base)
        if normalised is None:
            result.errors.append((url, "not an http(s) URL"))
        elif normalised not in seen_sitemaps:
            seen_sitemaps.add(normalised)
            if allow(normalised):
                queue.append(normalised)
            else:
                result.skipped.append(normalised)

    for url in sitemap_urls:
        enqueue(url)
    fetched = 0
    while queue and max_urls > 0:
        if fetched >= max_sitemaps:
            result.limit_reached = "max_sitemaps"
            break
        sitemap_url = queue.popleft()
        fetched += 1
        response = await fetch_following(
            client, sitemap_url, max_redirects=SITEMAP_MAX_REDIRECTS, allow=allow, max_bytes=SITEMAP_MAX_BYTES
        )
        if isinstance(response, HttpFailure):
            result.errors.append((sitemap_url, f"{response.failure_class.value}: {response.detail}"))
            continue
        if not 200 <= response.status < 300:
            result.errors.append((sitemap_url, f"HTTP {response.status}"))
            continue
        if response.truncated:
            result.errors.append((sitemap_url, f"larger than {SITEMAP_MAX_BYTES} bytes"))
            continue
        seen_sitemaps.add(normalise_url(response.url) or response.url)  # a redirect target counts too
        document = parse_sitemap(response.body)
        if document.error is not None:
            result.errors.append((sitemap_url, f"parse error: {document.error}"))
            continue
        result.sitemaps_read.append(sitemap_url)
        for loc in document.urls:
            page = normalise_url(loc, base=response.url, drop_params=drop_params)
            if page is None or page in seen_pages or not allow(page):
                continue
            seen_pages.add(page)
            result.urls.append(page)
            if len(result.urls) >= max_urls:
                result.limit_reached = "max_urls"
                return result
        for loc in document.sitemaps:
            enqueue(loc, base=response.url)
    return result
