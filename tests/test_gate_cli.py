"""``govscan scan --fail-on``: the deployment gate through the real command line, scans included.

The command runs in a worker thread: the local web server lives on the test session's event loop,
which must keep serving while the command scans.
"""

from __future__ import annotations

from pathlib import Path

from cli_scans import runner
from cli_scans import scan_command as scan

from reports.gate import GATE_EXIT_CODE
from scanner.cli import app

from localweb import LocalWeb, page

HOST = "www.schranke-amt.de"


def targets_file(tmp_path: Path, name: str, host: str) -> Path:
    path = tmp_path / f"{host}.toml"
    path.write_text(
        f"""
[[target]]
name = "{name}"
start_urls = ["https://{host}/"]
authority_level = "gemeinde"
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


async def test_fail_on_new_findings_exits_4_only_for_new_open_defects_at_the_level(
    local_web: LocalWeb, tmp_path: Path
):
    database = f"sqlite:///{tmp_path / 'gate.db'}"
    targets = targets_file(tmp_path, "Amt Schranke", HOST)
    local_web.site(HOST, {"/": page('<a href="/a/">A</a>'), "/a/": page("A")})

    first = await scan(local_web, targets, database, "--fail-on", "new:serious", "--quiet")
    assert first.exit_code == 0, first.output  # no baseline: everything is new, but nothing is found

    local_web.rewrite(HOST, {"/": page('<a href="/a/">A</a>'), "/a/": page("A", lang=None)})
    second = await scan(local_web, targets, database, "--fail-on", "new:critical", "--fail-on", "new:serious")
    assert second.exit_code == GATE_EXIT_CODE, second.output
    # the missing lang: accessibility.document-lang and axe's html-has-lang
    assert "--fail-on new:serious: 2 finding(s) in scan 2 (against scan 1)" in second.output
    assert "--fail-on new:critical: 0 finding(s)" in second.output

    third = await scan(local_web, targets, database, "--fail-on", "new:serious")
    assert third.exit_code == 0, third.output  # the missing lang persists: not new against scan 2

    against_first = await scan(
        local_web, targets, database, "--fail-on", "new:any", "--baseline", "1", "--quiet"
    )
    assert against_first.exit_code == GATE_EXIT_CODE, against_first.output


def test_gate_options_are_checked_before_anything_is_scanned(tmp_path: Path):
    database = tmp_path / "nie.db"
    targets = targets_file(tmp_path, "Amt Vorher", "www.vorher-amt.de")
    cases = {
        ("--fail-on", "neu:serious"): "expected WHICH:LEVEL",
        ("--fail-on", "new:schlimm"): "expected WHICH:LEVEL",
        ("--baseline", "3"): "--baseline needs --fail-on",
        ("--fail-on", "new:any", "--baseline", "3"): "no scan 3",
    }
    for options, message in cases.items():
        result = runner.invoke(
            app, ["scan", "--targets", str(targets), "--db", f"sqlite:///{database}", *options]
        )
        assert result.exit_code == 2, (options, result.output)
        assert message in result.output, (options, result.output)
