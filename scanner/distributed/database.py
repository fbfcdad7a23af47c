"""The database of distributed mode: PostgreSQL only, holding govscan's tables and procrastinate's.

govscan's tables are migrated by Alembic as everywhere; procrastinate's job tables (all named
``procrastinate_*``, which Alembic's autogenerate ignores) are created by procrastinate's own
schema manager when they are missing. Processes that start together (several workers under
systemd) take a PostgreSQL advisory lock first, so exactly one of them sets the schemas up.
"""

from __future__ import annotations

import psycopg
from sqlalchemy.engine import Engine, make_url

from scanner.store.db import DatabaseUrlError, normalise_db_url, open_database

SCHEMA_LOCK = 0x676F7673  # "govs": the advisory lock that serialises schema set-up


class DatabaseUnavailable(RuntimeError):
    pass


def postgres_conninfo(db_url: str) -> str:
    """The libpq URL of a PostgreSQL database; anything else is refused with a clear message."""
    url = normalise_db_url(db_url)
    if not url.startswith("postgresql"):
        raise DatabaseUrlError(
            f"--db {db_url}: distributed mode needs PostgreSQL (postgresql://USER@HOST/DB); "
            "for one machine with SQLite use 'govscan schedule'"
        )
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def prepare_database(db_url: str) -> tuple[Engine, str]:
    """Migrate govscan's tables, create procrastinate's if missing; returns (engine, conninfo)."""
    conninfo = postgres_conninfo(db_url)
    try:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                engine = open_database(db_url)
                if not procrastinate_schema_exists(connection):
                    from procrastinate.schema import SchemaManager

                    connection.execute(SchemaManager.get_schema())
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL for --db {_redacted(conninfo)}: {reason}"
        ) from None
    return engine, conninfo


def procrastinate_schema_exists(connection: psycopg.Connection) -> bool:
    row = connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def _redacted(conninfo: str) -> str:
    return make_url(conninfo).render_as_string(hide_password=True)
