"""Strings of the history views (web team, trend, portfolio, diff), German and English.

They extend the single-scan report's strings (``reports.labels``), which keep the shared ones
(families, severities, results, table words, the disclaimer).
"""

from __future__ import annotations

from typing import Any

from reports.labels import LABELS, Texts

VIEW_LABELS: dict[str, dict[str, Any]] = {
    "de": {
        "kinds": {
            "webteam": "Befunde für das Web-Team",
            "trend": "Verlauf",
            "portfolio": "Portfolio aller Ziele",
            "diff": "Vergleich zweier Scans",
        },
        "webteam_heading": "Befunde für das Web-Team: {target}",
        "trend_heading": "Verlauf: {target}",
        "portfolio_heading": "Portfolio: {n} Ziele",
        "diff_heading": "Vergleich: {target}, Scan {before} → Scan {after}",
        "scan_line": "Scan {scan} vom {date}",
        "baseline_line": "Verglichen mit Scan {scan} vom {date}",
        "no_baseline": "Kein früherer abgeschlossener Scan dieses Ziels: ohne Vergleich keine Markierung "
        "„neu“ oder „bestehend“.",
        "summary": "Zusammenfassung",
        "groups_heading": "Zu behebende Probleme",
        "groups_intro": "{groups} mit {occurrences} auf {pages}. Gleiche Probleme auf mehreren Seiten (und "
        "solche im Kopf-, Navigations- oder Fußbereich) stehen als ein Eintrag: einmal in der Vorlage "
        "beheben.",
        "n_groups": ("{n} Problem", "{n} Probleme"),
        "n_occurrences_plain": ("{n} Fundstelle", "{n} Fundstellen"),
        "fix_once": "Einmal beheben: {occurrences} auf {pages}",
        "fix_once_hosts": "Einmal beheben: {occurrences}",
        "template": "Vorlage",
        "regions": {"header": "Kopfbereich", "navigation": "Navigation", "footer": "Fußbereich"},
        "template_region": "wahrscheinlich Seitenvorlage ({region})",
        "template_pages": "wahrscheinlich Seitenvorlage (auf mehreren Seiten)",
        "changes": {
            "new": "neu",
            "persisting": "bestehend",
            "fixed": "behoben",
            "not-rechecked": "nicht erneut geprüft",
        },
        "check_added": "neu geprüft (Prüfung im Vergleichsscan nicht enthalten)",
        "n_new": ("{n} neu", "{n} neu"),
        "decisions": {
            "confirmed": "bestätigt",
            "false-positive": "Fehlalarm",
            "accepted": "akzeptiert",
        },
        "decision_by": "{decision}: {reason} ({by}, {date})",
        "decision_lapsed": "frühere Bewertung hinfällig, Befund hat sich geändert ({decision}, {date})",
        "n_suppressed": ("{n} unterdrückt", "{n} unterdrückt"),
        "suppressed_heading": "Unterdrückt durch Bewertung",
        "suppressed_intro": "Diese Befunde wurden als Fehlalarm oder akzeptiert bewertet. Sie sind nicht "
        "verborgen, zählen aber nicht als offen.",
        "suppressed_none": "Keine Befunde unterdrückt.",
        "fingerprint": "Fingerabdruck",
        "pages": "Seiten",
        "occurrences": "Fundstellen",
        "where": "Ort",
        "change": "Änderung",
        "review": "Bewertung",
        "variants": "Varianten",
        "more_variants": ("und {n} weitere Variante", "und {n} weitere Varianten"),
        "show_pages": ("{n} Fundstelle anzeigen", "{n} Fundstellen anzeigen"),
        "no_open": "Keine offenen Befunde: keine automatisch feststellbaren Mängel auf den geprüften Seiten "
        "(Abdeckung im Prüfbericht des Scans).",
        "gone_heading": "Seit Scan {scan} verschwunden",
        "fixed_intro": "Behoben: der Scan hat dieselbe Stelle erneut geprüft und das Problem nicht mehr "
        "gefunden.",
        "not_rechecked_intro": "Nicht erneut geprüft: die Stelle wurde in diesem Scan nicht getestet "
        "(Seite nicht erreicht oder fehlgeschlagen, Prüfung nicht gelaufen); das ist keine Behebung.",
        "none_gone": "Nichts verschwunden.",
        "version_heading": "Geänderte Werkzeugversionen",
        "version_intro": "Zwischen den verglichenen Scans haben sich Versionen geändert. Neue oder "
        "verschwundene Befunde können daher vom Werkzeug statt von der Website kommen.",
        "version_caption": "Versionen: vorher und nachher",
        "component": "Bestandteil",
        "before": "vorher",
        "after": "nachher",
        "count_caption": "Änderungen nach Familie",
        "family": "Familie",
        "total": "Summe",
        "suppressed": "unterdrückt",
        "open": "offen",
        "diff_lists": "Befunde nach Änderung",
        "diff_group_caption": "{change}: Befunde",
        "what": "Betroffen",
        "trend_charts": "Offene Befunde im Verlauf",
        "trend_intro": "{scans} von {first} bis {last}. Offen: alle Befunde (Mängel und zu prüfen) ohne die "
        "durch Bewertung unterdrückten; aktuelle Bewertungen gelten für den ganzen Verlauf. "
        "Mit {mark} markierte Scans liefen mit geänderten Werkzeugversionen.",
        "n_scans": ("{n} abgeschlossener Scan", "{n} abgeschlossene Scans"),
        "chart_family": "Offene Befunde nach Familie",
        "chart_severity": "Offene Befunde nach Schweregrad",
        "chart_changes": "Neu und behoben je Scan",
        "chart_note": "Diagramm; die Werte stehen in der folgenden Tabelle.",
        "scan": "Scan",
        "date": "Datum",
        "day": "Tag",
        "tested_pages": "getestete Seiten",
        "versions_changed": "Versionswechsel",
        "new": "neu",
        "fixed": "behoben",
        "not_rechecked": "nicht erneut geprüft",
        "scans_heading": "Scans",
        "scans_caption": "Alle Scans dieses Ziels",
        "no_scans": "Noch kein abgeschlossener Scan: kein Verlauf.",
        "failed_scans": "Fehlgeschlagene oder unvollständige Scans zählen im Verlauf nicht; sie stehen in "
        "der Tabelle.",
        "ranking_heading": "Rangfolge der Ziele",
        "ranking_intro": "Nach dem letzten abgeschlossenen Scan je Ziel, geordnet nach offenen Mängeln: "
        "zuerst kritische, dann schwerwiegende, mittlere, geringe; danach nach allen offenen Befunden.",
        "ranking_caption": "Ziele nach offenen Befunden (letzter Scan)",
        "rank": "Rang",
        "target": "Ziel",
        "per_page": "je getestete Seite",
        "chart_ranking": "Offene Mängel je Ziel nach Schweregrad",
        "portfolio_charts": "Alle Ziele im Verlauf",
        "portfolio_intro": "Summe über alle Ziele: an jedem Tag mit einem Scan zählt für jedes Ziel sein "
        "letzter abgeschlossener Scan bis zu diesem Tag. Mit {mark} markierte Tage: mindestens ein Scan lief "
        "mit geänderten Werkzeugversionen.",
        "targets_without_scans": "Ziele ohne abgeschlossenen Scan: {names}.",
        "version_table_caption": "Werkzeugversionen je Scan (nur Änderungen)",
        "no_version_changes": "Keine Versionswechsel.",
        "diff_empty": "Keiner der beiden Scans hat Befunde.",
        "diff_intro": "Neu: im späteren Scan, nicht im früheren. Behoben: im früheren, und die Stelle wurde "
        "erneut geprüft. Nicht erneut geprüft: im früheren, die Stelle wurde aber nicht wieder getestet.",
    },
    "en": {
        "kinds": {
            "webteam": "Findings for the web team",
            "trend": "Trend",
            "portfolio": "Portfolio of all targets",
            "diff": "Comparison of two scans",
        },
        "webteam_heading": "Findings for the web team: {target}",
        "trend_heading": "Trend: {target}",
        "portfolio_heading": "Portfolio: {n} targets",
        "diff_heading": "Comparison: {target}, scan {before} → scan {after}",
        "scan_line": "Scan {scan} of {date}",
        "baseline_line": "Compared with scan {scan} of {date}",
        "no_baseline": "No earlier completed scan of this target: without a comparison nothing is marked "
        "“new” or “persisting”.",
        "summary": "Summary",
        "groups_heading": "Problems to fix",
        "groups_intro": "{groups} with {occurrences} on {pages}. The same problem on several pages (and "
        "problems in the header, navigation or footer) is one entry: fix it once in the template.",
        "n_groups": ("{n} problem", "{n} problems"),
        "n_occurrences_plain": ("{n} occurrence", "{n} occurrences"),
        "fix_once": "Fix once: {occurrences} on {pages}",
        "fix_once_hosts": "Fix once: {occurrences}",
        "template": "Template",
        "regions": {"header": "header", "navigation": "navigation", "footer": "footer"},
        "template_region": "probably the page template ({region})",
        "template_pages": "probably the page template (on several pages)",
        "changes": {
            "new": "new",
            "persisting": "persisting",
            "fixed": "fixed",
            "not-rechecked": "not re-checked",
        },
        "check_added": "newly checked (the check was not part of the baseline scan)",
        "n_new": ("{n} new", "{n} new"),
        "decisions": {
            "confirmed": "confirmed",
            "false-positive": "false positive",
            "accepted": "accepted",
        },
        "decision_by": "{decision}: {reason} ({by}, {date})",
        "decision_lapsed": "earlier review lapsed, the finding has changed ({decision}, {date})",
        "n_suppressed": ("{n} suppressed", "{n} suppressed"),
        "suppressed_heading": "Suppressed by review",
        "suppressed_intro": "These findings were reviewed as false positive or accepted. They are not "
        "hidden, but they do not count as open.",
        "suppressed_none": "No findings suppressed.",
        "fingerprint": "Fingerprint",
        "pages": "Pages",
        "occurrences": "Occurrences",
        "where": "Where",
        "change": "Change",
        "review": "Review",
        "variants": "Variants",
        "more_variants": ("and {n} more variant", "and {n} more variants"),
        "show_pages": ("Show {n} occurrence", "Show {n} occurrences"),
        "no_open": "No open findings: no automatically detectable defects on the pages tested "
        "(coverage in the scan's audit report).",
        "gone_heading": "Gone since scan {scan}",
        "fixed_intro": "Fixed: the scan tested the same place again and no longer found the problem.",
        "not_rechecked_intro": "Not re-checked: the place was not tested in this scan (page not reached "
        "or failed, check did not run); this is not a fix.",
        "none_gone": "Nothing gone.",
        "version_heading": "Changed tool versions",
        "version_intro": "Versions changed between the scans compared. New or vanished findings may "
        "therefore come from the tool rather than from the website.",
        "version_caption": "Versions: before and after",
        "component": "Component",
        "before": "before",
        "after": "after",
        "count_caption": "Changes by family",
        "family": "Family",
        "total": "Total",
        "suppressed": "suppressed",
        "open": "open",
        "diff_lists": "Findings by change",
        "diff_group_caption": "{change}: findings",
        "what": "Subject",
        "trend_charts": "Open findings over time",
        "trend_intro": "{scans} from {first} to {last}. Open: all findings (defects and to review) except "
        "those suppressed by review; current reviews apply to the whole history. "
        "Scans marked {mark} ran with changed tool versions.",
        "n_scans": ("{n} completed scan", "{n} completed scans"),
        "chart_family": "Open findings by family",
        "chart_severity": "Open findings by severity",
        "chart_changes": "New and fixed per scan",
        "chart_note": "Chart; the values are in the following table.",
        "scan": "Scan",
        "date": "Date",
        "day": "Day",
        "tested_pages": "pages tested",
        "versions_changed": "Version changes",
        "new": "new",
        "fixed": "fixed",
        "not_rechecked": "not re-checked",
        "scans_heading": "Scans",
        "scans_caption": "All scans of this target",
        "no_scans": "No completed scan yet: no trend.",
        "failed_scans": "Failed or unfinished scans do not count in the trend; they are listed in the table.",
        "ranking_heading": "Ranking of targets",
        "ranking_intro": "By each target's latest completed scan, ordered by open defects: critical first, "
        "then serious, moderate, minor; then by all open findings.",
        "ranking_caption": "Targets by open findings (latest scan)",
        "rank": "Rank",
        "target": "Target",
        "per_page": "per page tested",
        "chart_ranking": "Open defects per target by severity",
        "portfolio_charts": "All targets over time",
        "portfolio_intro": "Sum over all targets: on every day with a scan, each target counts with its "
        "latest completed scan up to that day. Days marked {mark}: at least one scan ran with changed tool "
        "versions.",
        "targets_without_scans": "Targets without a completed scan: {names}.",
        "version_table_caption": "Tool versions per scan (changes only)",
        "no_version_changes": "No version changes.",
        "diff_empty": "Neither scan has findings.",
        "diff_intro": "New: in the later scan, not in the earlier one. Fixed: in the earlier one, and the "
        "place was tested again. Not re-checked: in the earlier one, but the place was not tested again.",
    },
}


class ViewTexts(Texts):
    """The report's strings plus those of the history views."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.labels = {**LABELS[language], **VIEW_LABELS[language]}
