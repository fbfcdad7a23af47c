"""Where the records checks yield (a header grade, a profile's outcome) are written.

A family's table module registers one writer per record kind with ``@record_writer(kind)``; the
store calls it for every ``LocatedRecord`` of a check outcome, in the outcome's transaction. A
record of a kind nobody registered is a bug in govscan and fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from sqlmodel import Session

from scanner.families import import_modules

if TYPE_CHECKING:
    from scanner.findings.located import LocatedRecord

RecordWriter = Callable[[Session, int, "LocatedRecord"], None]
WRITERS: dict[str, RecordWriter] = {}


def record_writer(kind: str) -> Callable[[RecordWriter], RecordWriter]:
    def register(function: RecordWriter) -> RecordWriter:
        if kind in WRITERS:
            raise ValueError(f"record kind {kind!r} has two writers")
        WRITERS[kind] = function
        return function

    return register


def add_records(db: Session, scan_id: int, records: Iterable[LocatedRecord]) -> None:
    for record in records:
        if record.kind not in WRITERS:
            import_modules("tables")  # the families' table modules register their writers
        if record.kind not in WRITERS:
            raise LookupError(f"no table for records of kind {record.kind!r} (check {record.check_id})")
        WRITERS[record.kind](db, scan_id, record)
