"""Every mandatory-part heuristic of the accessibility statement over a corpus of real wordings
(tests/data/statement_corpus.toml): EU model statement (de/en), the federal model, portal variants."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from checks.accessibility.statement_text import PARTS, StatementLink, analyse_statement

CORPUS = tomllib.loads((Path(__file__).parent / "data" / "statement_corpus.toml").read_text(encoding="utf-8"))
CASES = CORPUS["case"]


def test_the_corpus_is_large_and_names_real_parts() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert set(case.get("found", [])) | set(case.get("not_found", [])) <= set(PARTS), case["source"]


@pytest.mark.parametrize("case", CASES, ids=[case["source"] for case in CASES])
def test_statement_heuristics(case: dict) -> None:
    links = [StatementLink(href, text) for href, text in case.get("links", [])]
    analysis = analyse_statement(case["text"], links)
    if "status" in case:
        assert (analysis.status or "unknown") == case["status"]
    for part in case.get("found", []):
        assert analysis.found[part], part
    for part in case.get("not_found", []):
        assert not analysis.found[part], part
    if "date" in case:
        assert analysis.statement_date == case["date"]
