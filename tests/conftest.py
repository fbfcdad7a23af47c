"""Shared parts for tests: one local web server and one Chromium for the whole session."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
import pytest_asyncio

from scanner.capture.browser import ScanBrowser, launch_browser
from scanner.config.targets import CrawlSettings, TargetConfig
from scanner.demo.server import VirtualHostServer
from scanner.net.network import NetworkSettings
from scanner.run.scan import ScanOutcome, scan_target
from scanner.store.db import open_database

from localweb import LocalWeb  # tests/ is on sys.path (no __init__.py there)

POSTGRES_SERVER = os.environ.get("GOVSCAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")

# Fast, still honest: no delay between pages of one host, short settle windows.
FAST_CRAWL = {
    "request_delay": 0.0,
    "settle_quiet": 0.2,
    "settle_cap": 2.0,
    "page_timeout": 15.0,
    "concurrency": 2,
}


@pytest_asyncio.fixture(scope="session")
async def local_web(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LocalWeb]:
    root = tmp_path_factory.mktemp("localweb")
    async with VirtualHostServer(root) as server:
        yield LocalWeb(root, server)


@pytest.fixture(scope="session")
def network(local_web: LocalWeb) -> NetworkSettings:
    return NetworkSettings.build(local_web.server.connect_all(), local_web.server.ca_bundle)


@pytest_asyncio.fixture(scope="session")
async def browser(network: NetworkSettings) -> AsyncIterator[ScanBrowser]:
    async with launch_browser(network) as launched:
        yield launched


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server for one test module, dropped afterwards."""
    name = f"govscan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def engine(tmp_path: Path):
    return open_database(f"sqlite:///{tmp_path / 'govscan.db'}")


def make_target(
    name: str, start_urls: list[str], first_party: list[str] | None = None, **options
) -> TargetConfig:
    """A target as targets.toml would give it, with fast crawl settings unless overridden."""
    crawl = {**FAST_CRAWL, **options.pop("crawl", {})}
    # The keyboard walk and reflow test cost about a second per page: only tests that want them say so.
    options["accessibility"] = {"interaction_pages": 0, **options.get("accessibility", {})}
    # The "rejected"/"accepted" visits cost seconds per page: only tests that ask for them get them.
    options.setdefault("consent", {"enabled": False})
    return TargetConfig(
        name=name,
        start_urls=tuple(start_urls),
        first_party_hosts=tuple(first_party or [url.split("/")[2] for url in start_urls]),
        authority_level=options.pop("authority_level", "kreis"),
        crawl=CrawlSettings(**crawl),
        **options,
    )


@pytest.fixture
def run_scan(engine, browser: ScanBrowser, network: NetworkSettings):
    async def run(target: TargetConfig, **kwargs) -> ScanOutcome:
        return await scan_target(target, engine=engine, network=network, browser=browser, **kwargs)

    return run
