"""Reference data is downloaded on request into a cache, with version and hash, never at scan time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.datasets import (
    DATASETS,
    Dataset,
    DatasetError,
    installed,
    register_dataset,
    update,
    versions_in_use,
)
from scanner.net.client import NetClient

from localweb import LocalWeb

LIST = b"[Adblock Plus 2.0]\n! Version: 202611261200\n! Title: Testliste\n||tracker.example^\n"


def version_line(data: bytes) -> str | None:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("! Version:"):
            return line.split(":", 1)[1].strip()
    return None


@pytest.fixture(scope="module")
def list_origin(local_web: LocalWeb) -> str:
    return local_web.site("listen.daten-quelle.de", {"/liste.txt": LIST})


@pytest.fixture
def test_list(list_origin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GOVSCAN_DATA_DIR", str(tmp_path / "daten"))
    dataset = Dataset(
        "testliste", list_origin + "/liste.txt", "testliste.txt", "CC0", "Testliste", version_line
    )
    register_dataset(dataset)
    yield dataset
    DATASETS.pop("testliste")


async def test_update_downloads_into_the_cache_and_records_version_and_hash(test_list, network) -> None:
    assert installed("testliste") is None and "testliste" not in versions_in_use()

    async with NetClient(network) as client:
        copy = await update(test_list, client)

    assert copy.path.read_bytes() == LIST
    assert copy.version == "202611261200"
    assert installed("testliste") == copy
    assert versions_in_use()["testliste"]["sha256"] == copy.sha256


async def test_a_failed_download_keeps_the_previous_copy(test_list, network) -> None:
    async with NetClient(network) as client:
        first = await update(test_list, client)
        missing = Dataset("testliste", test_list.url + ".fehlt", "testliste.txt", "CC0", "Testliste")
        with pytest.raises(DatasetError, match="HTTP 404"):
            await update(missing, client)

    assert installed("testliste") == first
