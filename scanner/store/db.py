"""Engine, sessions and schema migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

DEFAULT_DB = "sqlite:///govscan.db"
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseUrlError(ValueError):
    pass


def normalise_db_url(text: str) -> str:
    """Accept a URL or a plain file path (SQLite); use psycopg 3 for PostgreSQL."""
    if "://" not in text:
        return f"sqlite:///{text}"
    try:
        url = make_url(text)
    except Exception as error:
        raise DatabaseUrlError(f"--db {text!r}: not a database URL ({error})") from error
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    elif not url.drivername.startswith(("sqlite", "postgresql")):
        raise DatabaseUrlError(f"--db {text!r}: expected sqlite:///FILE or postgresql://USER@HOST/DB")
    return url.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer: reports during a scan
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode; a crash loses at most the last commit
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(db_url: str) -> Engine:
    url = normalise_db_url(db_url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is current."""
    command.upgrade(alembic_config(engine), "heads")


def open_database(db_url: str = DEFAULT_DB) -> Engine:
    engine = make_engine(db_url)
    upgrade_schema(engine)
    return engine


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
