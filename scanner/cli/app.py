"""The ``govscan`` command.

Exit codes: 0 done; 1 a scan could not test anything (its failure class is stored); 2 bad input
(configuration, options, paths, database URLs, unknown scan or target, ``--resume`` with nothing
to resume): nothing was written; 3 the environment lacks something (Chromium, certutil, a database
server that does not answer); 4 ``--fail-on`` found findings (``reports.gate``); 5 a scan is
incomplete: a limit (time budget, max_pages) stopped it while URLs were still queued (1 and 4 take
precedence); 130 interrupted (resume with ``govscan scan --resume``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from scanner import __version__
from scanner.capture.browser import ChromiumNotFound
from scanner.config.targets import ConfigError
from scanner.dns.servers import DnsServer, DnsServerError
from scanner.net.connect_to import ConnectToError
from scanner.net.network import NetworkSettings
from scanner.net.trust import CaBundleError, TrustStoreError, read_ca_bundle
from scanner.schedule.cron import CronError
from scanner.store.db import DatabaseUnavailable, DatabaseUrlError
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
DnsServerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dns-server",
        metavar="HOST:PORT",
        help="Ask this DNS server (repeatable; replaces dns_servers and /etc/resolv.conf).",
    ),
]
TimezoneOption = Annotated[
    str, typer.Option("--timezone", help="Time zone of the cron lines in targets.toml.")
]
PostgresOption = Annotated[str, typer.Option("--db", help="postgresql://USER@HOST/DB shared by all workers.")]


INCOMPLETE_EXIT_CODE = 5  # the scan's results are real but not the whole site: not a clean pass


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


def network_options(
    connect_to: list[str] | None, ca_bundle: Path | None, dns_servers: list[str] | None = None
) -> NetworkSettings:
    for server in dns_servers or []:
        try:
            DnsServer.parse(server)
        except DnsServerError as error:
            raise Exit(2, f"--dns-server {server}: {error}") from None
    if ca_bundle is not None:
        if ca_bundle.is_dir():
            raise Exit(2, f"--ca-bundle {ca_bundle}: is a folder, expected a PEM file")
        if not ca_bundle.is_file():
            raise Exit(2, f"--ca-bundle {ca_bundle}: file not found, expected a PEM file")
        read_ca_bundle(ca_bundle)  # fails early with a clear message when it holds no certificate
    return NetworkSettings.build(
        connect_to or [], ca_bundle.resolve() if ca_bundle else None, dns_servers=dns_servers or []
    )


def output_folder(out: Path, option: str = "--out") -> Path:
    """Refuse, before any work, an output folder that cannot be made: its parent must exist
    (a typo in the path is an error, not a new tree of folders), it must be writable."""
    if out.exists() and not out.is_dir():
        raise Exit(2, f"{option} {out}: is a file, expected a folder")
    if not out.exists() and not out.absolute().parent.is_dir():
        raise Exit(2, f"{option} {out}: the folder {out.absolute().parent} does not exist")
    writable_dir = out if out.exists() else out.absolute().parent
    if not os.access(writable_dir, os.W_OK | os.X_OK):
        raise Exit(2, f"{option} {out}: the folder {writable_dir} is not writable")
    return out


def output_file(out: Path, option: str = "--out") -> Path:
    """Refuse, before any work, an output file that cannot be written."""
    folder = out.absolute().parent
    if out.is_dir():
        raise Exit(2, f"{option} {out}: is a folder, expected a file name")
    if not folder.is_dir():
        raise Exit(2, f"{option} {out}: the folder {folder} does not exist")
    if not os.access(out if out.exists() else folder, os.W_OK):
        raise Exit(2, f"{option} {out}: not writable")
    return out


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        stdout.print(f"govscan {__version__}")
        raise typer.Exit(0)
