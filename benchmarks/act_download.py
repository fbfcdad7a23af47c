"""Download the W3C's ``testcases.json``, every case file and the test assets they refer to into a cache.

Files already in the cache are kept (``refresh`` downloads ``testcases.json`` again; a case whose
file is missing is fetched). Assets are found by reading the downloaded HTML, SVG and CSS for URLs
below the W3C's content-assets folder, a few levels deep (an iframe's page, its stylesheet's image).
govscan's own HTTP client does the requests, so ``--connect-to`` and ``--ca-bundle`` apply to it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from benchmarks.act_cases import (
    TESTCASES_URL,
    TEXT_SUFFIXES,
    W3C_BASE,
    asset_references,
    local_path,
    parse_testcases,
)
from scanner.net.client import HttpResponse, NetClient
from scanner.net.network import NetworkSettings

ASSET_DEPTH = 3
PARALLEL = 8
MAX_BYTES = 64 * 1024 * 1024  # the largest test assets are videos of a few MB


async def download_cases(cache: Path, network: NetworkSettings, *, refresh: bool = False) -> list[str]:
    """Fill ``cache`` (a cases directory); returns the URLs that could not be fetched."""
    cache.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    async with NetClient(network, user_agent="govscan-act-benchmark", timeout=120) as client:
        index = cache / "testcases.json"
        wanted_index = refresh or not index.is_file()
        if wanted_index and not await _fetch(client, cache, TESTCASES_URL):
            raise RuntimeError(f"cannot download {TESTCASES_URL}")
        cases = parse_testcases(json.loads(index.read_text(encoding="utf-8")))
        wanted = {
            case.url if case.url.startswith(W3C_BASE) else W3C_BASE + case.relative_path for case in cases
        }
        seen: set[str] = set()
        for depth in range(ASSET_DEPTH + 1):
            batch = sorted(wanted - seen)
            if not batch:
                break
            seen |= set(batch)
            print(f"  downloading: {len(batch)} files (level {depth})", file=sys.stderr, flush=True)
            failed += await _fetch_all(client, cache, batch)
            wanted = set()
            for url in batch:
                path = local_path(cache, url)
                if path is not None and path.is_file() and path.suffix.lower() in TEXT_SUFFIXES:
                    wanted |= asset_references(path.read_text(encoding="utf-8", errors="replace"), url)
    return failed


async def _fetch_all(client: NetClient, cache: Path, urls: list[str]) -> list[str]:
    gate = asyncio.Semaphore(PARALLEL)

    async def one(url: str) -> str | None:
        path = local_path(cache, url)
        if path is None or path.is_file():
            return None
        async with gate:
            return None if await _fetch(client, cache, url) else url

    return [url for url in await asyncio.gather(*(one(url) for url in urls)) if url]


async def _fetch(client: NetClient, cache: Path, url: str) -> bool:
    response = await client.fetch(url, max_bytes=MAX_BYTES)
    if not isinstance(response, HttpResponse) or response.status != 200 or response.truncated:
        return False
    # "folder" redirected to "folder/": the file is what the final URL serves
    path = local_path(cache, response.url) or local_path(cache, url)
    if path is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")  # never leave half a file under the real name
        partial.write_bytes(response.body)
        partial.replace(path)
    except OSError:
        return False
    return True
