#!/usr/bin/env python3
"""Regenerate checks/accessibility/data/axe_rules.json from the axe-core that govscan runs.

Run after upgrading axe-playwright-python (or with --axe-script for a newer axe.min.js); the test
tests/test_axe_mapping.py fails while the table and the engine disagree. One Chromium, a blank page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from playwright.async_api import async_playwright

from scanner.capture.axe.rules import list_rules
from scanner.capture.axe.source import load_axe_source
from scanner.capture.browser import find_chromium

TABLE = Path(__file__).resolve().parent.parent / "checks" / "accessibility" / "data" / "axe_rules.json"


async def main(axe_script: Path | None) -> None:
    source = load_axe_source(axe_script)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(find_chromium(playwright)))
        try:
            rules = await list_rules(await browser.new_page(), source)
        finally:
            await browser.close()
    table = {"axe_version": source.version, "rules": rules}
    TABLE.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(rules)} rules of axe-core {source.version}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--axe-script", type=Path, help="an axe.min.js instead of the bundled one")
    asyncio.run(main(parser.parse_args().axe_script))
