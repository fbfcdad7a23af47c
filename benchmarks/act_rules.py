"""Benchmark: govscan's accessibility family on the W3C ACT Rules test cases (issue 16, item 9).

    make bench-act
    PYTHONPATH=. .venv/bin/python benchmarks/act_rules.py [--cases DIR] [--rules ID,ID] [--out FILE]

Downloads the W3C's ``testcases.json`` and the case files into a cache (``--cache``, default
``~/.cache/govscan/act-rules``) unless ``--cases`` names a local copy, serves them under their
w3.org URLs on 127.0.0.1, runs every case of the ACT rules axe-core implements through govscan's
capture and accessibility checks, and prints per ACT rule the expected against govscan's outcome,
the totals and why rules are left; writes everything to a JSON file. See docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.act_cases import ActCase, case_rules, find_cases_dir, parse_testcases
from benchmarks.act_compare import tally_by_rule
from benchmarks.act_download import download_cases
from benchmarks.act_mapping import AxeRuleInfo, coverage
from benchmarks.act_report import document, left_text, rule_table, totals, totals_text
from benchmarks.act_run import accessibility_registry, run_all
from scanner.capture.axe.source import WCAG_VERSIONS, load_axe_source
from scanner.net.network import NetworkSettings

RESULTS = Path(__file__).parent / "results"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govscan" / "act-rules"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, help="a local copy (testcases.json, testcases/, test-assets/)")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help=f"download cache (default {DEFAULT_CACHE})"
    )
    parser.add_argument("--refresh", action="store_true", help="download testcases.json again")
    parser.add_argument("--download-only", action="store_true", help="fill the cache, run nothing")
    parser.add_argument("--connect-to", action="append", default=[], help="for the download, like govscan's")
    parser.add_argument("--ca-bundle", type=Path, help="for the download, like govscan's")
    parser.add_argument("--wcag-version", choices=WCAG_VERSIONS, default="2.1")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rules", help="only these ACT rule ids, comma-separated")
    parser.add_argument("--all-cases", action="store_true", help="also the rules axe does not implement")
    parser.add_argument("--out", type=Path, help="JSON file (default: benchmarks/results/act-<time>.json)")
    return parser.parse_args()


def load_cases(args: argparse.Namespace) -> tuple[Path, list[ActCase]]:
    if args.cases:
        cases_dir = find_cases_dir(args.cases)
    else:
        network = NetworkSettings.build(args.connect_to, args.ca_bundle)
        failed = asyncio.run(download_cases(args.cache, network, refresh=args.refresh))
        if failed:
            print(f"{len(failed)} files could not be downloaded (first: {failed[0]})", file=sys.stderr)
        cases_dir = args.cache
    cases = parse_testcases(json.loads((cases_dir / "testcases.json").read_text(encoding="utf-8")))
    if args.rules:
        wanted = set(args.rules.split(","))
        cases = [case for case in cases if case.rule_id in wanted]
    return cases_dir, cases


def main() -> None:
    args = arguments()
    logging.basicConfig(level=logging.ERROR)  # check crashes are counted, not logged line by line
    started = datetime.now(UTC)
    cases_dir, cases = load_cases(args)
    if args.download_only:
        print(f"{len(cases)} test cases in {cases_dir}")
        return
    names = case_rules(cases)
    registered = frozenset(check.id for check in accessibility_registry())

    def coverage_of(axe_rules: list[AxeRuleInfo]):
        return coverage(names, axe_rules, args.wcag_version, registered)

    with tempfile.TemporaryDirectory(prefix="govscan-act-") as workdir:
        run = run_all(
            cases, cases_dir, Path(workdir), coverage_of, args.wcag_version, args.concurrency, args.all_cases
        )
        axe_rules, rules, results = asyncio.run(run)
    tallies = tally_by_rule(results)
    source = load_axe_source()
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "axe": source.describe(),
        "wcag_version": args.wcag_version,
        "cases_dir": str(cases_dir),
        "testcases": len(cases),
        "cases_run": len(results),
        "loadavg": os.getloadavg(),
        "axe_rules_with_act_ids": {rule.id: list(rule.act_ids) for rule in axe_rules if rule.act_ids},
    }
    out = args.out or RESULTS / f"act-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(document(meta, names, rules, tallies, results), indent=2, default=str), encoding="utf-8"
    )
    run_note = f"{len(results)} of {len(cases)} cases run"
    print(f"axe-core {source.version} ({source.origin}); WCAG {args.wcag_version}; {run_note}")
    print(rule_table(names, rules, tallies))
    print()
    print(totals_text(totals(rules, tallies)))
    print("\nACT rules govscan does not fail on (axe implements them):")
    print(left_text(names, rules))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
