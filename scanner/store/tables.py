"""Every module that defines tables, imported once so that SQLModel.metadata knows them all.

Alembic's environment imports this. The core's tables are listed here; a family's own tables are
named in its declaration (``FamilyDeclaration.tables``).
"""

from importlib import import_module

from scanner.families import import_modules

CORE_TABLE_MODULES = (
    "scanner.store.models",
    "scanner.store.reviews",  # review decisions
    "scanner.store.schedule",  # scheduler state
)

for _module in CORE_TABLE_MODULES:
    import_module(_module)
import_modules("tables")
