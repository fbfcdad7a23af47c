"""Rendering what scans stored: the single-scan HTML report and the JSON/CSV exports.

Reports read the store (``scanner.store.report_queries``, put together per scan in
``reports.queries``) and never re-run checks.
"""

from reports.export import export_document, export_findings
from reports.html import render_scan_report

__all__ = ["export_document", "export_findings", "render_scan_report"]
