"""Bad input is a sentence, not a traceback: one line naming the value and what was expected,
exit 2 (3 for something missing on the machine), and nothing written.

``test_every_option_of_every_command_refuses_a_bad_value`` walks the Typer app itself, so a new
option is covered the day it is added: it needs a bad value below (or a type that has one).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from sqlmodel import select
from typer.testing import CliRunner

from scanner.cli import app
from scanner.config.targets import ConfigError, parse_targets
from scanner.store.db import session
from scanner.store.models import Finding, Scan

from populate import fresh_database, populate_scan

runner = CliRunner()

TARGETS = """
[[target]]
name = "Stadt Beispiel"
start_urls = ["https://www.stadt-beispiel.de/"]
authority_level = "gemeinde"
schedule = "0 3 * * 1"
"""
PG_DOWN = "postgresql://govscan@127.0.0.1:1/nichts"  # nothing listens on port 1
MISSING = "fehlt/nirgends/datei"  # in a folder that does not exist

# Options that take no value that could be wrong (flags that only choose the output).
CANNOT_BE_WRONG = {
    ("", "version"),
    ("checks", "json_output"),
    ("diff", "json_output"),
    ("reviews", "json_output"),
    ("enqueue", "json_output"),
    ("status", "json_output"),
    ("scan", "quiet"),
    ("scan", "json_output"),
    ("demo", "serve"),  # serves until Ctrl-C
    ("demo", "quiet"),
    ("demo", "json_output"),
    ("schedule", "once"),
    ("schedule", "print_cron"),
    ("schedule", "print_systemd"),
}

# A valid invocation of each command in the prepared folder; one bad value is added to it.
BASE: dict[str, list[str]] = {
    "export": ["--format", "json"],
    "diff": ["1", "2"],
    "review": ["{fingerprint}", "--decision", "confirmed", "--reason", "weil", "--by", "Prüferin"],
    "schedule": ["--once"],
    "worker": ["--db", PG_DOWN],
    "enqueue": ["--db", PG_DOWN, "--targets", "targets.toml"],
}

# Bad values by option name, where the type alone does not give one.
BAD_BY_NAME: dict[str, list[str]] = {
    "db": ["::::"],
    "lang": ["xx"],
    "kind": ["alles"],
    "format": ["xlsx"],
    "target": ["Nirgendwo"],
    "timezone_name": ["Mars/Olympus_Mons"],
    "connect_to": ["nur-ein-host"],
    "dns_server": ["127.0.0.1:99999"],
    "fail_on": ["new:sehr-schlimm"],
    "decision": ["vielleicht"],
    "reason": [" "],
    "by": [""],
    "check_id": ["privacy.gibt-es-nicht"],
    "fingerprint": ["00000000deadbeef"],
    "names": ["kein-datensatz"],
    "resume": ["--resume"],  # nothing to resume
}
# Where the command needs more around the bad value for it to be the one refused.
BAD_BY_COMMAND: dict[tuple[str, str], list[str]] = {
    ("schedule", "out"): ["--print-systemd", "--out", MISSING],
    ("report", "baseline"): ["--kind", "webteam", "--baseline", "99"],
    ("enqueue", "db"): ["--db", "sqlite:///govscan.db"],  # distributed mode needs PostgreSQL
    ("worker", "db"): ["--db", "sqlite:///govscan.db"],
}


ARGUMENT_POSITIONS = {("diff", "scan_a"): 0, ("diff", "scan_b"): 1, ("review", "fingerprint"): 0}


def every_parameter() -> Iterator[tuple[str, object]]:
    """(command path, parameter) of every parameter of every command, the root's included."""
    root = typer.main.get_command(app)
    for parameter in root.params:
        yield "", parameter

    def walk(command, path: list[str]):
        if hasattr(command, "commands"):
            for name, child in command.commands.items():
                yield from walk(child, [*path, name])
            return
        for parameter in command.params:
            yield " ".join(path), parameter

    yield from walk(root, [])


def bad_value(command: str, parameter) -> list[str]:
    """The argv fragment that gives ``parameter`` a value it must refuse."""
    name = parameter.name
    if (command, name) in BAD_BY_COMMAND:
        return BAD_BY_COMMAND[command, name]
    is_option = bool(parameter.opts and parameter.opts[0].startswith("-"))
    if name in BAD_BY_NAME:
        values = BAD_BY_NAME[name]
    elif parameter.type_descriptor.annotation is Path:
        values = [MISSING]
    elif parameter.type_descriptor.annotation in (int, float):
        values = [str(parameter.min - 1) if parameter.min is not None else "99"]  # below min / no such scan
    else:
        raise AssertionError(f"{command} {parameter.opts}: add a bad value to BAD_BY_NAME or BAD_BY_COMMAND")
    if not is_option or values[0].startswith("--"):
        return values
    return [parameter.opts[0], *values]


