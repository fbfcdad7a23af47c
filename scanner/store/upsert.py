"""Insert-or-ignore and counters that work the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def _insert(session: Session, model: type[SQLModel]):
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)


def insert_ignoring_duplicates(
    session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> int:
    """Insert rows; rows that collide with ``unique`` are skipped. Returns how many were new."""
    if not rows:
        return 0
    statement = _insert(session, model).values(list(rows)).on_conflict_do_nothing(index_elements=list(unique))
    return session.execute(statement).rowcount or 0


def add_to_counters(
    session: Session, model: type[SQLModel], key: dict[str, Any], increments: dict[str, int]
) -> None:
    """``counter += increment`` for one row identified by ``key``, creating the row if needed."""
    statement = _insert(session, model).values({**key, **increments})
    table = model.__table__  # type: ignore[attr-defined]
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: table.c[name] + statement.excluded[name] for name in increments},
    )
    session.execute(statement)
