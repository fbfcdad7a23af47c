"""The report section "Sicherheit": header grade per host, TLS profiles side by side, certificate expiry.

Built from the stored host probe results (``http-headers`` and ``tls``); nothing is re-fetched.
Wording rule as everywhere: a profile row without deviation says so ("keine Abweichung"), never
that a requirement is met.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from checks.security.observatory import ALGORITHM_VERSION
from checks.security.observatory.descriptions import RESULTS, TEST_TITLES
from checks.security.tls_profiles import (
    RULES,
    ProfileOutcome,
    TlsProfile,
    all_profiles,
    binding_profiles,
    evaluate,
)
from reports.labels import Texts
from scanner.evidence.http_headers import HttpHeadersEvidence
from scanner.evidence.tls import TlsEvidence
from scanner.store.models import HostResult
from scanner.store.security import HeaderGrade, TlsProfileOutcome

MAX_LISTED = 4  # deviating values shown per cell; the findings carry the full list

LABELS = {
    "de": {
        "heading": "Sicherheit: Header und TLS je Host",
        "intro": "Bewertung der HTTP-Header nach dem Verfahren des MDN HTTP Observatory "
        "(Algorithmus v{version}) und Vergleich der TLS-Konfiguration mit den Profilen von Mozilla "
        "und BSI, je erstparteilichem Host.",
        "grades": "HTTP-Header-Bewertung",
        "grade_line": "Note {grade} ({score} Punkte, Algorithmus v{version}); "
        "unauffällige Tests: {clean} von {total}",
        "not_graded": "Nicht bewertet: {reason}",
        "not_tested": "Nicht getestet: {reason}",
        "preload": "HSTS-Preload-Liste: {state}",
        "preload_states": {
            "installed": "installiert",
            "not installed": "nicht installiert (kein Preload-Bonus möglich)",
        },
        "grade_caption": "Header-Tests für {host}",
        "test": "Test",
        "result": "Ergebnis",
        "modifier": "Punkte",
        "verdict": "Einstufung",
        "verdicts": {"clean": "unauffällig", "review": "zu prüfen", "defect": "Mangel"},
        "tls": "TLS-Profile im Vergleich",
        "tls_intro": "Verbindlich (Mängel im Befundteil) ist das Profil des Ziels; für Bundesbehörden "
        "zusätzlich BSI. Die übrigen Spalten dienen dem Vergleich.",
        "tls_caption": "TLS-Profile für {host}:{port}",
        "rule": "Kriterium",
        "binding": "verbindlich",
        "benchmark": "Vergleich",
        "states": {"ok": "keine Abweichung", "not_tested": "nicht getestet", "not_applicable": "—"},
        "deviation": "Abweichung: {values}",
        "more": "{n} weitere",
        "certificates": "Zertifikate: Ablaufdaten",
        "certificates_caption": "Ablaufdaten der Zertifikate aller Hosts",
        "host": "Host",
        "subject": "Inhaber",
        "issuer": "Aussteller",
        "not_after": "Gültig bis",
        "days_left": "Tage bei Prüfung",
        "none": "—",
        "no_hosts": "Keine Hosts geprüft.",
    },
    "en": {
        "heading": "Security: headers and TLS per host",
        "intro": "HTTP headers graded with the MDN HTTP Observatory method (algorithm v{version}) and "
        "the TLS configuration compared with the Mozilla and BSI profiles, per first-party host.",
        "grades": "HTTP header grade",
        "grade_line": "Grade {grade} ({score} points, algorithm v{version}); "
        "tests without defect: {clean} of {total}",
        "not_graded": "Not graded: {reason}",
        "not_tested": "Not tested: {reason}",
        "preload": "HSTS preload list: {state}",
        "preload_states": {
            "installed": "installed",
            "not installed": "not installed (no preload bonus possible)",
        },
        "grade_caption": "Header tests for {host}",
        "test": "Test",
        "result": "Result",
        "modifier": "Points",
        "verdict": "Assessment",
        "verdicts": {"clean": "no defect found", "review": "for review", "defect": "defect"},
        "tls": "TLS profiles side by side",
        "tls_intro": "The target's profile is binding (defects in the findings part); for federal "
        "bodies BSI as well. The other columns are for comparison.",
        "tls_caption": "TLS profiles for {host}:{port}",
        "rule": "Criterion",
        "binding": "binding",
        "benchmark": "comparison",
        "states": {"ok": "no deviation", "not_tested": "not tested", "not_applicable": "—"},
        "deviation": "Deviation: {values}",
        "more": "{n} more",
        "certificates": "Certificates: expiry dates",
        "certificates_caption": "Certificate expiry dates of all hosts",
        "host": "Host",
        "subject": "Subject",
        "issuer": "Issuer",
        "not_after": "Valid until",
        "days_left": "Days left when probed",
        "none": "—",
        "no_hosts": "No hosts probed.",
    },
}


@dataclass(frozen=True)
class GradeRow:
    test: str
    result: str
    modifier: str
    verdict: str


@dataclass(frozen=True)
class HostGrade:
    host: str
    table_id: str
    caption: str
    summary: str
    notes: list[str]
    rows: list[GradeRow]


@dataclass(frozen=True)
class ProfileRow:
    rule: str
    cells: list[str]


@dataclass(frozen=True)
class HostTls:
    host: str
    table_id: str
    caption: str
    status: str  # empty when tested
    columns: list[str]
    rows: list[ProfileRow]


@dataclass(frozen=True)
class CertificateRow:
    host: str
    subject: str
    issuer: str
    not_after: str
    days_left: str


@dataclass(frozen=True)
class SecurityView:
    labels: dict
    intro: str
    grades: list[HostGrade]
    tls: list[HostTls]
    certificates: list[CertificateRow]


def build_security_view(
    hosts: list[HostResult],
    tls_profile: str,
    authority_level: str | None,
    texts: Texts,
    tls_outcomes: Sequence[TlsProfileOutcome] = (),
    header_grades: Mapping[str, HeaderGrade] | None = None,
) -> SecurityView | None:
    """None when the scan has no security probe results (older scans, or the probes did not run).

    ``tls_outcomes`` are the profile outcomes stored at scan time; a host without them (scans from
    before they were stored) has its profiles evaluated here from the stored facts instead.
    ``header_grades`` are the grades stored at scan time; scans from before the grade was a check's
    record carry it in the probe's evidence, which is read then.
    """
    headers = [host for host in hosts if host.probe == HttpHeadersEvidence.KIND]
    tls = [host for host in hosts if host.probe == TlsEvidence.KIND]
    if not headers and not tls:
        return None
    labels = LABELS[texts.language]
    binding = binding_profiles(tls_profile, authority_level)
    return SecurityView(
        labels=labels,
        intro=labels["intro"].format(version=ALGORITHM_VERSION),
        grades=[_grade(row, (header_grades or {}).get(row.host), labels, texts) for row in headers],
        tls=[_tls(row, labels, texts, binding, tls_outcomes) for row in tls],
        certificates=[
            _certificate(row, evidence, labels)
            for row in tls
            if row.ok and (evidence := TlsEvidence.from_json(row.data)).certificate
        ],
    )


def _grade(row: HostResult, stored: HeaderGrade | None, labels: dict, texts: Texts) -> HostGrade:
    language = texts.language
    caption = labels["grade_caption"].format(host=row.host)
    if not row.ok:
        summary = labels["not_tested"].format(reason=texts.reason(row.failure_class))
        return HostGrade(row.host, _table_id("grade", row), caption, summary, [], [])
    grade = _stored_grade(stored) if stored else _grade_in_evidence(row)
    notes = [labels["preload"].format(state=labels["preload_states"].get(grade.get("preload_list"), "?"))]
    if "tests" not in grade:
        summary = labels["not_graded"].format(reason=grade.get("not_graded") or labels["none"])
        return HostGrade(row.host, _table_id("grade", row), caption, summary, notes, [])
    tests = grade["tests"]
    summary = labels["grade_line"].format(
        grade=grade["grade"],
        score=grade["score"],
        version=grade["algorithm_version"],
        clean=grade["tests_passed"],
        total=len(tests),
    )
    rows = []
    for name, test in tests.items():
        verdict = "defect" if not test["pass"] else "review" if test["modifier"] < 0 else "clean"
        rows.append(
            GradeRow(
                test=TEST_TITLES[name].get(language),
                result=RESULTS[test["result"]].get(language),
                modifier=f"{test['modifier']:+d}",
                verdict=labels["verdicts"][verdict],
            )
        )
    return HostGrade(row.host, _table_id("grade", row), caption, summary, notes, rows)


def _stored_grade(row: HeaderGrade) -> dict[str, Any]:
    """The grade row in the shape of the check's record (``tests`` only when graded)."""
    grade: dict[str, Any] = {"preload_list": row.preload_list, "not_graded": row.not_graded}
    if row.score is not None:
        grade.update(
            score=row.score,
            grade=row.grade,
            algorithm_version=row.algorithm_version,
            tests_passed=row.tests_passed,
            tests=row.tests,
        )
    return grade


