"""``govscan scan`` through the real command line against the local web server, for CLI tests.

The command runs in a worker thread: the local web server lives on the test session's event loop,
which must keep serving while the command scans.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner, Result

from scanner.cli import app

from localweb import LocalWeb

runner = CliRunner()


async def scan_command(local_web: LocalWeb, targets: Path, database: str, *options: str) -> Result:
    network = [option for rule in local_web.server.connect_all() for option in ("--connect-to", rule)]
    network += ["--ca-bundle", str(local_web.server.ca_bundle)]
    arguments = ["scan", "--targets", str(targets), "--db", database, *network, *options]
    return await asyncio.to_thread(runner.invoke, app, arguments)
