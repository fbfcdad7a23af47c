"""Layering: scanner/store owns the database, and the store depends on plain data only.

(a) Outside ``scanner/store`` no module imports a database library at run time (sqlalchemy,
    sqlmodel, psycopg, alembic; type-only imports of ``Engine``/``Session`` under
    ``TYPE_CHECKING`` are fine), builds a query (``select``, ``insert``, ``delete``, ``update``,
    ``text``) or runs one through a session or connection (``.exec``, ``.execute``, ``.add``, ...).
    Opening ``with session(engine)`` and committing stay with the callers: they are the
    transaction boundaries (one per page, so that a killed scan resumes).
(b) ``scanner/store`` imports nothing from the check runner, the crawler, the scan run, the
    capture or the CLI (nor configuration, probes, checks, reports), neither directly nor through
    what it imports: it stores plain data.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scanner", "checks", "reports")
EXCLUDED = (ROOT / "scanner" / "demo" / "site",)  # the demo site's files, not govscan's code
STORE = "scanner.store"

DB_LIBRARIES = ("sqlalchemy", "sqlmodel", "psycopg", "psycopg2", "alembic")
TYPE_ONLY_NAMES = frozenset({"Engine", "Session", "Connection"})
QUERY_CONSTRUCTS = frozenset({"select", "insert", "delete", "update", "text"})
SESSION_METHODS = frozenset(
    {"exec", "execute", "add", "add_all", "delete", "merge", "get", "scalar", "scalars", "query", "flush"}
)
ALWAYS_QUERY_METHODS = frozenset({"exec", "add_all", "scalars"})  # no other object in govscan has them
SESSION_FACTORIES = frozenset({"session", "open_session", "Session", "connect", "begin"})
SESSION_TYPES = frozenset({"Session", "Connection"})
ENGINE_METHODS = frozenset({"connect", "begin", "raw_connection"})
STORE_MUST_NOT_IMPORT = (
    "scanner.findings.runner",
    "scanner.crawl",
    "scanner.run",
    "scanner.capture",
    "scanner.cli",
    # nor what sits above it: configuration, probes, the modes that drive scans, checks, reports
    "scanner.config",
    "scanner.probes",
    "scanner.schedule",
    "scanner.distributed",
    "checks",
    "reports",
)


def module_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not any(path.is_relative_to(excluded) for excluded in EXCLUDED):
                files.append(path)
    return files


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def in_store(name: str) -> bool:
    return name == STORE or name.startswith(STORE + ".")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import statements inside ``if TYPE_CHECKING:`` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                for child in ast.walk(statement):
                    inside.add(id(child))
    return inside


def imported_modules(tree: ast.AST, name: str, is_package: bool) -> list[tuple[int, str, list[str], bool]]:
    """(line, module, imported names, type-only) of every import in the module."""
    type_only = _type_checking_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, alias.name, [], id(node) in type_only))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, module] if module else base)
            found.append((node.lineno, module, [alias.name for alias in node.names], id(node) in type_only))
    return found


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def _receiver(node: ast.expr) -> str | None:
    """``db`` for ``db.exec``, ``engine`` for ``self.engine.connect``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _annotation_names(annotation: ast.expr | None) -> set[str]:
    if annotation is None:
        return set()
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return set()
    return {node.id for node in ast.walk(annotation) if isinstance(node, ast.Name)} | {
        node.attr for node in ast.walk(annotation) if isinstance(node, ast.Attribute)
    }


