"""Every module that defines tables, imported once so that SQLModel.metadata knows them all.

Alembic's environment imports this; a family that adds tables adds its module here.
"""

import scanner.store.reviews
import scanner.store.security  # noqa: F401  (issue 5: HTTP header grade)
from scanner.store import models  # noqa: F401
