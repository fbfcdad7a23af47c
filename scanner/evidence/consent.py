"""The consent collector's record: how the cookie banner was answered before a scenario's visit.

Only ``answered`` and ``preset`` are a known consent state; checks treat the rest as unknown and
never as "rejected". The record's keys depend on the path the collector took (a recipe that presets
cookies writes no button list), so the type remembers which keys it was built with and writes
exactly those: stored pages keep the JSON they had before types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from scanner.evidence.typed import VERSION_KEY, TypedEvidence, _plain

COLLECTOR = "consent"
KNOWN_STATES = frozenset({"answered", "preset"})


@dataclass(frozen=True)
class ConsentEvidence(TypedEvidence):
    KIND: ClassVar[str] = COLLECTOR

    scenario: str | None = None
    autoconsent: str | None = None
    clicked: tuple[str, ...] = ()
    method: str | None = None  # recipe-cookies | recipe-clicks | autoconsent | german-text | ...
    state: str | None = None  # answered | preset | hidden | failed | no-banner
    preset_cookies: tuple[str, ...] = ()
    cmp: str | None = None
    banner_found: bool | None = None
    reject_on_first_layer: bool | None = None
    buttons: tuple[str, ...] = ()
    banner_screenshot: str | None = None  # base64 JPEG of the banner before it was answered
    consent_storage: tuple[str, ...] = ()
    self_test: bool | None = None
    known_state: bool = False
    banner_shown_again: bool = False
    written: tuple[str, ...] = field(default=(), compare=False, repr=False)  # keys of the record

    @property
    def is_known(self) -> bool:
        """A known reject/accept (never a guess): answered or preset, and the banner stayed away."""
        return self.known_state and not self.banner_shown_again

    def get(self, key: str, default: Any = None) -> Any:
        """A key of the record as the collector wrote it (``default`` when that path wrote none)."""
        return getattr(self, key) if key in self.written else default

    def to_json(self) -> dict[str, Any]:
        plain = _plain(self)
        return {VERSION_KEY: self.VERSION, **{key: plain[key] for key in self.written}}

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Self:
        names = set(cls.__dataclass_fields__) - {"written"}
        values = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in fields.items()
            if key in names
        }
        return cls(**values, written=tuple(key for key in fields if key in names))


def consent_of(extras: Mapping[str, Any]) -> ConsentEvidence | None:
    """The consent record in a page's stored extras; None when the step did not run or failed."""
    raw = extras.get(COLLECTOR)
    if not isinstance(raw, dict) or isinstance(raw.get("error"), str):
        return None
    return ConsentEvidence.from_json(raw)


def is_known_consent(extras: Mapping[str, Any]) -> bool:
    """Whether a scenario capture's consent record shows a known reject/accept (never a guess)."""
    record = consent_of(extras)
    return record is not None and record.is_known
