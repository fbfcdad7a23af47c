"""The generated portal served in a child process, so its CPU and memory stay out of the measurement.

The server (``VirtualHostServer``: HTTP and HTTPS on 127.0.0.1, a trustme CA, certificates per SNI
name) runs on its own interpreter and event loop; the scanner's event loop is not shared with it,
and the tree sampler leaves its process out by pid.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class ServedPortal:
    connect_to: tuple[str, ...]  # --connect-to rules sending every host name's 80/443 to the server
    ca_bundle: Path
    pid: int


def _serve(root: str, ready: multiprocessing.Queue, stop: Event) -> None:
    from scanner.demo.server import VirtualHostServer

    async def main() -> None:
        async with VirtualHostServer(Path(root)) as server:
            ready.put((server.connect_all(), server.ca.cert_pem.bytes()))
            await asyncio.get_running_loop().run_in_executor(None, stop.wait)

    asyncio.run(main())


@contextmanager
def serving(root: Path, workdir: Path) -> Iterator[ServedPortal]:
    """Serve ``root`` until the block ends; the child process always ends with it."""
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads and loops
    ready: multiprocessing.Queue = context.Queue()
    stop = context.Event()
    process = context.Process(target=_serve, args=(str(root), ready, stop), name="bench-portal-server")
    process.start()
    try:
        rules, ca_pem = ready.get(timeout=START_TIMEOUT)
        ca_bundle = workdir / "bench-ca.pem"
        ca_bundle.write_bytes(ca_pem)
        assert process.pid is not None
        yield ServedPortal(tuple(rules), ca_bundle, process.pid)
    finally:
        stop.set()
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