def _session_names(tree: ast.AST) -> set[str]:
    """Names bound to a session or connection: ``with session(engine) as db``, ``db: Session``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and (_receiver(call.func) in SESSION_FACTORIES)
                    and isinstance(item.optional_vars, ast.Name)
                ):
                    names.add(item.optional_vars.id)
        elif isinstance(node, ast.arg) and _annotation_names(node.annotation) & SESSION_TYPES:
            names.add(node.arg)
    return names


def database_access(source: str, name: str = "module", is_package: bool = False) -> list[str]:
    """Where a module outside the store touches the database itself (rule a)."""
    tree = ast.parse(source)
    problems = []
    imported_names: set[str] = set()  # names from a database library (or passed on by the store)
    for line, module, names, type_only in imported_modules(tree, name, is_package):
        if _top(module) in DB_LIBRARIES or in_store(module):
            imported_names.update(names)
        if _top(module) not in DB_LIBRARIES:
            continue
        if type_only and set(names) <= TYPE_ONLY_NAMES:
            continue
        what = f"from {module} import {', '.join(names)}" if names else f"import {module}"
        problems.append(f"{name}:{line}: {what}" + (" (under TYPE_CHECKING)" if type_only else ""))
    sessions = _session_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in QUERY_CONSTRUCTS and func.id in imported_names:
            problems.append(f"{name}:{node.lineno}: query construct {func.id}()")
        if not isinstance(func, ast.Attribute):
            continue
        receiver = _receiver(func.value)
        raw_sql = (
            func.attr == "execute" and node.args and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        )
        if (
            func.attr in ALWAYS_QUERY_METHODS
            or (func.attr in SESSION_METHODS and receiver in sessions)
            or (func.attr in ENGINE_METHODS and receiver == "engine")
            or raw_sql
        ):
            problems.append(f"{name}:{node.lineno}: {receiver}.{func.attr}()")
    return problems


def test_checker_finds_database_access() -> None:
    """The rules below would notice a query outside the store (so their passing means something)."""
    bad = """
from sqlalchemy import text
from sqlmodel import select
from scanner.store.db import session

def rows(engine, connection):
    with session(engine) as db:
        db.add(object())
        db.get(object, 1)
        return db.exec(select(object)).all()

def raw(engine, cursor):
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    cursor.execute("DELETE FROM page")
"""
    problems = database_access(bad)
    assert any("from sqlalchemy import text" in problem for problem in problems)
    assert any("from sqlmodel import select" in problem for problem in problems)
    for expected in ("db.add()", "db.get()", "db.exec()", "select()", "engine.connect()", "cursor.execute()"):
        assert any(expected in problem for problem in problems), expected
    fine = """
from typing import TYPE_CHECKING
from scanner.store.db import session
from scanner.store.scans import get_scan

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

def newest(engine: Engine, names: set[str], run, browser, client):
    names.add("x")
    run.execute(browser, client)
    with session(engine) as db:
        scan = get_scan(db)
        db.commit()
    return scan
"""
    assert database_access(fine) == []


def test_only_the_store_touches_the_database() -> None:
    problems = []
    for path in module_files():
        name = module_name(path)
        if in_store(name):
            continue
        problems += database_access(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    assert problems == [], "database access outside scanner/store:\n" + "\n".join(problems)


def test_store_imports_no_runner_crawler_run_capture_or_cli() -> None:
    problems = []
    for path in module_files():
        name = module_name(path)
        if not in_store(name):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, module, names, _ in imported_modules(tree, name, path.name == "__init__.py"):
            for imported in (module, *(f"{module}.{each}" for each in names)):
                if any(
                    imported == banned or imported.startswith(banned + ".")
                    for banned in STORE_MUST_NOT_IMPORT
                ):
                    problems.append(f"{name}:{line}: imports {imported}")
    assert problems == [], "scanner/store imports what it must not:\n" + "\n".join(problems)


def test_store_pulls_in_nothing_heavy_at_run_time() -> None:
    """Importing every store module (migrations aside) loads none of those modules indirectly either.

    The family packages themselves are the exception: ``scanner.store.tables`` reads their
    declarations (module names as strings) to learn which modules define tables.
    """
    modules = sorted(
        module_name(path) for path in (ROOT / "scanner" / "store").glob("*.py") if path.name != "__init__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"banned = {STORE_MUST_NOT_IMPORT!r}\n"
        "from scanner.families import FAMILY_PACKAGES\n"
        "declarations = {'checks', *FAMILY_PACKAGES}  # the family declarations name tables, nothing more\n"
        "loaded = [n for n in sys.modules if n not in declarations\n"
        "          and any(n == b or n.startswith(b + '.') for b in banned)]\n"
        "print('\\n'.join(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "", "importing scanner/store loads:\n" + result.stdout
