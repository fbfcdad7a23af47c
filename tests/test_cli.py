"""The command line: clear errors with exit code 2 that write nothing, and the read-only commands."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scanner.cli import app

runner = CliRunner()

GOOD_TARGETS = """
[[target]]
name = "Stadt Beispiel"
start_urls = ["https://www.stadt-beispiel.de/"]
authority_level = "gemeinde"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_check_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_TARGETS + 'max_pages = -5\nauthority_level_x = "kreis"\n')

    result = runner.invoke(app, ["config", "check", str(path)])

    assert result.exit_code == 2
    assert (
        f'{path}:6: target[1] "Stadt Beispiel" max_pages: expected a positive integer, got -5'
        in result.output
    )
    assert f"{path}:7:" in result.output and "authority_level_x" in result.output


def test_config_check_accepts_the_shipped_targets_file() -> None:
    result = runner.invoke(app, ["config", "check", "targets.toml"])
    assert result.exit_code == 0, result.output
    assert "5 Ziele, keine Fehler" in result.output


def test_a_broken_targets_file_stops_the_scan_before_anything_is_written(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_TARGETS.replace('"gemeinde"', '"stadt"'))
    database = tmp_path / "nie.db"

    result = runner.invoke(app, ["scan", "--targets", str(path), "--db", f"sqlite:///{database}"])

    assert result.exit_code == 2
    assert (
        'authority_level: expected one of "bund", "land", "kreis", "gemeinde", got "stadt"' in result.output
    )
    assert not database.exists()


def test_bad_scan_options_are_rejected_with_exit_code_2(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_TARGETS)
    database = tmp_path / "nie.db"
    cases = {
        ("--connect-to", "www.a.de:443:127.0.0.1"): "expected HOST:PORT:ADDRESS:PORT",
        ("--connect-to", "www.a.de:443:127.0.0.1:99999"): "out of range",
        ("--ca-bundle", str(tmp_path / "fehlt.pem")): "file not found",
        ("--target", "Stadt Beispil"): "Stadt Beispiel",
        ("--db", "ftp://example.org/x"): "expected sqlite:///FILE or postgresql://",
    }
    for option, message in cases.items():
        result = runner.invoke(
            app, ["scan", "--targets", str(path), "--db", f"sqlite:///{database}", *option]
        )
        assert result.exit_code == 2, (option, result.output)
        assert message in result.output, (option, result.output)
    empty_bundle = tmp_path / "leer.pem"
    empty_bundle.write_text("kein Zertifikat\n")
    result = runner.invoke(app, ["scan", "--targets", str(path), "--ca-bundle", str(empty_bundle)])
    assert result.exit_code == 2 and "no PEM certificate found" in result.output
    assert not database.exists()


def test_reports_of_an_empty_database_explain_what_to_do(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'leer.db'}"
    for command in (["report"], ["export", "--format", "json"], ["report", "--scan", "7"]):
        result = runner.invoke(app, [*command, "--db", database])
        assert result.exit_code == 2
        assert "govscan scan" in result.output or "no scan 7" in result.output


def test_checks_lists_and_documents_every_check() -> None:
    listing = runner.invoke(app, ["checks", "--json"])
    assert listing.exit_code == 0
    checks = {check["id"]: check for check in json.loads(listing.output)}
    assert {"accessibility.document-lang", "privacy.third-party-request", "security.https-redirect"} <= set(
        checks
    )
    assert checks["accessibility.document-lang"]["references"]["wcag"] == ["3.1.1"]

    one = runner.invoke(app, ["checks", "security.https-redirect", "--lang", "en"])
    assert one.exit_code == 0 and "How to fix" in one.output

    unknown = runner.invoke(app, ["checks", "privacy.gibt-es-nicht"])
    assert unknown.exit_code == 2 and "unknown check" in unknown.output


def test_a_check_is_found_from_its_id_in_one_step() -> None:
    """`govscan checks ID` names the file that implements the check, and the id is written there."""
    listing = json.loads(runner.invoke(app, ["checks", "--json"]).output)
    modules = {check["id"]: check["module"] for check in listing}
    assert modules["security.https-redirect"] == "checks.security.https_redirect"
    assert modules["accessibility.pdf.untagged"] == "checks.accessibility.pdf"

    one = runner.invoke(app, ["checks", "accessibility.pdf.untagged"])
    assert one.exit_code == 0
    assert "checks.accessibility.pdf (checks/accessibility/pdf.py)" in one.output
