"""Checks and reports are pure functions of evidence: none of their modules imports browser code.

Each module under ``checks/`` and ``reports/`` is imported in a fresh interpreter in which
``playwright`` cannot be imported at all, so an import of it anywhere down the chain (a collector
module, ``scanner.capture.*``) fails and names the module that pulled it in.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("checks", "reports")

# Runs before anything else is imported: the finder refuses playwright and all its submodules.
_IMPORT_ALL = r"""
import sys

class RefusePlaywright:
    def find_spec(self, name, path=None, target=None):
        if name == "playwright" or name.startswith("playwright."):
            raise ModuleNotFoundError(f"No module named {name!r} (refused by the layer test)", name=name)
        return None

sys.meta_path.insert(0, RefusePlaywright())

import importlib
import json
import pkgutil
import traceback
from pathlib import Path

root = Path.cwd()
failures = {}


def chain(error):
    # The project's modules on the way to the failing import, outermost first.
    files = [Path(frame.filename) for frame in traceback.extract_tb(error.__traceback__)]
    inside = [file.relative_to(root) for file in files if file.is_relative_to(root)]
    names = [".".join(file.with_suffix("").parts).removesuffix(".__init__") for file in inside]
    return [name for index, name in enumerate(names) if index == 0 or names[index - 1] != name]


def record(name, error):
    failures[name] = {"error": f"{type(error).__name__}: {error}", "via": chain(error)}


def walk_error(name):
    record(name, sys.exc_info()[1])


for package_name in sys.argv[1:]:
    # walk_packages imports each package to look inside it; one that fails is recorded by walk_error
    found = pkgutil.walk_packages([str(root / package_name)], package_name + ".", onerror=walk_error)
    for name in [package_name, *(info.name for info in found)]:
        if name in failures:
            continue
        try:
            importlib.import_module(name)
        except Exception as error:
            record(name, error)

print(json.dumps(failures, indent=1, sort_keys=True))
"""


def modules_failing_without_playwright(*packages: str) -> dict[str, dict]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, *packages],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_checks_and_reports_import_without_playwright() -> None:
    failures = modules_failing_without_playwright(*PACKAGES)
    assert failures == {}, "modules that need Playwright:\n" + "\n".join(
        f"- {name}: {failure['error']} (via {' -> '.join(failure['via'])})"
        for name, failure in failures.items()
    )
