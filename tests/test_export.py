"""The JSON and CSV exports of one scan: schema, counts, order, CSV quoting and formula defusing."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from reports.export import CSV_COLUMNS, SCHEMA_URL, defuse_formula, export_document, export_findings
from scanner.store.db import session
from scanner.store.models import Finding

from populate import (
    FORMULA_SNIPPET,
    INJECTION_MESSAGE_DE,
    INJECTION_MESSAGE_EN,
    INJECTION_URL,
    NOT_VISITED,
    fresh_database,
    populate_failed_scan,
    populate_scan,
)

SCHEMA_PATH = Path(__file__).parent.parent / "docs" / "export-schema.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture
def engine(tmp_path):
    engine = fresh_database(tmp_path / "govscan.db")
    yield engine
    engine.dispose()


def validate(document: dict, schema: dict) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


def export_json(engine, scan_id: int) -> dict:
    out = io.StringIO()
    export_findings(engine, scan_id, "json", out)
    return json.loads(out.getvalue())


def export_csv_rows(engine, scan_id: int) -> tuple[str, list[list[str]]]:
    out = io.StringIO(newline="")
    export_findings(engine, scan_id, "csv", out)
    text = out.getvalue()
    return text, list(csv.reader(io.StringIO(text, newline="")))


def test_json_export_validates_against_the_published_schema(engine, schema):
    populated = populate_scan(engine)

    document = export_json(engine, populated.scan_id)

    validate(document, schema)
    assert document["schema"] == SCHEMA_URL == schema["$id"]
    assert document["schema_version"] == "1.2"
    assert document["generator"]["name"] == "govscan"


def test_json_export_counts_and_exact_values(engine):
    populated = populate_scan(engine)

    document = export_json(engine, populated.scan_id)

    scan = document["scan"]
    assert scan["id"] == populated.scan_id
    assert scan["target"] == "Gemeinde Beispielhausen"
    assert scan["authority_level"] == "gemeinde"
    # stored as completed (as before "incomplete" existed), but max_pages left URLs queued
    assert scan["status"] == "incomplete"
    assert scan["stopped_by"] == "max_pages"
    assert scan["started_at"] == "2025-03-03T08:00:00+00:00"
    assert scan["finished_at"] == "2025-03-03T08:12:34+00:00"
    assert scan["active_seconds"] == 754.2
    assert scan["chromium_version"] == "134.0.6998.35"
    assert scan["summary"]["not_visited"] == NOT_VISITED
    assert scan["summary"]["pages"]["html:ok"] == populated.tested_pages

    assert len(document["findings"]) == populated.findings == 8
    assert len(document["pages"]) == 7
    assert [host["ok"] for host in document["hosts"]] == [False, True]
    assert document["hosts"][0]["failure_class"] == "timeout"

    checks = {check["id"]: check for check in document["checks"]}
    assert list(checks) == [
        "accessibility.document-lang",
        "privacy.third-party-request",
        "security.https-redirect",
    ]
    lang = checks["accessibility.document-lang"]
    assert lang["references"]["wcag"] == ["3.1.1"]
    assert lang["references"]["bitv"] == ["9.3.1.1"]
    assert lang["title_de"] == "Hauptsprache der Seite nicht (gültig) angegeben"
    assert checks["privacy.third-party-request"]["tally"] == {
        "evaluated": 3,
        "with_findings": 2,
        "findings": 4,
        "errors": 1,
    }
    host_finding = next(finding for finding in document["findings"] if finding["scope"] == "host")
    assert host_finding["host"] == "www.beispielhausen.de"
    assert host_finding["page_url"] is None
    assert host_finding["evidence"]["hops"][0]["status"] == 200


def test_findings_are_ordered_by_family_check_page_and_fingerprint(engine):
    populated = populate_scan(engine)

    findings = export_json(engine, populated.scan_id)["findings"]

    keys = [(f["family"], f["check_id"], f["page_url"] or "", f["fingerprint"]) for f in findings]
    assert keys == sorted(keys)
    assert [f["family"] for f in findings].count("privacy") == populated.findings_by_family["privacy"]


def test_issues_roll_up_every_finding_once(engine):
    populated = populate_scan(engine)

    document = export_json(engine, populated.scan_id)
    fingerprints = [fp for issue in document["issues"] for fp in issue["fingerprints"]]
    assert sorted(fingerprints) == sorted(f["fingerprint"] for f in document["findings"])
    lang = next(issue for issue in document["issues"] if issue["checks"] == ["accessibility.document-lang"])
    assert (lang["kind"], lang["pages"], len(lang["fingerprints"])) == ("template", 3, 3)


def test_json_export_is_stable_between_two_runs(engine):
    populated = populate_scan(engine)

    first, second = io.StringIO(), io.StringIO()
    export_findings(engine, populated.scan_id, "json", first)
    export_findings(engine, populated.scan_id, "json", second)

    assert first.getvalue() == second.getvalue()
    assert list(json.loads(first.getvalue())) == [
        "schema",
        "schema_version",
        "generator",
        "scan",
        "checks",
        "pages",
        "hosts",
        "findings",
        "comparison",
        "issues",  # since 1.2
    ]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ((), "findings"),
        (("scan",), "status"),
        (("scan",), "started_at"),
        (("checks", 0), "tally"),
        (("checks", 0, "tally"), "errors"),
        (("pages", 0), "status"),
        (("hosts", 0), "ok"),
        (("findings", 0), "fingerprint"),
        (("findings", 0), "evidence"),
    ],
)
def test_schema_rejects_a_document_without_a_required_field(engine, schema, path, field):
    document = export_document(engine, populate_scan(engine).scan_id)
    broken = copy.deepcopy(document)
    container = broken
    for step in path:
        container = container[step]
    del container[field]

    with pytest.raises(jsonschema.ValidationError):
        validate(broken, schema)


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        (("findings", 0), "result", "passed"),
        (("findings", 0), "severity", "high"),
        (("findings", 0), "family", "seo"),
        (("scan",), "status", "ok"),
        (("scan",), "started_at", "2025-03-03 08:00"),
    ],
)
def test_schema_rejects_values_outside_the_vocabulary(engine, schema, path, field, value):
    document = export_document(engine, populate_scan(engine).scan_id)
    container = document
    for step in path:
        container = container[step]
    container[field] = value

    with pytest.raises(jsonschema.ValidationError):
        validate(document, schema)


def test_schema_accepts_fields_added_by_later_minor_versions(engine, schema):
    document = export_document(engine, populate_scan(engine).scan_id)
    document["schema_version"] = "1.3"
    document["decisions"] = []
    document["scan"]["resumed_count"] = 2
    document["findings"][0]["template_group"] = "abc"

    validate(document, schema)


def test_failed_and_running_scans_export_valid_documents(engine, schema):
    failed_id = populate_failed_scan(engine)
    running = populate_scan(engine, status="running", target_name="Stadt Läuft")

    failed = export_json(engine, failed_id)
    in_progress = export_json(engine, running.scan_id)

    validate(failed, schema)
    validate(in_progress, schema)
    assert failed["scan"]["status"] == "failed"
    assert failed["scan"]["failure_class"] == "dns_error"
    assert failed["findings"] == []
    assert in_progress["scan"]["finished_at"] is None
    assert in_progress["scan"]["summary"]["not_visited"] == NOT_VISITED  # counted now: no stored summary yet


def test_check_no_longer_registered_still_appears_with_its_findings(engine, schema):
    populated = populate_scan(engine)
    with session(engine) as db:
        db.add(
            Finding(
                scan_id=populated.scan_id,
                check_id="accessibility.retired-rule",
                family="accessibility",
                scope="page",
                result="fail",
                severity="minor",
                fingerprint="retired-1",
                page_url="https://www.beispielhausen.de/",
                message_de="alt",
                message_en="old",
                evidence={},
            )
        )
        db.commit()

    document = export_json(engine, populated.scan_id)

    validate(document, schema)
    retired = next(check for check in document["checks"] if check["id"] == "accessibility.retired-rule")
    assert retired["title_en"] == "accessibility.retired-rule"
    assert (retired["scope"], retired["severity"]) == ("page", "minor")
    assert retired["tally"]["evaluated"] == 0


def test_csv_header_and_one_row_per_finding(engine):
    populated = populate_scan(engine)

    text, rows = export_csv_rows(engine, populated.scan_id)

    assert text.splitlines()[0] == (
        "fingerprint,check_id,family,scope,result,severity,page_url,host,scenario,frame_url,selector,"
        "subject,snippet,message_de,message_en,evidence_json,change,group,review_decision,review_state,suppressed"
    )
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == populated.findings
    assert text.endswith("\r\n")


def test_csv_round_trip_keeps_commas_quotes_and_newlines(engine):
    populated = populate_scan(engine)

    _, rows = export_csv_rows(engine, populated.scan_id)

    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    hostile = next(record for record in records if record["page_url"] == INJECTION_URL)
    assert hostile["message_de"] == INJECTION_MESSAGE_DE
    assert hostile["message_en"] == INJECTION_MESSAGE_EN
    assert json.loads(hostile["evidence_json"]) == {
        "lang": '<img src=x onerror="alert(6)">',
        "problem": "not a language tag",
    }
    host_row = next(record for record in records if record["scope"] == "host")
    assert host_row["page_url"] == ""  # None becomes an empty cell
    assert json.loads(host_row["evidence_json"])["problem"] == "no-redirect"


def test_csv_defuses_cells_that_a_spreadsheet_would_run_as_formula(engine):
    populated = populate_scan(engine)

    _, rows = export_csv_rows(engine, populated.scan_id)

    snippets = [dict(zip(CSV_COLUMNS, row, strict=True))["snippet"] for row in rows[1:]]
    assert "'" + FORMULA_SNIPPET in snippets
    assert FORMULA_SNIPPET not in snippets
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("harmless = text", "harmless = text"),
        ("", ""),
    ],
)
def test_defuse_formula(cell, expected):
    assert defuse_formula(cell) == expected


def test_unknown_format_is_refused(engine):
    populated = populate_scan(engine)

    with pytest.raises(ValueError, match="unknown export format"):
        export_findings(engine, populated.scan_id, "xlsx", io.StringIO())  # type: ignore[arg-type]
