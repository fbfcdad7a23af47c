"""How every view says that a scan stopped early (``ScanStatus.INCOMPLETE``): one wording, one place.

An incomplete scan is usable (its findings are real) but never clean: the scan report opens with a
banner, and the history views (web team, diff, trend) carry a note for the scan and for a baseline
that stopped early.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.store.scans import ScanStatus, scan_status

if TYPE_CHECKING:
    from reports.history import ScanHistory
    from reports.labels import Texts
    from scanner.store.models import Scan


def is_incomplete(scan: Scan) -> bool:
    return scan_status(scan) is ScanStatus.INCOMPLETE


def stop_reason(scan: Scan, texts: Texts) -> str:
    return texts["stop_reasons"].get(scan.stopped_by or "", scan.stopped_by or texts["none"])


def not_visited_text(scan: Scan, texts: Texts) -> str:
    return texts.plural("n_urls", int((scan.summary or {}).get("not_visited") or 0))


def incomplete_report_note(scan: Scan, texts: Texts) -> str:
    return texts["incomplete_note"].format(
        reason=stop_reason(scan, texts), not_visited=not_visited_text(scan, texts)
    )


def incomplete_scan_note(scan: Scan, texts: Texts) -> str:
    return texts["incomplete_scan_note"].format(
        scan=scan.id, reason=stop_reason(scan, texts), not_visited=not_visited_text(scan, texts)
    )


def history_notes(history: ScanHistory, texts: Texts) -> list[str]:
    """Notes for a comparison: the later scan stopped early, the baseline stopped early."""
    notes = []
    if is_incomplete(history.scan):
        notes.append(incomplete_scan_note(history.scan, texts))
    if history.baseline is not None and is_incomplete(history.baseline):
        baseline = history.baseline
        notes.append(
            texts["incomplete_baseline_note"].format(scan=baseline.id, reason=stop_reason(baseline, texts))
        )
    return notes
