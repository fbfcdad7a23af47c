"""kill -9 in the middle of a scan, then `govscan scan --resume`: no page lost, none twice."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from scanner.store.db import open_database, session
from scanner.store.models import Finding, FrontierItem, Page, Scan

from localweb import LocalWeb, page

GOVSCAN = str(Path(sys.executable).with_name("govscan"))
PAGES = 30


def targets_file(tmp_path: Path, origin: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        f"""
[[target]]
name = "Wiederaufnahme"
start_urls = ["{origin}/"]
authority_level = "gemeinde"
max_pages = 100
request_delay = 0
concurrency = 2
settle_quiet = 0.1
settle_cap = 1
interaction_pages = 0
[target.consent]
enabled = false
""",
        encoding="utf-8",
    )
    return path


def stored_pages(engine) -> int:
    with session(engine) as db:
        return db.exec(select(func.count()).select_from(Page)).one()


async def test_a_killed_scan_resumes_without_losing_or_repeating_pages(
    local_web: LocalWeb, tmp_path: Path
) -> None:
    files = {"/": page("".join(f'<a href="/seite-{index}.html">Seite {index}</a>' for index in range(PAGES)))}
    files |= {
        f"/seite-{index}.html": page(f"Inhalt {index}", lang=None if index % 3 == 0 else "de")
        for index in range(PAGES)
    }
    origin = local_web.site("www.wiederaufnahme-amt.de", files, host_toml="delay_ms = 150\n")
    database = tmp_path / "scan.db"
    server = local_web.server
    command = [
        GOVSCAN,
        "scan",
        "--targets",
        str(targets_file(tmp_path, origin)),
        "--db",
        f"sqlite:///{database}",
        "--ca-bundle",
        str(server.ca_bundle),
        "--quiet",
    ]
    for rule in server.connect_all():
        command += ["--connect-to", rule]
    engine = open_database(f"sqlite:///{database}")

    first = await asyncio.create_subprocess_exec(*command, env={**os.environ, "NO_COLOR": "1"})
    for _ in range(600):  # wait until the scan is well under way, at most 60 s
        await asyncio.sleep(0.1)
        if stored_pages(engine) >= 8:
            break
    first.kill()  # SIGKILL: no clean-up code runs
    await first.wait()

    pages_at_kill = stored_pages(engine)
    assert 8 <= pages_at_kill < PAGES + 1
    with session(engine) as db:
        scan = db.exec(select(Scan)).one()
        assert scan.status == "running"  # as the killed process left it

    resumed = await asyncio.create_subprocess_exec(
        *command, "--resume", "--json", stdout=asyncio.subprocess.PIPE
    )
    output, _ = await resumed.communicate()
    assert resumed.returncode == 0
    [outcome] = json.loads(output)

    assert outcome["scan_id"] == scan.id and outcome["status"] == "completed"
    with session(engine) as db:
        urls = db.exec(select(Page.url).where(Page.scan_id == scan.id)).all()
        fingerprints = db.exec(
            select(Finding.fingerprint).where(
                Finding.scan_id == scan.id, Finding.check_id == "accessibility.document-lang"
            )
        ).all()
        unfinished = db.exec(select(FrontierItem).where(FrontierItem.state != "done")).all()
        assert db.get(Scan, scan.id).resumed_count == 1
    expected = {origin + "/"} | {f"{origin}/seite-{index}.html" for index in range(PAGES)}
    assert sorted(urls) == sorted(expected)  # every page once: none lost, none twice
    assert len(fingerprints) == len(set(fingerprints)) == PAGES // 3  # one lang finding per page without lang
    assert unfinished == []
