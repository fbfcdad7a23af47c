"""The privacy collector's evidence: who wrote what to the visitor's device, in every frame.

Cookies in the jar with their last writer (response header or script), writes the browser did not
keep, storage writes, IndexedDB opens, service-worker registrations, beacons and canvas read-backs
(each with the frame and innermost script that made them), and the device inventory per origin.
URLs are redacted and values never kept in clear (the collector sees to that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from scanner.evidence.typed import VERSION_KEY, TypedEvidence

COLLECTOR = "privacy"


@dataclass(frozen=True)
class _Record:
    """A nested record of the evidence; ``as_dict`` is its JSON, as findings' evidence keeps it.

    ``written`` remembers the keys (and their order) the record was read with, so that ``as_dict``
    gives back exactly the dict that was stored: findings copy these records into their evidence.
    """

    written: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {key: _json(getattr(self, key)) for key in self.written}

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Self:
        names = set(cls.__dataclass_fields__) - {"written"}
        present = tuple(key for key in raw if key in names)
        return cls(**{key: _frozen(raw[key]) for key in present}, written=present)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _json(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.as_dict()
    if isinstance(value, tuple | list):
        return [_json(item) for item in value]
    return value


@dataclass(frozen=True)
class CookieSetter(_Record):
    """A cookie's last write: ``via`` "header" (``url``: the response) or "script" (the innermost script)."""

    via: str = ""
    url: str | None = None
    frame_url: str | None = None
    stack: tuple[tuple[str, int], ...] = ()
    lifetime_seconds: float | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Self:
        if "stack" not in raw:
            return super().parse(raw)
        return super().parse({**raw, "stack": tuple(tuple(item) for item in raw["stack"] or ())})


@dataclass(frozen=True)
class CookieAttribution(_Record):
    """A cookie in the jar with its last writer; ``setter`` None when no write was seen."""

    name: str = ""
    domain: str = ""
    path: str = ""
    partition_key: str | None = None
    setter: CookieSetter | None = None
    # written only by the consent step's load, before the banner was answered: carried over, not
    # written by the visit after the answer (the checks of the "rejected" scenario leave it out)
    before_answer: bool = False

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Self:
        if not raw.get("setter"):
            return super().parse(raw)
        return super().parse({**raw, "setter": CookieSetter.parse(raw["setter"])})


@dataclass(frozen=True)
class CookieNotStored(_Record):
    """A write of a non-empty cookie the jar does not hold, with Chromium's reasons where known."""

    name: str = ""
    domain: str = ""
    via: str = ""
    url: str | None = None
    frame_url: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScriptCall(_Record):
    """Where an instrumented call was made: the frame, its origin and the innermost script."""

    frame_url: str = ""
    origin: str = ""
    script: str | None = None


@dataclass(frozen=True)
class StorageWrite(ScriptCall):
    kind: str = ""  # "local" or "session"
    key: str = ""


@dataclass(frozen=True)
class IndexedDbOpen(ScriptCall):
    name: str = ""


@dataclass(frozen=True)
class ServiceWorkerRegistration(ScriptCall):
    script_url: str = ""
    scope: str | None = None


@dataclass(frozen=True)
class Beacon(ScriptCall):
    url: str = ""


@dataclass(frozen=True)
class CanvasRead(ScriptCall):
    method: str | None = None
    width: int | None = None
    height: int | None = None
    distinct_chars: int | None = None
    colours: int | None = None
    fingerprint_like: bool | None = None


@dataclass(frozen=True)
class IndexedDbDatabase(_Record):
    origin: str = ""
    name: str = ""


@dataclass(frozen=True)
class ServiceWorker(_Record):
    origin: str = ""
    scope: str | None = None
    script_url: str = ""


@dataclass(frozen=True)
class CacheStorage(_Record):
    origin: str = ""
    names: tuple[str, ...] = ()


_NESTED: dict[str, type[_Record]] = {
    "cookie_setters": CookieAttribution,
    "cookies_not_stored": CookieNotStored,
    "storage_writers": StorageWrite,
    "indexeddb_opened": IndexedDbOpen,
    "service_workers_registered": ServiceWorkerRegistration,
    "beacons": Beacon,
    "canvas_reads": CanvasRead,
    "indexeddb": IndexedDbDatabase,
    "service_workers": ServiceWorker,
    "cache_storage": CacheStorage,
}


@dataclass(frozen=True)
class PrivacyEvidence(TypedEvidence):
    KIND: ClassVar[str] = COLLECTOR

    hosts: tuple[str, ...] = ()  # hosts contacted by the visit: site checks compare scenarios with them
    cookie_setters: tuple[CookieAttribution, ...] = ()
    cookies_not_stored: tuple[CookieNotStored, ...] = ()
    storage_writers: tuple[StorageWrite, ...] = ()
    indexeddb_opened: tuple[IndexedDbOpen, ...] = ()
    service_workers_registered: tuple[ServiceWorkerRegistration, ...] = ()
    beacons: tuple[Beacon, ...] = ()
    canvas_reads: tuple[CanvasRead, ...] = ()
    indexeddb: tuple[IndexedDbDatabase, ...] = ()
    service_workers: tuple[ServiceWorker, ...] = ()
    cache_storage: tuple[CacheStorage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """As the base class writes it, with each nested record as it was read (``_Record.as_dict``)."""
        return {
            VERSION_KEY: self.VERSION,
            **{name: _json(getattr(self, name)) for name in ("hosts", *_NESTED)},
        }

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Self:
        values: dict[str, Any] = {"hosts": tuple(fields.get("hosts") or ())}
        for name, record in _NESTED.items():
            values[name] = tuple(record.parse(item) for item in fields.get(name) or ())
        return cls(**values)


def privacy_of(extras: dict[str, Any]) -> PrivacyEvidence | None:
    """The privacy evidence in a stored page's extras; None when the collector did not run or failed."""
    raw = extras.get(COLLECTOR)
    if not isinstance(raw, dict) or isinstance(raw.get("error"), str):
        return None
    return PrivacyEvidence.from_json(raw)
