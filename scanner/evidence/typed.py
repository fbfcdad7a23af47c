"""The typed form of what a collector or a host probe hands its checks.

Every collector and every host probe defines one frozen dataclass for its evidence, in a module
under ``scanner/evidence/`` that imports no browser code, and subclasses ``TypedEvidence``. The
collector (or probe) returns an instance; the capture step stores ``to_json()`` in
``PageCapture.extras[KIND]`` (a probe's in ``HostProbeResult.data``), and checks and reports read
it back with ``capture.evidence(TheType)`` / ``result.evidence(TheType)``, never by dictionary keys.

Stored scans outlive versions: ``to_json`` writes ``"version": VERSION``; ``from_json`` reads
every version written so far (JSON without a version is version 1, the shape before versions were
recorded) and upgrades it in ``upgrade``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

VERSION_KEY = "version"


class EvidenceVersionError(ValueError):
    """Stored evidence was written by a newer govscan than this one."""


class TypedEvidence:
    KIND: ClassVar[str]  # the collector or probe name the evidence is stored under
    VERSION: ClassVar[int] = 1

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (dicts, lists, strings, numbers), with the version it was written in."""
        return {VERSION_KEY: self.VERSION, **_plain(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        version = data.get(VERSION_KEY, 1)
        if version > cls.VERSION:
            raise EvidenceVersionError(
                f"{cls.KIND} evidence of version {version}; this govscan reads <= {cls.VERSION}"
            )
        fields = cls.upgrade({key: value for key, value in data.items() if key != VERSION_KEY}, version)
        return cls.from_fields(fields)

    @classmethod
    def upgrade(cls, fields: dict[str, Any], version: int) -> dict[str, Any]:
        """Bring the fields of an older version to the current shape (none so far: unchanged)."""
        return fields

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Self:
        """Build the dataclass from current-shape fields; types with nested records override this."""
        names = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{name: value for name, value in fields.items() if name in names})


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