def _grade_in_evidence(row: HostResult) -> dict[str, Any]:
    """Scans from before the grade was a check's record: the probe's evidence held it."""
    evidence = HttpHeadersEvidence.from_json(row.data)
    noted = {"preload_list": evidence.preload_list, "not_graded": evidence.not_graded}
    return {**noted, **(evidence.grade or {})}


def _tls(
    row: HostResult, labels: dict, texts: Texts, binding: list[str], stored: Sequence[TlsProfileOutcome]
) -> HostTls:
    language = texts.language
    profiles = all_profiles()
    columns = [
        f"{profile.title.get(language)} ({labels['binding' if profile.name in binding else 'benchmark']})"
        for profile in profiles
    ]
    caption = labels["tls_caption"].format(host=row.host, port=row.port)
    if not row.ok:
        status = labels["not_tested"].format(reason=texts.reason(row.failure_class))
        return HostTls(row.host, _table_id("tls", row), caption, status, columns, [])
    outcomes = _outcomes(row, profiles, stored)
    used = [rule for rule in RULES if any(rule in profile.rules for profile in profiles)]
    rows = [
        ProfileRow(RULES[rule].get(language), [_cell(outcome, rule, labels) for outcome in outcomes])
        for rule in used
    ]
    return HostTls(row.host, _table_id("tls", row), caption, "", columns, rows)


