"""Alembic environment: migrations run on the engine govscan opened (see scanner.store.db)."""

from alembic import context
from sqlmodel import SQLModel

from scanner.store import tables  # noqa: F401  (registers every table on SQLModel.metadata)

engine = context.config.attributes["engine"]


def include_name(name, type_, parent_names) -> bool:
    """procrastinate's job tables share the PostgreSQL database; its schema manager owns them."""
    return not (type_ == "table" and name.startswith("procrastinate_"))


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
