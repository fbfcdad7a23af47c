"""Accessibility keys of targets.toml: defaults, [settings] precedence and precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.capture.axe.source import load_axe_source
from scanner.config.targets import ConfigError, ConfigProblem, load_targets

TARGET = '[[target]]\nname = "a"\nstart_urls = ["https://a.de/"]\nauthority_level = "bund"\n'  # lines 1-4


def problems(tmp_path: Path, text: str) -> list[ConfigProblem]:
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_targets(path)
    return info.value.problems


def test_defaults_settings_and_target_values(tmp_path: Path) -> None:
    axe = tmp_path / "axe.min.js"
    axe.write_text(load_axe_source().text[:3000], encoding="utf-8")  # the banner is what is checked
    path = tmp_path / "targets.toml"
    path.write_text(
        '[settings]\nwcag_version = "2.2"\ninteraction_pages = 3\n\n'
        + TARGET
        + 'axe_script = "axe.min.js"\npdf_max_bytes = 0\n'
        + 'accessibility_obligations = { sign-language = "off" }\n\n'
        + TARGET.replace('"a"', '"b"'),
        encoding="utf-8",
    )
    first, second = load_targets(path).targets
    assert first.accessibility.wcag_version == "2.2" and first.accessibility.interaction_pages == 3
    assert first.accessibility.axe_script == axe.resolve() and first.accessibility.pdf_max_bytes == 0
    assert first.accessibility.obligations == {"sign-language": "off"}
    assert second.accessibility.axe_script is None and second.accessibility.pdf_max_bytes == 20 * 1024 * 1024
    assert second.accessibility.axe_frame_timeout == 15.0 and second.accessibility.wcag_version == "2.2"
    assert first.crawl.request_delay == 1.0  # accessibility keys do not leak into the crawl settings


def test_bad_accessibility_values_name_their_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "not-axe.js").write_text("console.log('hallo');\n", encoding="utf-8")
    found = problems(
        tmp_path,
        TARGET
        + 'wcag_version = "3.0"\n'
        + 'axe_script = "not-axe.js"\n'
        + "interaction_pages = -1\n"
        + 'accessibility_obligations = { sign-langauge = "required", feedback = "maybe" }\n'
        + "axe_frame_timout = 2\n",
    )
    assert [(problem.line, problem.field) for problem in found] == [
        (5, "target[1].wcag_version"),
        (6, "target[1].axe_script"),
        (7, "target[1].interaction_pages"),
        (8, "target[1].accessibility_obligations"),
        (9, "target[1].axe_frame_timout"),
    ]
    messages = [problem.message for problem in found]
    assert messages[0] == 'expected one of "2.1", "2.2", got a string ("3.0")'
    assert "is not an axe-core script" in messages[1]
    assert messages[2] == "expected a non-negative integer, got -1"
    assert "unknown obligation 'sign-langauge'; did you mean 'sign-language'?" in messages[3]
    assert 'feedback: expected one of "required", "advisory", "off", got a string ("maybe")' in messages[3]
    assert messages[4] == "unknown key 'axe_frame_timout'; did you mean 'axe_frame_timeout'?"


def test_a_missing_axe_script_is_an_error(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, '[settings]\naxe_script = "fehlt/axe.min.js"\n\n' + TARGET)
    assert (problem.line, problem.field) == (2, "settings.axe_script")
    assert problem.message.startswith('file not found: "fehlt/axe.min.js"')
