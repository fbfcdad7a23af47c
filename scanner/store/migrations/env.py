"""Alembic environment: migrations run on the engine govscan opened (see scanner.store.db)."""

from alembic import context
from sqlmodel import SQLModel

from scanner.store import tables  # noqa: F401  (registers every table on SQLModel.metadata)

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
