"""The families govscan audits, and the one loader that reads their declarations.

A family (accessibility, privacy, security, ...) declares once, in its package under ``checks/``,
everything the core needs to know about it: the modules of its checks, its page collectors with
the order they run in, its host probes, the hook that reports the versions of its engines, the
modules that define its tables and those that register its datasets. The declaration names
modules as strings, so reading it imports no browser code; the loader imports what a caller
needs (the check runner the checks, the capture step the collectors).

Adding a family: a package under ``checks/`` with a ``FAMILY = FamilyDeclaration(...)`` and one
line in ``FAMILY_PACKAGES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

FAMILY_PACKAGES = (
    "checks.accessibility",
    "checks.privacy",
    "checks.security",
)

# When a collector runs, relative to the others. Collectors that read what the page itself did
# (instrumentation logs) go first; collectors that run our own code in the page (axe reads
# canvases) or change it (keyboard walk, 320 px viewport) come after, so that nothing of ours is
# taken for the site's behaviour.
READS_PAGE_ACTIVITY, INSPECTS, ACTS_ON_PAGE = 10, 50, 90


@dataclass(frozen=True)
class CollectorDeclaration:
    """A page collector: ``"module:attribute"`` of its class, and when it runs."""

    path: str
    order: int = INSPECTS


@dataclass(frozen=True)
class FamilyDeclaration:
    name: str
    checks: tuple[str, ...]  # modules whose @check declarations register the family's checks
    collectors: tuple[CollectorDeclaration, ...] = ()
    host_probes: tuple[str, ...] = ()  # modules whose @host_probe declarations register probes
    engine_versions: tuple[str, ...] = ()  # "module:function" hooks, see scanner.run.engine_versions
    tables: tuple[str, ...] = ()  # modules that define the family's own tables
    datasets: tuple[str, ...] = ()  # modules that register the family's downloadable datasets


@cache
def declarations() -> tuple[FamilyDeclaration, ...]:
    return tuple(import_module(package).FAMILY for package in FAMILY_PACKAGES)


def import_modules(kind: str) -> None:
    """Import every module of one kind (``checks``, ``host_probes``, ``tables``, ``datasets``)."""
    for family in declarations():
        for module in getattr(family, kind):
            import_module(module)


def collector_declarations() -> Iterator[CollectorDeclaration]:
    for family in declarations():
        yield from family.collectors


def resolve(path: str) -> Any:
    """The object a ``"module:attribute"`` path names."""
    module, _, attribute = path.partition(":")
    return getattr(import_module(module), attribute)