def _outcomes(
    row: HostResult, profiles: list[TlsProfile], stored: Sequence[TlsProfileOutcome]
) -> list[ProfileOutcome]:
    """The outcomes judged at scan time; evaluated now only for scans that did not store them."""
    mine = {o.profile: o for o in stored if (o.host, o.port) == (row.host, row.port)}
    if all(profile.name in mine for profile in profiles):
        return [
            ProfileOutcome(profile, dict(mine[profile.name].deviations), list(mine[profile.name].not_tested))
            for profile in profiles
        ]
    evidence = TlsEvidence.from_json(row.data)  # an older scan: no outcomes were stored
    return [evaluate(profile, evidence) for profile in profiles]


def _table_id(prefix: str, row: HostResult) -> str:
    return f"{prefix}-{re.sub(r'[^a-z0-9]+', '-', row.host.lower())}-{row.port}"


def _cell(outcome, rule: str, labels: dict) -> str:
    state = outcome.state(rule)
    if state != "deviation":
        return labels["states"][state]
    values = outcome.deviations[rule]
    shown = ", ".join(values[:MAX_LISTED])
    if len(values) > MAX_LISTED:
        shown += ", " + labels["more"].format(n=len(values) - MAX_LISTED)
    return labels["deviation"].format(values=shown)


def _certificate(row: HostResult, evidence: TlsEvidence, labels: dict) -> CertificateRow:
    certificate = evidence.certificate
    assert certificate is not None
    not_after = datetime.fromisoformat(certificate["not_after"])
    probed = evidence.probed_at
    days = f"{(not_after - datetime.fromisoformat(probed)).days}" if probed else labels["none"]
    return CertificateRow(
        host=f"{row.host}:{row.port}",
        subject=certificate["subject"],
        issuer=certificate["issuer"],
        not_after=not_after.strftime("%Y-%m-%d %H:%M UTC"),
        days_left=days,
    )
