"""Downloadable reference data (filter lists, HSTS preload list): never bundled, never needed by tests.

A family registers a dataset (name, where it comes from, its licence); `govscan data update`
downloads it into the user's cache, records its version and hash, and scans record which versions
they used. Without a download the checks that would use a dataset say so in their evidence; they do
not pretend it is empty. Tests point ``GOVSCAN_DATA_DIR`` at a folder with small files of their own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scanner.families import import_modules
from scanner.net.client import HttpFailure, NetClient

MAX_DATASET_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Dataset:
    name: str  # e.g. "easyprivacy", "hsts-preload"
    url: str
    filename: str
    licence: str
    description: str
    version_of: Callable[[bytes], str | None] = lambda data: (
        None
    )  # e.g. the "! Version:" line of a filter list


DATASETS: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> Dataset:
    if dataset.name in DATASETS:
        raise ValueError(f"dataset {dataset.name!r} is registered twice")
    DATASETS[dataset.name] = dataset
    return dataset


def data_dir() -> Path:
    """``$GOVSCAN_DATA_DIR``, else ``$XDG_CACHE_HOME/govscan/data``, else ``~/.cache/govscan/data``."""
    configured = os.environ.get("GOVSCAN_DATA_DIR")
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "govscan" / "data"


@dataclass(frozen=True)
class InstalledDataset:
    name: str
    path: Path
    sha256: str
    version: str | None
    downloaded_at: str
    source: str

    def as_record(self) -> dict[str, str | None]:
        """What a scan stores about the data it used."""
        return {
            "sha256": self.sha256,
            "version": self.version,
            "downloaded_at": self.downloaded_at,
            "source": self.source,
        }


def installed(name: str) -> InstalledDataset | None:
    """The downloaded copy of a dataset, or None when `govscan data update` has not fetched it."""
    metadata = data_dir() / f"{name}.json"
    if not metadata.is_file():
        return None
    record = json.loads(metadata.read_text(encoding="utf-8"))
    path = data_dir() / record["filename"]
    if not path.is_file():
        return None
    return InstalledDataset(
        name, path, record["sha256"], record.get("version"), record["downloaded_at"], record["source"]
    )


async def update(dataset: Dataset, client: NetClient) -> InstalledDataset:
    """Download one dataset into the cache; the previous copy stays until the new one is complete."""
    response = await client.fetch(dataset.url, max_bytes=MAX_DATASET_BYTES)
    if isinstance(response, HttpFailure):
        raise DatasetError(
            f"{dataset.name}: {dataset.url}: {response.failure_class.value} ({response.detail})"
        )
    if response.status != 200 or response.truncated:
        problem = "larger than the limit" if response.truncated else f"HTTP {response.status}"
        raise DatasetError(f"{dataset.name}: {dataset.url}: {problem}")
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".{dataset.filename}.partial"
    partial.write_bytes(response.body)
    partial.replace(directory / dataset.filename)
    record = {
        "filename": dataset.filename,
        "sha256": hashlib.sha256(response.body).hexdigest(),
        "version": dataset.version_of(response.body),
        "downloaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": dataset.url,
    }
    (directory / f"{dataset.name}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    result = installed(dataset.name)
    assert result is not None
    return result


def load_all_datasets() -> dict[str, Dataset]:
    """Every family's datasets (their modules register them when imported)."""
    import_modules("datasets")
    return DATASETS


def versions_in_use() -> dict[str, dict[str, str | None]]:
    """Every registered dataset that is installed, for the scan's engine_versions."""
    load_all_datasets()
    return {name: copy.as_record() for name in sorted(DATASETS) if (copy := installed(name))}


class DatasetError(RuntimeError):
    pass
