"""The one way the mail checks (mail_auth, mail_policy, mail_transport) word a defect."""

from __future__ import annotations

from scanner.findings.registry import Finding, Result, Severity, Text


def fail(subject: str, de: str, en: str, evidence: dict, severity: Severity | None = None) -> Finding:
    """A fail finding with its message in both languages; ``severity`` None: the check's own."""
    return Finding(
        result=Result.FAIL, message=Text(de, en), subject=subject, evidence=evidence, severity=severity
    )
