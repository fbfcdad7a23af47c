"""The ``govscan`` command.

Exit codes: 0 done; 1 a scan could not test anything (its failure class is stored); 2 bad input
(configuration, options, unknown scan or target): nothing was written; 3 the environment lacks
something (Chromium, certutil); 4 ``--fail-on`` found findings (``reports.gate``); 130 interrupted
(resume with ``govscan scan --resume``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from scanner import __version__
from scanner.capture.browser import ChromiumNotFound
from scanner.config.targets import ConfigError
from scanner.net.connect_to import ConnectToError
from scanner.net.network import NetworkSettings
from scanner.net.trust import CaBundleError, TrustStoreError, read_ca_bundle
from scanner.schedule.cron import CronError
from scanner.store.db import DatabaseUrlError
from scanner.store.job_queue import DatabaseUnavailable
from scanner.store.scans import ScanLookupError
from scanner.text_safety import json_text, markup_text

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Audit public-sector websites: "
    "accessibility (BITV 2.0/WCAG), privacy (TDDDG §25, DSGVO) and security in one crawl.",
)
config_app = typer.Typer(no_args_is_help=True, help="Work with targets.toml.")
app.add_typer(config_app, name="config")
data_app = typer.Typer(no_args_is_help=True, help="Reference data downloaded into the user's cache.")
app.add_typer(data_app, name="data")

console = Console(stderr=True, soft_wrap=True)  # error lines stay whole, to copy and grep
stdout = Console()


def print_json(document: Any) -> None:
    """``--json`` output: plain JSON on stdout (no Rich wrapping), safe for a terminal."""
    typer.echo(json_text(document))


DbOption = Annotated[
    str, typer.Option("--db", help="Database URL or SQLite file (postgresql://... for scale-out).")
]
ScanOption = Annotated[int | None, typer.Option("--scan", help="Scan id; default: the newest scan.")]
ConnectToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--connect-to", metavar="HOST:PORT:ADDR:PORT", help="Reach HOST:PORT at ADDR:PORT (repeatable)."
    ),
]
CaBundleOption = Annotated[
    Path | None, typer.Option("--ca-bundle", help="PEM file with an extra CA to trust.")
]
TimezoneOption = Annotated[
    str, typer.Option("--timezone", help="Time zone of the cron lines in targets.toml.")
]
PostgresOption = Annotated[str, typer.Option("--db", help="postgresql://USER@HOST/DB shared by all workers.")]


class Exit(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def errors_to_exit_codes() -> Iterator[None]:
    """Every error a user can cause or fix becomes one clear line and an exit code."""
    try:
        yield
    except Exit as error:
        console.print(f"[red]govscan:[/red] {markup_text(error)}")
        raise typer.Exit(error.code) from None
    except ConfigError as error:
        console.print(f"[red]govscan: the configuration has {len(error.problems)} problem(s):[/red]")
        for problem in error.problems:
            console.print(f"  {markup_text(problem)}", highlight=False)
        raise typer.Exit(2) from None
    except (DatabaseUrlError, ConnectToError, ScanLookupError, CaBundleError, CronError) as error:
        console.print(f"[red]govscan:[/red] {markup_text(error)}")
        raise typer.Exit(2) from None
    except (ChromiumNotFound, TrustStoreError, DatabaseUnavailable) as error:
        console.print(f"[red]govscan:[/red] {markup_text(error)}")
        raise typer.Exit(3) from None


def network_options(connect_to: list[str] | None, ca_bundle: Path | None) -> NetworkSettings:
    if ca_bundle is not None:
        if not ca_bundle.is_file():
            raise Exit(2, f"--ca-bundle {ca_bundle}: file not found")
        read_ca_bundle(ca_bundle)  # fails early with a clear message when it holds no certificate
    return NetworkSettings.build(connect_to or [], ca_bundle.resolve() if ca_bundle else None)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        stdout.print(f"govscan {__version__}")
        raise typer.Exit(0)
