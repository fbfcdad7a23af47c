"""The consent part of a target in targets.toml: how many pages to visit per scenario, and recipes.

    [target.consent]
    sample_pages = 2                              # pages besides the start URLs, per scenario
    reject_clicks = ["#cookie-hinweis .ablehnen"] # CSS selectors clicked in order for "rejected"
    accept_clicks = ["#cookie-hinweis .alle"]
    reject_cookies = ["cookie_consent=necessary"] # or: consent cookies preset before the visit
    accept_cookies = ["cookie_consent=all"]

A recipe is what a person decided for this site, so it is used instead of the automatic ways
(autoconsent rules, German button texts) when it is given for a scenario.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from scanner.config import values as v

_COOKIE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+=[^;\s]*$")


class ConsentSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True  # visit the "rejected" and "accepted" scenarios at all
    sample_pages: int = Field(default=2, ge=0)
    reject_clicks: tuple[str, ...] = ()
    accept_clicks: tuple[str, ...] = ()
    reject_cookies: tuple[str, ...] = ()
    accept_cookies: tuple[str, ...] = ()

    def clicks(self, scenario: str) -> tuple[str, ...]:
        return self.reject_clicks if scenario == "rejected" else self.accept_clicks

    def cookies(self, scenario: str) -> tuple[str, ...]:
        return self.reject_cookies if scenario == "rejected" else self.accept_cookies


def _cookie(value: Any) -> str:
    text = v.non_empty_string(value)
    if not _COOKIE.match(text):
        raise v.Invalid(f"expected a cookie as name=value (no attributes), got {v.describe(value)}")
    return text


_FIELDS = {
    "enabled": v.boolean,
    "sample_pages": v.non_negative_int,
    "reject_clicks": v.list_of(v.non_empty_string),
    "accept_clicks": v.list_of(v.non_empty_string),
    "reject_cookies": v.list_of(_cookie),
    "accept_cookies": v.list_of(_cookie),
}


def consent_settings(value: Any) -> ConsentSettings:
    """The [target.consent] table; problems name the key inside it."""
    if not isinstance(value, dict):
        raise v.Invalid(f"expected a table [target.consent], got {v.describe(value)}")
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for key, raw in value.items():
        if key not in _FIELDS:
            problems.append(f"unknown key '{key}'{v.suggestion(key, tuple(_FIELDS))}")
            continue
        try:
            parsed[key] = _FIELDS[key](raw)
        except v.Invalid as error:
            problems += [
                f"{key}{'' if index is None else f'[{index + 1}]'}: {message}"
                for index, message in error.problems
            ]
    if problems:
        raise v.Invalid("; ".join(problems))
    return ConsentSettings(**parsed)
