"""Finding evidence (free-form JSON from the checks) shaped into the lists and tables the report shows.

Values stay plain strings here; the template escapes them like everything else from scanned pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reports.labels import Texts

MAX_EVIDENCE_DEPTH = 4  # deeper evidence is shown as compact JSON
MAX_TABLE_COLUMNS = 8
REQUEST_COLUMNS = ("req_url", "req_type", "req_initiator", "req_status")  # labels of the requests table


@dataclass(frozen=True)
class EvidenceNode:
    """Evidence JSON shaped for display: text, a definition list, a list, a table or a JSON block."""

    kind: str  # text | map | list | table | json
    text: str = ""
    entries: tuple[tuple[str, EvidenceNode], ...] = ()
    items: tuple[EvidenceNode, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    table_id: str = ""
    caption: str = ""


def shape_evidence(
    value: Any, texts: Texts, ids: Iterator[int], *, caption: str, key: str | None = None, depth: int = 0
) -> EvidenceNode:
    """Evidence JSON as a definition list, with lists of records as small tables."""
    if _is_scalar(value):
        return EvidenceNode("text", text=_scalar(value, texts))
    if depth >= MAX_EVIDENCE_DEPTH:
        return EvidenceNode("json", text=json.dumps(value, ensure_ascii=False, indent=1))
    if isinstance(value, dict | list) and not value:
        return EvidenceNode("text", text=texts["none"])
    if isinstance(value, dict):
        return _shape_map(value, texts, ids, caption=caption, depth=depth)
    if isinstance(value, list):
        return _shape_list(value, texts, ids, caption=caption, key=key, depth=depth)
    return EvidenceNode("text", text=str(value))


def _shape_map(
    value: dict[Any, Any], texts: Texts, ids: Iterator[int], *, caption: str, depth: int
) -> EvidenceNode:
    entries = tuple(
        (str(name), shape_evidence(child, texts, ids, caption=caption, key=str(name), depth=depth + 1))
        for name, child in value.items()
    )
    return EvidenceNode("map", entries=entries)


def _shape_list(
    value: list[Any], texts: Texts, ids: Iterator[int], *, caption: str, key: str | None, depth: int
) -> EvidenceNode:
    if all(_is_scalar(item) for item in value):
        return EvidenceNode("text", text=", ".join(_scalar(item, texts) for item in value))
    if all(isinstance(item, dict) for item in value):
        table = _table(value, texts, ids, caption=f"{key or texts['evidence']} – {caption}", key=key)
        if table is not None:
            return table
    items = tuple(
        shape_evidence(item, texts, ids, caption=caption, key=key, depth=depth + 1) for item in value
    )
    return EvidenceNode("list", items=items)


def _table(
    records: list[dict[str, Any]], texts: Texts, ids: Iterator[int], *, caption: str, key: str | None
) -> EvidenceNode | None:
    """A table of records, or None when they have too many distinct fields to fit one."""
    if key == "requests":
        columns = tuple(texts[label] for label in REQUEST_COLUMNS)
        rows = tuple(_request_row(record, texts) for record in records)
    else:
        names = list(dict.fromkeys(str(name) for record in records for name in record))
        if len(names) > MAX_TABLE_COLUMNS:
            return None
        columns = tuple(names)
        rows = tuple(tuple(_cell(record.get(name), texts) for name in names) for record in records)
    return EvidenceNode(
        "table", columns=columns, rows=rows, table_id=f"evidence-table-{next(ids)}", caption=caption
    )


def _request_row(record: dict[str, Any], texts: Texts) -> tuple[str, ...]:
    # Without an initiator URL a request still has the initiator's type; without a response, its failure.
    status = record.get("status") if record.get("status") is not None else record.get("failure")
    return (
        _cell(record.get("url"), texts),
        _cell(record.get("resource_type"), texts),
        _cell(record.get("initiator") or record.get("initiator_type"), texts),
        _cell(status, texts),
    )


def _cell(value: Any, texts: Texts) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _scalar(value, texts)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _scalar(value: Any, texts: Texts) -> str:
    if value is None:
        return texts["none"]
    if isinstance(value, bool):
        return texts["yes"] if value else texts["no"]
    return str(value)
