"""The Alembic migrations build exactly the schema the models describe, as one linear history."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import scanner.store.tables  # noqa: F401  (every table on SQLModel.metadata)
from scanner.store.db import alembic_config, open_database


def test_migrations_form_one_line_of_history(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'leer.db'}")
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    assert len(scripts.get_heads()) == 1, f"several heads: {scripts.get_heads()}; chain the new revision"
    assert len(scripts.get_bases()) == 1


def schema_differences(database_url: str) -> list:
    engine = open_database(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return differences


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    assert schema_differences(f"sqlite:///{tmp_path / 'neu.db'}") == []


def test_migrated_schema_matches_the_models_on_postgresql(postgres_url: str) -> None:
    assert schema_differences(postgres_url) == []
