"""Optional filter-list matching (EasyPrivacy) with `adblock`; lists come from `govscan data update`.

Lists are never bundled and never needed: without a downloaded list, ``filter_match`` answers None
and the checks rely on the vendor registry alone. The matched rule text is kept as evidence.
"""

from __future__ import annotations

from functools import lru_cache

from scanner.datasets import Dataset, installed, register_dataset
from scanner.evidence import RequestRecord


def _list_version(data: bytes) -> str | None:
    for line in data.decode("utf-8", "replace").splitlines()[:40]:
        if line.startswith("! Version:"):
            return line.split(":", 1)[1].strip()
    return None


EASYPRIVACY = register_dataset(
    Dataset(
        name="easyprivacy",
        url="https://easylist.to/easylist/easyprivacy.txt",
        filename="easyprivacy.txt",
        licence="GPL-3.0-or-later OR CC-BY-SA-3.0 (EasyList authors)",
        description="EasyPrivacy filter list: tracking scripts, pixels and beacons",
        version_of=_list_version,
    )
)
# Chromium resource types -> the request types adblock-rust knows
REQUEST_TYPES = {"xhr": "xmlhttprequest", "fetch": "xmlhttprequest", "ping": "ping", "document": "sub_frame"}


@lru_cache(maxsize=4)
def _engine(path: str, sha256: str):  # keyed by hash: a new download builds a new engine
    import adblock

    filters = adblock.FilterSet(debug=True)  # debug keeps the rule text for the evidence
    with open(path, encoding="utf-8", errors="replace") as handle:
        filters.add_filter_list(handle.read(), format="standard")
    return adblock.Engine(filter_set=filters, optimize=False)


def filter_match(request: RequestRecord, page_url: str) -> dict[str, str] | None:
    """The EasyPrivacy rule that matches ``request``, with the list's version; None without a list."""
    copy = installed(EASYPRIVACY.name)
    if copy is None:
        return None
    request_type = REQUEST_TYPES.get(request.resource_type, request.resource_type)
    result = _engine(str(copy.path), copy.sha256).check_network_urls(request.url, page_url, request_type)
    if not result.matched or result.exception:
        return None
    return {"list": EASYPRIVACY.name, "version": copy.version or "", "rule": result.filter or ""}
