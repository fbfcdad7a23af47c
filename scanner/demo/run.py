"""`govscan demo`: serve the demo portal in a background thread while the scan runs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from scanner.config.targets import TargetConfig, load_targets
from scanner.demo.server import VirtualHostServer

DEMO_TARGETS = Path(__file__).parent / "targets.toml"
DEMO_TARGET_NAME = "Landkreis Beispielhausen (Demo)"


def demo_target() -> TargetConfig:
    return load_targets(DEMO_TARGETS).get(DEMO_TARGET_NAME)


@contextmanager
def serving_demo() -> Iterator[VirtualHostServer]:
    """The demo server runs on its own event loop in a thread, so the scan can own the main one."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="govscan-demo-server", daemon=True)
    thread.start()
    server = VirtualHostServer()
    try:
        asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=30)
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


async def serve_forever(console: Console) -> None:
    async with VirtualHostServer() as server:
        console.print("The demo portal is served on 127.0.0.1. Scan it with:")
        options = " ".join(f"--connect-to {rule}" for rule in server.connect_to())
        command = f"govscan scan --target '{DEMO_TARGET_NAME}' {options} --ca-bundle {server.ca_bundle}"
        console.print(command, soft_wrap=True)
        console.print("Press Ctrl-C to stop.")
        await asyncio.Event().wait()
