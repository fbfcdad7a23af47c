"""targets.toml loading: resolved values, snapshots, and precise error messages with line numbers."""

from __future__ import annotations

import json
import os
from pathlib import Path
from textwrap import dedent

import pytest

from scanner.config.targets import (
    DEFAULT_DROP_QUERY_PARAMS,
    ConfigError,
    ConfigProblem,
    CrawlSettings,
    TargetConfig,
    load_targets,
    parse_targets,
)
from scanner.demo.run import DEMO_TARGET_NAME

REPO = Path(__file__).resolve().parent.parent

GOOD = """\
[settings]
request_delay = 2.5
concurrency = 3
drop_query_params = ["utm_*", "sessionid"]

[[target]]
name = "Landkreis Oberhavel"
start_urls = ["https://www.oberhavel.de/"]
first_party_hosts = ["Oberhavel.DE.", "*.kreis-oh.de", "bücher.de"]
include = []
exclude = ["/suche\\\\?", "\\\\.ics$"]
max_pages = 200
max_depth = 0
time_budget = "1h30m"
authority_level = "kreis"
tags = ["brandenburg"]
schedule = "0 3 * * 1"
request_delay = 0
connect_to = ["www.oberhavel.de:443:127.0.0.1:8443", "oberhavel.de:80:[::1]:8080"]
ca_bundle = "certs/ca.pem"

[[target]]
name = "Potsdam"
start_urls = ["https://www.potsdam.de/", "http://service.potsdam.de/start"]
authority_level = "gemeinde"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as info:
        load_targets(write(tmp_path, text))
    return info.value.problems


def only_problem(tmp_path: Path, text: str) -> ConfigProblem:
    found = problems(tmp_path, text)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


@pytest.fixture
def good(tmp_path: Path):
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    return load_targets(write(tmp_path, GOOD))


# --- a good file ----------------------------------------------------------------------------------


def test_values_are_parsed_and_normalised(good, tmp_path):
    oh = good.get("Landkreis Oberhavel")
    assert oh.start_urls == ("https://www.oberhavel.de/",)
    assert oh.first_party_hosts == ("oberhavel.de", "kreis-oh.de", "xn--bcher-kva.de")
    assert oh.exclude == ("/suche\\?", "\\.ics$")
    assert (oh.max_pages, oh.max_depth, oh.time_budget) == (200, 0, 5400.0)
    assert oh.authority_level == "kreis" and oh.tags == ("brandenburg",)
    assert oh.schedule == "0 3 * * 1"
    assert oh.crawl.connect_to == ("www.oberhavel.de:443:127.0.0.1:8443", "oberhavel.de:80:[::1]:8080")
    assert oh.crawl.ca_bundle == (tmp_path / "certs" / "ca.pem").resolve()
    assert oh.crawl.ca_bundle.is_absolute()
    assert good.path == tmp_path / "targets.toml"


def test_settings_precedence_and_defaults(good):
    oh, potsdam = good.get("Landkreis Oberhavel"), good.get("Potsdam")
    assert oh.crawl.request_delay == 0.0  # target beats [settings]
    assert potsdam.crawl.request_delay == 2.5  # [settings] beats the default
    assert oh.crawl.concurrency == potsdam.crawl.concurrency == 3
    assert potsdam.crawl.drop_query_params == ("utm_*", "sessionid")
    assert potsdam.crawl.per_host_concurrency == 2  # built-in defaults from here on
    assert potsdam.crawl.page_timeout == 30.0
    assert (potsdam.crawl.settle_quiet, potsdam.crawl.settle_cap) == (0.5, 5.0)
    assert potsdam.crawl.respect_robots is True and potsdam.crawl.use_sitemaps is True
    assert potsdam.crawl.connect_to == () and potsdam.crawl.ca_bundle is None
    assert (potsdam.max_pages, potsdam.max_depth, potsdam.time_budget) == (100, 5, 1800.0)
    assert potsdam.include == potsdam.exclude == potsdam.tags == () and potsdam.schedule is None
    # first_party_hosts defaults to the hosts of the start URLs
    assert potsdam.first_party_hosts == ("www.potsdam.de", "service.potsdam.de")


def test_builtin_crawl_defaults():
    crawl = CrawlSettings()
    assert crawl.concurrency == min(4, os.cpu_count() or 1)
    assert crawl.request_delay == 1.0 and crawl.drop_query_params == DEFAULT_DROP_QUERY_PARAMS
    assert crawl.drops_query_param("UTM_Source") and crawl.drops_query_param("fbclid")
    assert not crawl.drops_query_param("page")


def test_snapshot_round_trip(good):
    for target in good.targets:
        snapshot = json.loads(json.dumps(target.to_json_dict()))
        rebuilt = TargetConfig.from_json_dict(snapshot)
        assert rebuilt == target
        assert rebuilt.config_hash() == target.config_hash()
    assert isinstance(good.get("Landkreis Oberhavel").to_json_dict()["crawl"]["ca_bundle"], str)


def test_config_hash_is_stable_and_sensitive(tmp_path, good):
    target = good.get("Potsdam")
    assert len(target.config_hash()) == 64
    reordered = """\
        [[target]]
        authority_level = "gemeinde"
        start_urls = ["https://www.potsdam.de/", "http://service.potsdam.de/start"]
        concurrency = 3
        name = "Potsdam"
        drop_query_params = ["utm_*", "sessionid"]
        request_delay = 2.5
    """
    same = parse_targets(dedent(reordered), tmp_path / "other.toml").get("Potsdam")
    assert same.config_hash() == target.config_hash()
    changed = parse_targets(dedent(reordered).replace("2.5", "2.0"), tmp_path / "x.toml").get("Potsdam")
    assert changed.config_hash() != target.config_hash()
    assert target.model_copy(update={"max_pages": 101}).config_hash() != target.config_hash()


def test_get_and_select(good):
    assert [t.name for t in good.select([])] == ["Landkreis Oberhavel", "Potsdam"]
    assert [t.name for t in good.select(["Potsdam", "Potsdam"])] == ["Potsdam"]
    with pytest.raises(KeyError, match="Landkreis Oberhavel"):
        good.get("Berlin")
    with pytest.raises(ConfigError) as info:
        good.select(["Potsdam", "Postdam"])
    assert str(info.value).endswith(
        ": unknown target \"Postdam\"; did you mean 'Potsdam'? "
        '(known targets: "Landkreis Oberhavel", "Potsdam")'
    )


@pytest.mark.parametrize(
    ("written", "seconds"),
    [('"90s"', 90.0), ('"30m"', 1800.0), ('"2h"', 7200.0), ('"1h30m"', 5400.0), ("600", 600.0), ("2.5", 2.5)],
)
def test_time_budget_forms(tmp_path, written, seconds):
    text = f"{TARGET}time_budget = {written}\n"
    assert parse_targets(text, tmp_path / "t.toml").get("a").time_budget == seconds


# --- shipped files --------------------------------------------------------------------------------


def test_shipped_files_load_and_demo_targets_are_equal():
    project = load_targets(REPO / "targets.toml")
    demo_only = load_targets(REPO / "scanner" / "demo" / "targets.toml")
    assert demo_only.names == [DEMO_TARGET_NAME]
    assert project.get(DEMO_TARGET_NAME) == demo_only.get(DEMO_TARGET_NAME)
    assert project.get(DEMO_TARGET_NAME).config_hash() == demo_only.get(DEMO_TARGET_NAME).config_hash()
    levels = {target.authority_level for target in project.targets}
    assert levels == {"bund", "land", "kreis", "gemeinde"}
    for target in project.targets:
        if target.name != DEMO_TARGET_NAME:
            assert target.crawl.request_delay >= 1.0 and target.schedule


# --- errors ---------------------------------------------------------------------------------------

TARGET = '[[target]]\nname = "a"\nstart_urls = ["https://a.de/"]\nauthority_level = "bund"\n'  # lines 1-4


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_targets(tmp_path / "nope.toml")
    assert [str(p) for p in info.value.problems] == [f"{tmp_path / 'nope.toml'}: file not found"]


def test_toml_syntax_error(tmp_path):
    problem = only_problem(tmp_path, TARGET + 'max_pages = 10\nexclude = ["a"\ntags = []\n')
    assert problem.line == 7
    assert problem.field == ""
    assert problem.message.startswith("TOML syntax error: ")


def test_unknown_key_with_suggestion(tmp_path):
    problem = only_problem(tmp_path, TARGET + "max_page = 10\n")
    assert (problem.line, problem.field) == (5, "target[1].max_page")
    assert str(problem) == (
        f'{tmp_path / "targets.toml"}:5: target[1] "a" max_page: '
        "unknown key 'max_page'; did you mean 'max_pages'?"
    )


def test_unknown_top_level_and_settings_keys(tmp_path):
    found = problems(tmp_path, "titel = 1\n[settings]\nrequest_dealy = 1\nmax_pages = 3\n\n" + TARGET)
    assert [(p.line, p.field) for p in found] == [
        (1, "titel"),
        (3, "settings.request_dealy"),
        (4, "settings.max_pages"),
    ]
    assert found[1].message == "unknown key 'request_dealy'; did you mean 'request_delay'?"
    assert found[2].message == "'max_pages' is a per-target key and cannot be set in [settings]"


def test_negative_max_pages(tmp_path):
    problem = only_problem(tmp_path, "# comment\n\n" + TARGET + "max_pages = -5\n")
    assert (problem.line, problem.field) == (7, "target[1].max_pages")
    assert problem.message == "expected a positive integer, got -5"
    assert str(problem).endswith(':7: target[1] "a" max_pages: expected a positive integer, got -5')


def test_wrong_types(tmp_path):
    text = TARGET + 'tags = "x"\nrespect_robots = "yes"\nmax_depth = 1.5\nrequest_delay = -1\n'
    found = problems(tmp_path, text)
    assert [(p.line, p.field, p.message) for p in found] == [
        (5, "target[1].tags", 'expected a list of strings, got a string ("x")'),
        (6, "target[1].respect_robots", 'expected true or false, got a string ("yes")'),
        (7, "target[1].max_depth", "expected a non-negative integer, got 1.5"),
        (8, "target[1].request_delay", "expected a non-negative number of seconds, got -1"),
    ]


def test_bad_authority_level(tmp_path):
    problem = only_problem(tmp_path, TARGET.replace('"bund"', '"Landkreis"'))
    assert (problem.line, problem.field) == (4, "target[1].authority_level")
    assert problem.message == (
        'expected one of "bund", "land", "kreis", "gemeinde", got "Landkreis"; did you mean \'kreis\'?'
    )


def test_start_url_outside_first_party_hosts(tmp_path):
    text = """\
        [[target]]
        name = "Oberhavel"
        start_urls = [
            "https://www.oberhavel.de/",
            "https://www.potsdam.de/",
        ]
        first_party_hosts = ["oberhavel.de"]
        authority_level = "kreis"
    """
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (5, "target[1].start_urls[2]")
    assert problem.message.startswith(
        'host "www.potsdam.de" is not covered by first_party_hosts ("oberhavel.de")'
    )


def test_bad_start_url_and_hostname(tmp_path):
    text = TARGET.replace('"https://a.de/"', '"https://a.de/", "ftp://a.de/", "/relative"')
    text += 'first_party_hosts = ["https://a.de/", "a..de"]\n'
    found = problems(tmp_path, text)
    assert [(p.line, p.field) for p in found] == [
        (3, "target[1].start_urls[2]"),
        (3, "target[1].start_urls[3]"),
        (5, "target[1].first_party_hosts[1]"),
        (5, "target[1].first_party_hosts[2]"),
    ]
    assert found[1].message == 'expected an absolute http:// or https:// URL with a host, got "/relative"'


def test_invalid_regex_in_exclude_points_at_the_element(tmp_path):
    text = TARGET + dedent("""\
        exclude = [
            "/su[ch]e\\\\?", # a comment with a [bracket, and "quotes"
            "(unclosed",
        ]
    """)
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (7, "target[1].exclude[2]")
    assert problem.message.startswith('invalid regular expression "(unclosed": missing )')


def test_bad_cron_schedule(tmp_path):
    second = TARGET.replace('"a"', '"b"')
    found = problems(tmp_path, f'{TARGET}schedule = "61 3 * * 1"\n{second}schedule = "daily"\n')
    assert [(p.line, p.field) for p in found] == [(5, "target[1].schedule"), (10, "target[2].schedule")]
    assert found[0].message.startswith('invalid cron expression "61 3 * * 1"')
    assert found[1].message.startswith("expected a cron expression with 5 fields")


def test_malformed_connect_to(tmp_path):
    text = TARGET + dedent("""\
        connect_to = [
          "a.de:443:127.0.0.1:8443",
          "a.de:443:127.0.0.1",
          "a.de:0:[::1]:443",
        ]
    """)
    found = problems(tmp_path, text)
    assert [(p.line, p.field) for p in found] == [
        (7, "target[1].connect_to[2]"),
        (8, "target[1].connect_to[3]"),
    ]
    assert found[0].message.startswith("expected HOST:PORT:ADDRESS:PORT")
    assert found[1].message == 'port 0 out of range 1-65535 in "a.de:0:[::1]:443"'


def test_missing_ca_bundle(tmp_path):
    found = problems(tmp_path, '[settings]\nca_bundle = "ca.pem"\n\n' + TARGET)
    assert [(p.line, p.field) for p in found] == [(2, "settings.ca_bundle")]
    assert found[0].message == f'file not found: "ca.pem" (looked for {(tmp_path / "ca.pem").resolve()})'


def test_duplicate_names(tmp_path):
    problem = only_problem(tmp_path, TARGET + "\n" + TARGET)
    assert (problem.line, problem.field) == (7, "target[2].name")
    assert problem.message == 'duplicate name "a" (already used by target[1] at line 2)'


def test_missing_start_urls_points_at_the_header(tmp_path):
    text = TARGET + '\n[[target]]\nname = "b"\nauthority_level = "land"\n'
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (6, "target[2].start_urls")
    assert problem.message == "missing required key"


def test_no_targets(tmp_path):
    problem = only_problem(tmp_path, "[settings]\nconcurrency = 2\n")
    assert problem.line is None
    assert str(problem) == f"{tmp_path / 'targets.toml'}: no targets; add at least one [[target]] table"


def test_target_as_single_table(tmp_path):
    problem = only_problem(tmp_path, TARGET.replace("[[target]]", "[target]"))
    assert problem.field == "target" and "[[target]]" in problem.message


def test_all_problems_are_reported_in_file_order(tmp_path):
    text = """\
        [settings]
        request_delay = -1

        [[target]]
        name = "Landkreis X"
        start_urls = ["https://x.de/"]
        authority_level = "kreis"
        max_pages = -5
        maxdepth = 3

        [[target]]
        name = ""
        start_urls = []
        authority_level = "kreis"
        exclude = ["["]
    """
    with pytest.raises(ConfigError) as info:
        load_targets(write(tmp_path, text))
    error = info.value
    assert [(p.line, p.field) for p in error.problems] == [
        (2, "settings.request_delay"),
        (8, "target[1].max_pages"),
        (9, "target[1].maxdepth"),
        (12, "target[2].name"),
        (13, "target[2].start_urls"),
        (15, "target[2].exclude[1]"),
    ]
    lines = str(error).splitlines()
    assert len(lines) == 6
    assert lines[1] == (
        f'{tmp_path / "targets.toml"}:8: target[1] "Landkreis X" max_pages: '
        "expected a positive integer, got -5"
    )
    assert lines[3].endswith(":12: target[2].name: must not be empty")
