"""The HSTS preload list (Chromium's ``transport_security_state_static.json``), as a downloaded dataset.

It is never bundled: `govscan data update hsts-preload` fetches it. Without it the Observatory's
preload bonus and the "all redirects preloaded" result cannot be reached, and the grade's
evidence says that the list was not installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scanner.datasets import Dataset, installed, register_dataset

DATASET_NAME = "hsts-preload"
HSTS_PRELOAD = register_dataset(
    Dataset(
        name=DATASET_NAME,
        url="https://raw.githubusercontent.com/chromium/chromium/main/net/http/transport_security_state_static.json",
        filename="transport_security_state_static.json",
        licence="BSD-3-Clause (Chromium)",
        description="HSTS preload list of Chromium (bonus in the HTTP header grade)",
    )
)


@dataclass(frozen=True)
class PreloadList:
    """Host name -> include_subdomains, for entries in mode "force-https"."""

    entries: dict[str, bool]

    def covers(self, host: str) -> bool:
        """Preloaded itself, or below a preloaded domain that includes its subdomains."""
        host = host.lower().rstrip(".")
        if host in self.entries:
            return True
        labels = host.split(".")
        return any(self.entries.get(".".join(labels[index:])) for index in range(1, len(labels)))

    @classmethod
    def parse(cls, data: bytes) -> PreloadList:
        # Chromium's file is JSON with whole-line // comments.
        text = "\n".join(
            line for line in data.decode("utf-8").splitlines() if not line.lstrip().startswith("//")
        )
        entries = {
            entry["name"].lower(): bool(entry.get("include_subdomains"))
            for entry in json.loads(text).get("entries", [])
            if entry.get("mode") == "force-https"
        }
        return cls(entries)


def installed_preload_list() -> PreloadList | None:
    """The downloaded list, or None when `govscan data update` has not fetched it."""
    copy = installed(DATASET_NAME)
    return _parsed(str(copy.path), copy.path.stat().st_mtime_ns) if copy else None


@lru_cache(maxsize=1)
def _parsed(path: str, modified: int) -> PreloadList:
    """Parsed once per file version: Chromium's list is megabytes and every host's grade reads it."""
    return PreloadList.parse(Path(path).read_bytes())
