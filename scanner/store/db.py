"""Engine, sessions and schema migrations; a ``--db`` value that cannot work is refused in a sentence.

``DatabaseUrlError`` is bad input (exit 2): a malformed URL, a SQLite path in a missing folder, a
folder, a file that is not SQLite, or no database where a command only reads one.
``DatabaseUnavailable`` is the machine's side (exit 3): a server that does not answer.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

DEFAULT_DB = "sqlite:///govscan.db"
MIGRATIONS = Path(__file__).parent / "migrations"


SQLITE_HEADER = b"SQLite format 3\x00"
EXPECTED = "expected a SQLite file path, sqlite:///FILE or postgresql://USER@HOST/DB"


class DatabaseUrlError(ValueError):
    pass


class DatabaseUnavailable(RuntimeError):
    pass


def normalise_db_url(text: str) -> str:
    """Accept a URL or a plain file path (SQLite); use psycopg 3 for PostgreSQL."""
    if "://" not in text:
        # "::::" or "host:5432/db" is a mistyped URL far more often than a file name
        if not text.strip() or ":" in text:
            raise DatabaseUrlError(f"--db {text!r}: {EXPECTED}")
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


def open_database(db_url: str = DEFAULT_DB, *, create: bool = True) -> Engine:
    """The database of ``db_url`` with the current schema; ``create=False``: a SQLite file must exist
    already (commands that only read, such as ``report``, never leave a new file behind)."""
    url = normalise_db_url(db_url)
    file = sqlite_file(url)
    if file is not None:
        check_sqlite_file(db_url, file, create=create)
    engine = make_engine(url)
    try:
        upgrade_schema(engine)
    except DBAPIError as error:
        engine.dispose()
        raise _database_error(db_url, url, error) from None
    return engine


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_sqlite_file(text: str, path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseUrlError(f"--db {text}: {path} is a folder; {EXPECTED}")
    if path.is_file():
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise DatabaseUrlError(f"--db {text}: {path} is not a SQLite database")
        return
    if not path.parent.is_dir():
        raise DatabaseUrlError(f"--db {text}: the folder {path.parent} does not exist")
    if not create:
        raise DatabaseUrlError(
            f"--db {text}: there is no database at {path}; 'govscan scan' or 'govscan demo' makes one"
        )


def _database_error(text: str, url: str, error: DBAPIError) -> Exception:
    reason = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error).__name__
    if url.startswith("sqlite"):
        return DatabaseUrlError(f"--db {text}: cannot use this SQLite database ({reason})")
    shown = make_url(text).render_as_string(hide_password=True)  # as given, without its password
    return DatabaseUnavailable(f"--db {shown}: cannot reach the database ({reason})")


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
