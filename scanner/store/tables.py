"""Every module that defines tables, imported once so that SQLModel.metadata knows them all.

Alembic's environment imports this; a family that adds tables adds its module to the list.
"""

from importlib import import_module

TABLE_MODULES = (
    "scanner.store.models",
    "scanner.store.reviews",  # review decisions
    "scanner.store.schedule",  # scheduler state
    "scanner.store.security",  # HTTP header grade per host
)

for _module in TABLE_MODULES:
    import_module(_module)
