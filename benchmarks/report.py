"""Medians, ratios and the printed tables of a benchmark run (plain data in, text out)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from benchmarks.phases import PHASES


def medians(rounds: list[dict[str, Any]], mode: str) -> dict[str, float]:
    runs = [run for run in rounds if run["mode"] == mode]
    keys = (
        "wall_seconds",
        "cpu_seconds",
        "peak_mb",
        "peak_rss_mb",
        "pages_per_minute",
        "loop_blocked_seconds",
    )
    return {key: statistics.median(run[key] for run in runs) for key in keys} if runs else {}


def phase_medians(rounds: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Each phase's median calls, summed and wall seconds over the govscan rounds."""
    runs = [run["phases"] for run in rounds if run["mode"] == "govscan"]
    values: defaultdict[str, defaultdict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for phases in runs:
        for phase, numbers in phases.items():
            for key, number in numbers.items():
                values[phase][key].append(number)
    # a phase missing from a round counts as 0 there
    return {
        phase: {key: statistics.median(_padded(numbers, len(runs))) for key, numbers in by.items()}
        for phase, by in values.items()
    }


def _padded(numbers: list[float], rounds: int) -> list[float]:
    return numbers + [0.0] * (rounds - len(numbers))


def summary_table(result: dict[str, Any]) -> str:
    bare, govscan = result["medians"]["bare"], result["medians"]["govscan"]
    visits = result["visits"]
    lines = [
        f"portal: {result['pages']} pages, {visits['total']} browser visits per run "
        f"({visits['first_visit']} first visits + {visits['revisits']} consent revisits), "
        f"{result['rounds_per_mode']} interleaved rounds, concurrency {result['concurrency']}",
        "",
        f"{'mode':<10}{'wall s':>9}{'pages/min':>11}{'CPU s':>9}{'peak MB':>9}{'RSS MB':>9}"
        f"{'loop blocked s':>16}   (medians)",
    ]
    for name, row in (("bare", bare), ("govscan", govscan)):
        lines.append(
            f"{name:<10}{row['wall_seconds']:>9.1f}{row['pages_per_minute']:>11.1f}"
            f"{row['cpu_seconds']:>9.1f}{row['peak_mb']:>9.0f}{row['peak_rss_mb']:>9.0f}"
            f"{row['loop_blocked_seconds']:>16.1f}"
        )
    ratio = result["ratio"]
    lines += [
        f"{'ratio':<10}{ratio['wall']:>8.2f}x{'':>11}{ratio['cpu']:>8.2f}x{ratio['peak_mb']:>8.2f}x"
        f"{'':>9}   govscan / bare",
        "peak MB: PSS of the whole process tree (Python, Playwright's driver, every Chromium process);"
        " RSS MB: the same summed as ps does (shared pages counted per process);"
        " loop blocked s: seconds the event loop woke more than 20 ms late (synchronous work on it)",
    ]
    rounds = ", ".join(f"{run['mode']} {run['wall_seconds']:.1f} s" for run in result["rounds"])
    lines += ["", f"rounds: {rounds}"]
    lines.append(result["axe_cli"])
    return "\n".join(lines)


def phase_table(phases: dict[str, dict[str, float]], wall_seconds: float) -> str:
    lines = [
        "per-phase profile of the govscan run (medians over rounds; wall = at least one call running;"
        f" the run took {wall_seconds:.1f} s)",
        f"{'phase':<42}{'calls':>7}{'summed s':>10}{'wall s':>9}{'wall %':>8}",
    ]
    for phase, row in sorted(phases.items(), key=lambda item: -item[1]["summed_s"]):
        share = 100 * row["wall_s"] / wall_seconds if wall_seconds else 0.0
        lines.append(
            f"{phase:<42}{row['calls']:>7.0f}{row['summed_s']:>10.2f}{row['wall_s']:>9.2f}{share:>7.0f}%"
        )
    lines += ["", "phases wrap (benchmarks/phases.py):"]
    lines += [f"  {phase:<40} {target}" for phase, target in PHASES.items()]
    return "\n".join(lines)
