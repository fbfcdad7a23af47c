"""procrastinate's job tables as govscan's store sees them: their set-up, and the queue's depth.

govscan's tables are migrated by Alembic as everywhere; procrastinate's (all named
``procrastinate_*``, which Alembic's autogenerate ignores) are created from the schema SQL that
procrastinate ships, when they are missing. Processes that start together (several workers under
systemd) take a PostgreSQL advisory lock first, so exactly one of them sets the schemas up.
Which SQL creates procrastinate's schema is procrastinate's business: the caller passes it in.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from scanner.store.db import DatabaseUnavailable, open_database

SCHEMA_LOCK = 0x676F7673  # "govs": the advisory lock that serialises schema set-up
JOBS_TABLE = "procrastinate_jobs"
QUEUE_STATES = ("todo", "waiting_to_retry", "doing", "failed")


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL (any driver) as the plain libpq URL psycopg and procrastinate take."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def redacted_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def prepare_job_database(db_url: str, conninfo: str, job_schema: Callable[[], str]) -> Engine:
    """Migrate govscan's tables and create the job tables (``job_schema()``: their SQL) if missing."""
    try:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                engine = open_database(db_url)
                if not job_tables_exist(connection):
                    connection.execute(job_schema())
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL for --db {redacted_url(conninfo)}: {reason}"
        ) from None
    return engine


def job_tables_exist(connection: psycopg.Connection) -> bool:
    row = connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def queue_depth(engine: Engine, task_name: str) -> dict[str, int] | None:
    """Jobs of ``task_name`` by state; None where there are no job tables (local mode, SQLite)."""
    if not inspect(engine).has_table(JOBS_TABLE):
        return None
    query = text(
        """SELECT CASE WHEN status = 'todo' AND scheduled_at > now() THEN 'waiting_to_retry'
                       ELSE status::text END AS state, count(*)
             FROM procrastinate_jobs WHERE task_name = :task GROUP BY 1"""
    )
    with engine.connect() as connection:
        counts = dict(connection.execute(query, {"task": task_name}).all())
    return {state: counts.get(state, 0) for state in QUEUE_STATES}