def invocation(command: str, parameter, fingerprint: str) -> list[str]:
    """The command's valid BASE with ``parameter`` given its bad value instead."""
    base = [part.format(fingerprint=fingerprint) for part in BASE.get(command, [])]
    bad = bad_value(command, parameter)
    position = ARGUMENT_POSITIONS.get((command, parameter.name))
    if position is not None:  # a positional argument of the base: replace it
        base[position] = bad[0]
        return [*command.split(), *base]
    if parameter.opts[0] in base:  # an option the base gives: replace it
        at = base.index(parameter.opts[0])
        base = base[:at] + base[at + 2 :]
    return [*command.split(), *base, *bad]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A working folder with a valid targets.toml and a database of two scans of one target."""
    (tmp_path / "targets.toml").write_text(TARGETS, encoding="utf-8")
    engine = fresh_database(tmp_path / "govscan.db")
    populate_scan(engine)
    populate_scan(engine)
    with session(engine) as db:
        fingerprint = db.exec(select(Finding.fingerprint)).first()
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    return tmp_path, fingerprint


def files_in(folder: Path) -> dict[str, int]:
    """Every file below ``folder`` with its size (SQLite's -wal and -shm files come and go)."""
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.name.endswith(("-wal", "-shm"))
    }


def assert_refused(result, argv: list[str], code: int = 2) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        argv,
        repr(result.exception),
    )
    assert "Traceback" not in result.output, (argv, result.output)
    assert result.exit_code == code, (argv, result.exit_code, result.output)


def test_every_option_of_every_command_refuses_a_bad_value(folder) -> None:
    directory, fingerprint = folder
    before = files_in(directory)
    with session(fresh_database(directory / "govscan.db")) as db:
        scans_before = len(db.exec(select(Scan)).all())
    tried = []
    for command, parameter in every_parameter():
        if (command, parameter.name) in CANNOT_BE_WRONG:
            continue
        argv = invocation(command, parameter, fingerprint)
        result = runner.invoke(app, argv)
        assert_refused(result, argv)
        assert files_in(directory) == before, (argv, "wrote something")
        tried.append(argv)
    assert len(tried) >= 60  # every command's options, not a handful
    with session(fresh_database(directory / "govscan.db")) as db:
        assert len(db.exec(select(Scan)).all()) == scans_before


# --- the database ---------------------------------------------------------------------------------


