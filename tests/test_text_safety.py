"""Scanned text is data everywhere: on the terminal, in CSV, JUnit XML and the charts of the reports.

A hostile site (or a careless targets.toml) may put ANSI escape sequences, carriage returns, C1
codes, bidi overrides or Rich markup into titles, messages, URLs and names. No output may obey them.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from reports.export import export_findings
from reports.junit import export_junit
from reports.portfolio_report import render_portfolio_report
from scanner.cli import app
from scanner.store.db import session
from scanner.store.models import Finding
from scanner.text_safety import csv_cell, json_text, markup_text, terminal_text, xml_text

from populate import fresh_database, populate_scan

runner = CliRunner(env={"COLUMNS": "400"})  # wide enough that Rich does not wrap a table cell

ANSI_CLEAR = "\x1b[2J\x1b[31m"  # clears the screen, then writes red
HOSTILE_NAME = f"[bold red]Amt[/bold red]{ANSI_CLEAR}\r\x9b\u202eevil\x07"
RAW_CONTROLS = ("\x1b", "\r", "\x9b", "\u202e", "\x07", "\x00")


def assert_no_raw_controls(text: str) -> None:
    found = [repr(char) for char in RAW_CONTROLS if char in text]
    assert not found, f"raw control characters reached the output: {found}"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("line\roverwritten", "line\\x0doverwritten"),
        ("c1 \x9b csi", "c1 \\x9b csi"),
        ("bidi \u202e \u2066", "bidi \\u202e \\u2066"),
        ("two\nlines\ttab", "two\\x0alines\\x09tab"),
        ("Straße – ok", "Straße – ok"),
    ],
)
def test_terminal_text_shows_every_control_character_as_a_visible_escape(raw, shown):
    assert terminal_text(raw) == shown


def test_markup_text_keeps_rich_markup_as_text_and_multiline_keeps_layout():
    assert markup_text("[red]x[/red]") == "\\[red]x\\[/red]"
    assert terminal_text("a\n\tb\x1b", multiline=True) == "a\n\tb\\x1b"


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("\rcmd", "'\\x0dcmd"),
        ("\t=cmd", "'\t=cmd"),
        ("ok \x1b[31m", "ok \\x1b[31m"),
        ("two\nlines", "two\nlines"),
        (None, ""),
    ],
)
def test_csv_cells_are_defused_and_their_control_characters_escaped(raw, cell):
    assert csv_cell(raw) == cell


def test_xml_text_can_always_be_parsed_back():
    raw = "nul\x00 esc\x1b bell\x07 c1\x85 bidi\u202e keep\ttab\nline"
    element = ET.Element("case", name=xml_text(raw))
    element.text = xml_text(raw)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert parsed.text == "nul\\x00 esc\\x1b bell\\x07 c1\\x85 bidi\\u202e keep\ttab\nline"


def test_json_text_is_the_same_data_without_raw_controls():
    document = {"title": HOSTILE_NAME, "umlaut": "Prüfung"}
    text = json_text(document)
    assert_no_raw_controls(text)
    assert "Prüfung" in text  # readable, not \u00fc
    assert json.loads(text) == document


@pytest.fixture
def hostile_db(tmp_path: Path):
    """A scan of a target with a hostile name, whose findings carry hostile snippets and messages."""
    engine = fresh_database(tmp_path / "govscan.db")
    populated = populate_scan(engine, target_name=HOSTILE_NAME)
    with session(engine) as db:
        for finding in db.exec(select(Finding).where(Finding.scan_id == populated.scan_id)).all():
            finding.snippet = f"-{ANSI_CLEAR}snippet\x00"
            finding.message_en = f"message {ANSI_CLEAR}\u202e end"
            db.add(finding)
        db.commit()
    yield engine, populated.scan_id, tmp_path / "govscan.db"
    engine.dispose()


def test_status_shows_a_hostile_target_name_as_text(hostile_db):
    _, _, path = hostile_db
    result = runner.invoke(app, ["status", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.output)
    # Rich would have swallowed the tags had it read them as markup
    assert "[bold red]Amt[/bold red]" in result.output
    assert "\\x1b[2J" in result.output


def test_status_json_keeps_the_name_exactly_without_raw_controls(hostile_db):
    _, _, path = hostile_db
    result = runner.invoke(app, ["status", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.output)
    assert json.loads(result.output)["targets"][0]["name"] == HOSTILE_NAME


def test_config_check_shows_markup_and_escapes_in_names_as_text(tmp_path: Path):
    targets = tmp_path / "targets.toml"
    targets.write_text(
        "[[target]]\n"
        'name = "[red]Stadt[/red] \\u001b[2J\\u202e"\n'
        'start_urls = ["https://www.stadt-beispiel.de/"]\n'
        'authority_level = "gemeinde"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["config", "check", str(targets)])
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.output)
    assert "[red]Stadt[/red]" in result.output
    assert "\\x1b[2J" in result.output


def test_csv_export_has_no_raw_controls_and_no_formula(hostile_db):
    engine, scan_id, _ = hostile_db
    out = io.StringIO(newline="")
    export_findings(engine, scan_id, "csv", out)
    assert_no_raw_controls(out.getvalue().replace("\r\n", "\n"))  # CRLF: the CSV line ends
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert rows
    assert {row["snippet"] for row in rows} == {"'-\\x1b[2J\\x1b[31msnippet\\x00"}


def test_junit_export_is_valid_xml_with_visible_escapes(hostile_db):
    engine, scan_id, _ = hostile_db
    out = io.StringIO()
    export_junit(engine, scan_id, out)
    assert_no_raw_controls(out.getvalue())
    root = ET.fromstring(out.getvalue())
    assert HOSTILE_NAME not in root.get("name", "")
    assert "\\x1b[2J" in root.get("name", "")
    messages = [failure.get("message", "") for failure in root.iter("failure")]
    assert messages and all("\\u202e" in message for message in messages)


def test_portfolio_report_of_a_target_with_a_control_character_in_its_name(hostile_db, tmp_path: Path):
    engine, _, _ = hostile_db
    path = render_portfolio_report(engine, tmp_path / "out", "de")
    html = path.read_text(encoding="utf-8")
    assert "\\x1b[2J" in html  # the chart label, escaped for SVG
