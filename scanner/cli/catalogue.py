"""What govscan knows: ``govscan checks``, ``govscan config check`` and ``govscan data``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reports.labels import cli_text
from scanner import __version__
from scanner.cli.app import (
    Exit,
    app,
    config_app,
    console,
    data_app,
    errors_to_exit_codes,
    print_json,
    stdout,
)
from scanner.cli.reporting import check_language
from scanner.config.targets import load_targets
from scanner.text_safety import markup_text, plain


@app.command("checks")
def list_checks(
    check_id: Annotated[str | None, typer.Argument(help="Show the documentation of one check.")] = None,
    lang: Annotated[str, typer.Option("--lang")] = "de",
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List every check with its id, family, scope, severity and references."""
    from scanner.findings.registry import load_all_checks

    registry = load_all_checks()
    with errors_to_exit_codes():
        check_language(lang)
        if check_id is not None:
            if check_id not in registry:
                raise Exit(2, f"unknown check {check_id!r}; 'govscan checks' lists them")
            show_check(registry.get(check_id), lang)
            return
    if json_output:
        print_json([check_as_dict(check) for check in registry])
        return
    text = cli_text(lang)
    table = Table(title=text["checks_title"].format(version=__version__, n=len(registry)))
    for column in text["checks_columns"]:
        table.add_column(column)
    for check in registry:
        references = "; ".join(
            f"{key}: {', '.join(values)}" for key, values in check.references.as_dict().items()
        )
        table.add_row(
            check.id, check.family, check.scope, check.severity, check.doc.title.get(lang), references
        )
    stdout.print(table)


def check_as_dict(check) -> dict:
    doc = check.doc
    return {
        "id": check.id,
        "family": check.family.value,
        "scope": check.scope.value,
        "severity": check.severity.value,
        "module": check.module,
        "references": check.references.as_dict(),
        "doc": {part: getattr(doc, part).__dict__ for part in ("title", "what", "why", "how_to_fix")}
        | {"example": doc.example},
        **({"review": check.review.evidence()["review_note"]} if check.review else {}),
    }


def show_check(check, lang: str) -> None:
    doc = check.doc
    labels = cli_text(lang)["check_parts"]
    stdout.print(f"[bold]{markup_text(check.id)}[/bold] ({check.family}, {check.scope}, {check.severity})")
    stdout.print(f"{labels[4]}: {markup_text(check.module)} ({markup_text(module_path(check.module))})")
    stdout.print(f"[bold]{markup_text(doc.title.get(lang))}[/bold]\n")
    for label, text in zip(
        labels[:4],
        (doc.what.get(lang), doc.why.get(lang), doc.example, doc.how_to_fix.get(lang)),
        strict=True,
    ):
        if text:
            stdout.print(f"[bold]{label}[/bold]\n{markup_text(text, multiline=True)}\n")
    if check.review:  # what its review findings ask of a person
        for label, text in zip(
            cli_text(lang)["check_review"], (check.review.look_at, check.review.why), strict=True
        ):
            stdout.print(f"[bold]{label}[/bold]\n{markup_text(text.get(lang), multiline=True)}\n")


def module_path(module: str) -> str:
    """A module's file, relative to the checkout when it lies inside it (what one greps and opens)."""
    import importlib

    location = Path(importlib.import_module(module).__file__ or module)
    root = Path(__file__).resolve().parents[2]
    return str(location.relative_to(root)) if location.is_relative_to(root) else str(location)


@config_app.command("check")
def config_check(
    targets: Annotated[Path, typer.Argument(help="The file to check.")] = Path("targets.toml"),
) -> None:
    """Validate a targets file; every problem is reported with its line."""
    with errors_to_exit_codes():
        project = load_targets(targets)
    text = cli_text()
    table = Table(title=plain(text["targets_title"].format(file=targets, n=len(project.targets))))
    for column in text["targets_columns"]:
        table.add_column(column)
    for target in project.targets:
        table.add_row(
            plain(target.name),
            plain(", ".join(target.start_urls)),
            target.authority_level,
            str(target.max_pages),
            plain(target.schedule or ""),
        )
    stdout.print(table)


@data_app.command("list")
def data_list() -> None:
    """Show the datasets checks can use, and which are downloaded."""
    from scanner.datasets import data_dir, installed, load_all_datasets

    datasets = load_all_datasets()
    text = cli_text()
    table = Table(title=plain(text["datasets_title"].format(directory=data_dir())))
    for column in text["datasets_columns"]:
        table.add_column(column)
    for name, dataset in sorted(datasets.items()):
        copy = installed(name)
        state = (
            f"{copy.version or copy.sha256[:12]} ({copy.downloaded_at})" if copy else text["dataset_missing"]
        )
        table.add_row(name, dataset.description, dataset.licence, state)
    stdout.print(table)


@data_app.command("update")
def data_update(
    names: Annotated[list[str] | None, typer.Argument(help="Datasets to fetch; default: all.")] = None,
) -> None:
    """Download reference data (filter lists, HSTS preload list) into the user's cache."""
    from scanner.datasets import DatasetError, load_all_datasets, update
    from scanner.net.client import NetClient

    datasets = load_all_datasets()
    with errors_to_exit_codes():
        unknown = sorted(set(names or []) - set(datasets))
        if unknown:
            raise Exit(
                2, f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(sorted(datasets)) or 'none'}"
            )

    async def fetch_all() -> list[str]:
        problems = []
        async with NetClient(user_agent=f"govscan/{__version__}", timeout=120) as client:
            for name in names or sorted(datasets):
                try:
                    copy = await update(datasets[name], client)
                    typer.echo(f"{name}: {copy.version or copy.sha256[:12]} -> {copy.path}")
                except DatasetError as error:
                    problems.append(str(error))
        return problems

    problems = asyncio.run(fetch_all())
    for problem in problems:
        console.print(f"[red]govscan:[/red] {markup_text(problem)}")
    if problems:
        raise typer.Exit(1)
