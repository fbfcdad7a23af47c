"""Accessibility keys of targets.toml: WCAG target, axe source, sampling, PDF limit, legal obligations.

Like the crawl keys, each may be set in ``[settings]`` (default for every target) or per target.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scanner.capture.axe.source import DEFAULT_WCAG_VERSION, WCAG_VERSIONS, axe_version_of
from scanner.config import values as v

# What BITV 2.0 asks of a site beyond WCAG: §7 statement and feedback, §4 Leichte Sprache and
# Deutsche Gebärdensprache on the homepage.
OBLIGATIONS = ("statement", "feedback", "easy-language", "sign-language")
OBLIGATION_LEVELS = ("required", "advisory", "off")


class AccessibilitySettings(BaseModel):
    """Accessibility settings of one target, fully resolved (target > [settings] > default)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wcag_version: Literal["2.1", "2.2"] = DEFAULT_WCAG_VERSION
    axe_script: Path | None = None  # a newer axe.min.js; default: the one axe-playwright-python bundles
    axe_frame_timeout: float = Field(default=15.0, gt=0)
    interaction_pages: int = Field(default=10, ge=0)  # pages per scan with keyboard walk and reflow
    pdf_max_bytes: int = Field(default=20 * 1024 * 1024, ge=0)  # 0: PDFs are not downloaded
    # obligation -> required | advisory | off; missing ones follow the authority level's policy
    obligations: dict[str, str] = Field(default_factory=dict)


def wcag_version(value: Any) -> str:
    choices = ", ".join(f'"{version}"' for version in WCAG_VERSIONS)
    if isinstance(value, str) and value.strip() in WCAG_VERSIONS:
        return value.strip()
    raise v.Invalid(f"expected one of {choices}, got {v.describe(value)}")


def axe_script(base: Path) -> Callable[[Any], Path]:
    existing = v.existing_file(base)

    def parse(value: Any) -> Path:
        path = existing(value)
        with path.open("rb") as file:
            head = file.read(2000).decode("utf-8", "replace")
        if axe_version_of(head) is None:
            raise v.Invalid(f'"{value}" is not an axe-core script (no "/*! axe vX.Y.Z" banner at its start)')
        return path

    return parse


def obligations(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise v.Invalid(f'expected a table like {{ sign-language = "off" }}, got {v.describe(value)}')
    problems: list[str] = []
    for key, level in value.items():
        if key not in OBLIGATIONS:
            known = ", ".join(OBLIGATIONS)
            problems.append(f"unknown obligation '{key}'{v.suggestion(key, OBLIGATIONS)} (known: {known})")
        elif level not in OBLIGATION_LEVELS:
            levels = ", ".join(f'"{item}"' for item in OBLIGATION_LEVELS)
            problems.append(f"{key}: expected one of {levels}, got {v.describe(level)}")
    if problems:
        raise v.Invalid("; ".join(problems))
    return dict(value)


def accessibility_fields(base: Path) -> dict[str, Callable[[Any], Any]]:
    return {
        "wcag_version": wcag_version,
        "axe_script": axe_script(base),
        "axe_frame_timeout": v.positive_seconds_up_to(600.0),  # as page_timeout: beyond, a typo
        "interaction_pages": v.non_negative_int,
        "pdf_max_bytes": v.non_negative_int,
        "accessibility_obligations": obligations,
    }


ACCESSIBILITY_KEYS = tuple(accessibility_fields(Path()))


def accessibility_settings(values: dict[str, Any]) -> AccessibilitySettings:
    """The model from parsed key values (the TOML key ``accessibility_obligations`` is ``obligations``)."""
    chosen = {key: value for key, value in values.items() if key in ACCESSIBILITY_KEYS}
    if "accessibility_obligations" in chosen:
        chosen["obligations"] = chosen.pop("accessibility_obligations")
    return AccessibilitySettings(**chosen)
