"""Shared parts for tests: one local web server and one Chromium for the whole session."""

from __future__ import annotations

import asyncio
import inspect
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, ModuleType

import playwright.async_api
import playwright.sync_api
import psycopg
import pytest
import pytest_asyncio
from aiohttp import web

from scanner.capture.browser import ScanBrowser, launch_browser
from scanner.config.targets import CrawlSettings, TargetConfig
from scanner.demo.server import VirtualHostServer
from scanner.distributed.browsers import RecyclingBrowser
from scanner.net.network import NetworkSettings
from scanner.run.scan import ScanOutcome, scan_target
from scanner.store.db import open_database

from dnsserver import DnsHandler, Zones, serving_dns, signed_zones
from httpserver import running, serve  # tests/ is on sys.path (no __init__.py there)
from localweb import LocalWeb
from tlsservers import TlsServer

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


# The fast lane ---------------------------------------------------------------------------------
# Every test is marked at collection: "slow" when it needs Chromium, a server (HTTP, TLS,
# PostgreSQL) or a scan, "fast" otherwise; `pytest -m fast` (`make test-fast`) runs the fast lane.
# Slow is a test that uses (transitively) one of SLOW_FIXTURES, or whose own code, that of one of
# its fixtures or of a helper function in tests/ calls one of the starters below. A test that
# starts one where this cannot see it (in a subprocess) is marked ``pytest.mark.slow`` by hand.
# The lane is kept honest at run time: a fast test that launches Chromium, listens on a socket or
# connects to PostgreSQL fails with a FastLaneViolation, instead of quietly making the lane slow.

SLOW_FIXTURES = frozenset({"local_web", "network", "browser", "run_scan", "postgres_url"})


STARTERS = (
    *(running, serve, TlsServer, VirtualHostServer, web.TCPSite, web.run_app, socket.create_server),
    *(asyncio.start_server, psycopg.connect, launch_browser, RecyclingBrowser, scan_target),
)
STARTER_IDS = frozenset(map(id, STARTERS))
TESTS_DIR = str(Path(__file__).parent)


def _calls_a_starter(code: CodeType, namespace: dict, seen: set[CodeType]) -> bool:
    """Whether ``code`` names a starter (``name``, ``module.name``) or calls a tests/ helper that does."""
    if code in seen:
        return False
    seen.add(code)
    for name in code.co_names:
        value = namespace.get(name)
        if id(value) in STARTER_IDS:
            return True
        if isinstance(value, ModuleType):
            if any(id(getattr(value, attribute, None)) in STARTER_IDS for attribute in code.co_names):
                return True
        elif inspect.isfunction(value):
            helper = inspect.unwrap(value)
            if helper.__code__.co_filename.startswith(TESTS_DIR) and _calls_a_starter(
                helper.__code__, helper.__globals__, seen
            ):
                return True
    nested = (const for const in code.co_consts if isinstance(const, CodeType))
    return any(_calls_a_starter(inner, namespace, seen) for inner in nested)


def _needs_browser_or_server(item: pytest.Function) -> bool:
    if SLOW_FIXTURES.intersection(item.fixturenames):
        return True
    definitions = item._fixtureinfo.name2fixturedefs.values()
    functions = [item.function, *(definition.func for chain in definitions for definition in chain)]
    for function in map(inspect.unwrap, functions):
        code = getattr(function, "__code__", None)
        if code is not None and _calls_a_starter(code, function.__globals__, set()):
            return True
    return False


@pytest.hookimpl(tryfirst=True)  # before -m selects by these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None:
            slow = isinstance(item, pytest.Function) and _needs_browser_or_server(item)
            item.add_marker(pytest.mark.slow if slow else pytest.mark.fast)


class FastLaneViolation(RuntimeError):
    pass


@contextmanager
def _fast_lane_guard(item: pytest.Item) -> Iterator[list[str]]:
    """Within, launching Chromium, listening on a socket or connecting to PostgreSQL raise."""
    violations: list[str] = []

    def refuse(what: str):
        def refused(*_args, **_kwargs):
            message = (
                f"{item.nodeid} is in the fast lane but {what}: it must not be in the fast lane. "
                "Let it use a fixture that starts this (see SLOW_FIXTURES in tests/conftest.py) "
                "or mark it pytest.mark.slow."
            )
            violations.append(message)
            raise FastLaneViolation(message)

        return refused

    with pytest.MonkeyPatch.context() as patch:
        for browser_type in (playwright.async_api.BrowserType, playwright.sync_api.BrowserType):
            for launch in ("launch", "launch_persistent_context"):
                patch.setattr(browser_type, launch, refuse("launches Chromium"))
        patch.setattr(socket.socket, "listen", refuse("opens a listening socket (starts a server)"))
        for connection in (psycopg, psycopg.Connection, psycopg.AsyncConnection):
            patch.setattr(connection, "connect", refuse("connects to PostgreSQL"))
        yield violations


def _guarded(item: pytest.Item):
    if item.get_closest_marker("fast") is None:
        return (yield)
    with _fast_lane_guard(item) as violations:
        result = yield
    if violations:  # the test caught the FastLaneViolation: fail it all the same
        pytest.fail(violations[0], pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item):
    return (yield from _guarded(item))


# The signed test DNS server (tests/dnsserver.py): a module overrides ``zones`` for zones of its own.
@pytest.fixture(scope="module")
def zones() -> Zones:
    return signed_zones()


@pytest.fixture(scope="module")
def anchor_file(zones: Zones, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test root's trust anchor, as a file like the ``dns_trust_anchor`` setting names."""
    path = tmp_path_factory.mktemp("anchor") / "test-root.txt"
    path.write_text("; the test root of tests/dnsserver.py\n" + zones.anchor, encoding="utf-8")
    return path


@pytest_asyncio.fixture(scope="module")
async def dns_port(zones: Zones) -> AsyncIterator[int]:
    async with serving_dns(DnsHandler(zones)) as port:
        yield port