def test_db_values_that_cannot_work_are_refused_in_a_sentence(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notizen.txt"
    not_sqlite.write_text("kein SQLite\n", encoding="utf-8")
    cases = {
        str(tmp_path / "fehlt" / "govscan.db"): "does not exist",
        str(tmp_path): "is a folder",
        str(not_sqlite): "is not a SQLite database",
        "::::": "expected a SQLite file path, sqlite:///FILE or postgresql://USER@HOST/DB",
        "": "expected a SQLite file path",
    }
    for command in (["scan", "--targets", "targets.toml"], ["status"]):
        for value, message in cases.items():
            (tmp_path / "targets.toml").write_text(TARGETS, encoding="utf-8")
            result = runner.invoke(app, [*command, "--db", value])
            assert_refused(result, [*command, value])
            assert message in result.output, (command, value, result.output)
            assert f"--db {value}" in result.output or f"--db {value!r}" in result.output
    assert not (tmp_path / "fehlt").exists() and not Path("::::").exists()
    assert not_sqlite.read_text(encoding="utf-8") == "kein SQLite\n"


def test_commands_that_only_read_never_create_a_database(tmp_path: Path) -> None:
    database = tmp_path / "neu.db"
    for command in (["report"], ["export"], ["status"], ["reviews"], ["diff", "1", "2"]):
        result = runner.invoke(app, [*command, "--db", str(database)])
        assert_refused(result, command)
        assert "there is no database" in result.output and "govscan scan" in result.output
        assert not database.exists(), command
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # connects (to a port where no PostgreSQL listens)
def test_a_postgresql_server_that_does_not_answer_is_exit_3_and_hides_the_password() -> None:
    url = "postgresql://govscan:geheim@127.0.0.1:1/nichts"
    for command in (["status"], ["report"], ["worker"]):
        result = runner.invoke(app, [*command, "--db", url])
        assert_refused(result, command, code=3)
        assert "127.0.0.1:1" in result.output and "geheim" not in result.output


# --- output paths --------------------------------------------------------------------------------


def test_out_must_be_a_folder_that_can_be_made_and_a_file_in_an_existing_folder(folder) -> None:
    directory, _ = folder
    (directory / "datei").write_text("x", encoding="utf-8")
    before = files_in(directory)
    cases = [
        (["report", "--out", "datei"], "is a file, expected a folder"),
        (["report", "--out", "fehlt/berichte"], "does not exist"),
        (["export", "--out", "fehlt/befunde.csv"], "does not exist"),
        (["export", "--out", "."], "is a folder, expected a file name"),
        (["diff", "1", "2", "--out", "datei"], "is a file"),
    ]
    for argv, message in cases:
        result = runner.invoke(app, argv)
        assert_refused(result, argv)
        assert message in result.output and argv[-1] in result.output, (argv, result.output)
    assert files_in(directory) == before


def test_report_into_a_new_folder_of_an_existing_one_still_works(folder) -> None:
    directory, _ = folder
    result = runner.invoke(app, ["report", "--out", "berichte"])
    assert result.exit_code == 0, result.output
    assert (directory / "berichte").is_dir() and any((directory / "berichte").iterdir())


# --- configuration ---------------------------------------------------------------------------------

ONE_TARGET = """[[target]]
name = "Stadt Beispiel"
start_urls = ["https://www.stadt-beispiel.de/"]
authority_level = "gemeinde"
"""


def problems_of(tmp_path: Path, extra: str) -> list[str]:
    try:
        parse_targets(ONE_TARGET + extra + "\n", tmp_path / "targets.toml")
    except ConfigError as error:
        return [str(problem) for problem in error.problems]
    return []


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ('first_party_hosts = ["de"]', "first_party_hosts[1]", '"de" is a public suffix'),
        ('first_party_hosts = ["stadt-beispiel.de", "co.uk"]', "first_party_hosts[2]", "public suffix"),
        ('first_party_hosts = ["*.de"]', "first_party_hosts[1]", "public suffix"),
        ("page_timeout = 1e308", "page_timeout", "expected at most 600 seconds, got 1e+308"),
        ("page_timeout = nan", "page_timeout", "expected a positive number of seconds, got nan"),
        ("page_timeout = -1", "page_timeout", "expected a positive number of seconds, got -1"),
        ("settle_cap = inf", "settle_cap", "expected a positive number of seconds"),
        ("request_delay = 86400", "request_delay", "expected at most 600 seconds"),
        ('time_budget = "9999h"', "time_budget", "expected at most 604800 seconds (a week)"),
        ("concurrency = 100000", "concurrency", "expected at most 64"),
        ('include = ["(a+)+$"]', "include[1]", "nested quantifier"),
        ('exclude = ["^/ok/", "(\\\\w+\\\\s?)*$"]', "exclude[2]", "nested quantifier"),
        ('exclude = ["((a+)?)*"]', "exclude[1]", "nested quantifier"),
    ],
)
def test_config_values_that_make_no_sense_are_refused_with_file_line_and_field(
    tmp_path: Path, line: str, field: str, expected: str
) -> None:
    [problem] = problems_of(tmp_path, line)
    assert problem.startswith(f"{tmp_path / 'targets.toml'}:5: ")  # the line of the value
    assert field in problem and expected in problem


@pytest.mark.parametrize(
    "line",
    [
        'first_party_hosts = ["stadt-beispiel.de"]',
        "page_timeout = 600",
        'time_budget = "168h"',
        'include = ["^/buergerservice/", "\\\\.pdf$", "(\\\\d+\\\\.){3}\\\\d+"]',
        'exclude = ["(?>a+)+", "(a++)+", "(ab){2}+", "(ab)+"]',
    ],
)
def test_sane_values_at_the_bounds_are_accepted(tmp_path: Path, line: str) -> None:
    assert problems_of(tmp_path, line) == []


def test_deeply_nested_toml_is_a_config_error_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(ONE_TARGET + "tags = " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    database = tmp_path / "govscan.db"
    for argv in (["config", "check", str(path)], ["scan", "--targets", str(path), "--db", str(database)]):
        result = runner.invoke(app, argv)
        assert_refused(result, argv)
        assert "nested too deeply" in result.output and str(path) in result.output
    assert not database.exists()
