"""Evidence of the mail probes of a mail domain: its DNS policies (``mail-policy``: MX, SPF,
DMARC, DKIM presence, MTA-STS with its policy file, TLS-RPT, DNSSEC of the domain and the MX)
and its mail servers' transport security (``smtp-tls``: STARTTLS on port 25 of every MX as
sslyze sees it, DANE TLSA, DNSSEC).
Plain values, for the checks to judge. A part whose DNS did not answer is named in ``not_tested``
with the reason and left ``None``: it is judged neither as a pass nor as a fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.evidence.typed import TypedEvidence

MAIL_POLICY_PROBE = "mail-policy"
SMTP_TLS_PROBE = "smtp-tls"
MAIL_PROBE_PORT = 25  # the port of their results: the mail of a domain, delivered to its MX on 25


@dataclass(frozen=True)
class MailPolicyEvidence(TypedEvidence):
    KIND = MAIL_POLICY_PROBE

    domain: str
    mx: dict[str, Any]  # MxSet.to_json(): exchangers, null_mx, implicit
    spf: dict[str, Any] | None = None  # SpfPolicy.to_json()
    dmarc: dict[str, Any] | None = None  # DmarcPolicy.to_json()
    dkim: dict[str, Any] | None = None  # {"name", "exists"}
    mta_sts: dict[str, Any] | None = None  # record, id, policy_url, fetch, policy, uncovered
    tls_rpt: dict[str, Any] | None = None  # TlsRptRecord.to_json()
    dnssec: dict[str, Any] = field(default_factory=dict)  # name -> {"status", "reason", "zone"}: domain, MX
    not_tested: dict[str, str] = field(default_factory=dict)  # part -> why it was not tested
    servers: tuple[str, ...] = ()

    @property
    def mx_hosts(self) -> list[str]:
        return [entry["host"] for entry in self.mx.get("exchangers", []) if entry["host"] != "."]

    @property
    def receives_mail(self) -> bool:
        return bool(self.mx_hosts) and not self.mx.get("null_mx")

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> MailPolicyEvidence:
        return super().from_fields({**fields, "servers": tuple(fields.get("servers", ()))})


@dataclass(frozen=True)
class SmtpTlsEvidence(TypedEvidence):
    """One entry per MX (``servers``): ``tested`` False with ``failure_class`` and ``reason`` when
    port 25 could not be reached (not tested), else the STARTTLS answer and, when the handshake
    worked, the same TLS facts the ``tls`` probe records for the web (``tls``), the TLSA records
    at ``_25._tcp.<mx>`` with their DNSSEC status and which of them match the presented chain."""

    KIND = SMTP_TLS_PROBE

    domain: str
    mx: dict[str, Any]  # MxSet.to_json()
    servers: tuple[dict[str, Any], ...] = ()
    dnssec: dict[str, Any] = field(default_factory=dict)  # zone -> {"status", "reason"}: the domain, each MX
    skipped: tuple[str, ...] = ()  # MX beyond the limit of servers tested per domain

    @property
    def tested(self) -> list[dict[str, Any]]:
        return [server for server in self.servers if server.get("tested")]

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> SmtpTlsEvidence:
        tuples = {name: tuple(fields[name]) for name in ("servers", "skipped") if name in fields}
        return super().from_fields({**fields, **tuples})
