"""The database of distributed mode: PostgreSQL only, holding govscan's tables and procrastinate's.

govscan's tables are migrated by Alembic as everywhere; procrastinate's job tables are created
from procrastinate's own schema when they are missing, under an advisory lock so that exactly one
of several processes starting together sets the schemas up (``scanner.store.job_queue``, which
holds the SQL; procrastinate's schema manager supplies the DDL of its tables).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.store.db import DatabaseUrlError, normalise_db_url
from scanner.store.job_queue import libpq_url, prepare_job_database

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def postgres_conninfo(db_url: str) -> str:
    """The libpq URL of a PostgreSQL database; anything else is refused with a clear message."""
    url = normalise_db_url(db_url)
    if not url.startswith("postgresql"):
        raise DatabaseUrlError(
            f"--db {db_url}: distributed mode needs PostgreSQL (postgresql://USER@HOST/DB); "
            "for one machine with SQLite use 'govscan schedule'"
        )
    return libpq_url(url)


def prepare_database(db_url: str) -> tuple[Engine, str]:
    """Migrate govscan's tables, create procrastinate's if missing; returns (engine, conninfo)."""
    conninfo = postgres_conninfo(db_url)
    return prepare_job_database(db_url, conninfo, procrastinate_schema), conninfo


def procrastinate_schema() -> str:
    """The SQL that creates procrastinate's tables, functions and triggers."""
    from procrastinate.schema import SchemaManager

    return SchemaManager.get_schema()
