"""``govscan scan`` on a scan its page limit cut short: a warning, exit code 5, ``--fail-on`` first.

The command runs in a worker thread: the local web server lives on the test session's event loop,
which must keep serving while the command scans.
"""

from __future__ import annotations

import json
from pathlib import Path

from cli_scans import scan_command as scan

from reports.gate import GATE_EXIT_CODE
from scanner.cli.app import INCOMPLETE_EXIT_CODE

from localweb import LocalWeb, page


def targets_file(tmp_path: Path, host: str, max_pages: int) -> Path:
    path = tmp_path / f"{host}-{max_pages}.toml"
    path.write_text(
        f"""
[[target]]
name = "Amt Kurz"
start_urls = ["https://{host}/"]
authority_level = "gemeinde"
max_pages = {max_pages}
request_delay = 0
settle_quiet = 0.2
settle_cap = 2
use_sitemaps = false
interaction_pages = 0
[target.consent]
enabled = false  # the consent scenarios are tested elsewhere; here they would only cost time
""",
        encoding="utf-8",
    )
    return path


async def test_a_scan_cut_short_by_its_page_limit_warns_and_exits_5_and_the_gate_keeps_its_4(
    local_web: LocalWeb, tmp_path: Path
):
    host = "www.kurz-amt.de"
    database = f"sqlite:///{tmp_path / 'kurz.db'}"
    local_web.site(
        host, {"/": page('<a href="/a/">A</a> <a href="/b/">B</a>'), "/a/": page("A"), "/b/": page("B")}
    )

    full = await scan(local_web, targets_file(tmp_path, host, 100), database, "--quiet")
    assert full.exit_code == 0, full.output

    short = targets_file(tmp_path, host, 1)
    cut = await scan(local_web, short, database, "--json")
    assert cut.exit_code == INCOMPLETE_EXIT_CODE == 5, cut.output
    outcome = json.loads(cut.stdout)[0]
    assert (outcome["status"], outcome["stopped_by"], outcome["summary"]["not_visited"]) == (
        "incomplete",
        "max_pages",
        2,
    )
    assert f"warning: scan {outcome['scan_id']} of Amt Kurz is incomplete" in cut.stderr

    quiet = await scan(local_web, short, database, "--quiet", "--fail-on", "new:serious")
    assert quiet.exit_code == INCOMPLETE_EXIT_CODE, quiet.output  # the gate found nothing new
    assert "is incomplete" in quiet.stderr

    local_web.rewrite(host, {"/": page('<a href="/a/">A</a>', lang=None), "/a/": page("A"), "/b/": page("B")})
    gated = await scan(local_web, short, database, "--quiet", "--fail-on", "new:serious")
    assert gated.exit_code == GATE_EXIT_CODE, gated.output  # new defects: the gate's code wins

    refused = await scan(
        local_web, short, database, "--fail-on", "new:any", "--baseline", str(outcome["scan_id"])
    )
    assert refused.exit_code == 2, refused.output
    assert "did not complete whole (incomplete)" in refused.output
