"""The ``govscan`` command: ``app`` is assembled from one module per group of commands."""

from scanner.cli import catalogue, history, operate, reporting, scan  # noqa: F401  (register their commands)
from scanner.cli.app import app

__all__ = ["app"]
