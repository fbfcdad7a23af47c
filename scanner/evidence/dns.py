"""Evidence of the DNS probes of a registrable domain: its DNSSEC status (``dnssec``) and the CAA
record set relevant to it (``caa``). Plain values, for the checks to judge."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scanner.evidence.typed import TypedEvidence

DNSSEC_PROBE = "dnssec"
CAA_PROBE = "caa"
DNS_PROBE_PORT = 53  # the port of their results: they are about a domain, not a host the browser contacted


class DnssecStatus(StrEnum):
    """RFC 4033 §5: what validation from the trust anchor concluded about a name."""

    SECURE = "secure"  # a chain of signatures from the trust anchor validates the name's zone
    INSECURE = "insecure"  # proven (signed denial of a DS) that the chain ends above the name
    BOGUS = "bogus"  # signatures are there but do not validate (wrong key, altered data, expired)
    INDETERMINATE = "indeterminate"  # not decided: no answer, SERVFAIL, a proof govscan cannot check


@dataclass(frozen=True)
class DnssecEvidence(TypedEvidence):
    KIND = DNSSEC_PROBE

    domain: str
    status: str  # a DnssecStatus value
    reason: str
    zone: str | None = None  # the deepest zone the chain reached
    steps: tuple[dict[str, Any], ...] = ()  # {"zone", "status", "detail"} from the root down
    servers: tuple[str, ...] = ()  # the DNS servers asked (HOST:PORT)
    trust_anchor: str = ""  # where the trust anchor came from, and its key tags

    @property
    def dnssec_status(self) -> DnssecStatus:
        return DnssecStatus(self.status)

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> DnssecEvidence:
        return super().from_fields({**fields, **_tuples(fields, "steps", "servers")})


@dataclass(frozen=True)
class CaaEvidence(TypedEvidence):
    KIND = CAA_PROBE

    domain: str
    found_at: str | None = None  # the name holding the relevant set; None: no CAA set at all
    records: tuple[dict[str, Any], ...] = ()  # {"flags", "tag", "value"}
    issuers: tuple[str, ...] = ()  # CA domains allowed by "issue" (empty with records: none allowed)
    wildcard_issuers: tuple[str, ...] = ()  # CA domains allowed to issue wildcard certificates
    looked_at: tuple[str, ...] = ()  # the names asked, from the domain up to its top-level domain
    servers: tuple[str, ...] = ()

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> CaaEvidence:
        names = ("records", "issuers", "wildcard_issuers", "looked_at", "servers")
        return super().from_fields({**fields, **_tuples(fields, *names)})


def _tuples(fields: dict[str, Any], *names: str) -> dict[str, tuple]:
    """JSON lists back to the tuples of the frozen dataclass."""
    return {name: tuple(fields[name]) for name in names if name in fields}
