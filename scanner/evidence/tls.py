"""Evidence of the ``tls`` host probe: sslyze's answers as plain facts, judged by the TLS checks.

The nested records (protocols with their suites, certificate, trust, vulnerability tests) keep
the JSON shape the probe has always stored, so the TLS profiles and old scans read them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from scanner.evidence.typed import TypedEvidence

TLS_PROBE = "tls"
# One source for the profile names (data in checks/security/data/tls_profiles) and the default.
TlsProfileName = Literal["mozilla-intermediate", "mozilla-modern", "bsi"]
TLS_PROFILES: tuple[str, ...] = get_args(TlsProfileName)
DEFAULT_TLS_PROFILE: TlsProfileName = "mozilla-intermediate"


@dataclass(frozen=True)
class TlsEvidence(TypedEvidence):
    """One sslyze run against host:443 plus OpenSSL's chain trust (see ``scanner/probes/tls.py``)."""

    KIND = TLS_PROBE

    scanner: str | None = None  # "sslyze <version>"
    server: dict[str, Any] | None = None  # {"address", "port"}
    protocols: dict[str, Any] = field(default_factory=dict)  # name -> {"offered": bool|None, "suites": [...]}
    groups: list[str] | None = None  # None: not tested
    certificate: dict[str, Any] | None = None
    vulnerabilities: dict[str, Any] = field(default_factory=dict)  # test -> answer (None: not tested)
    errors: dict[str, str] = field(default_factory=dict)  # scan commands that did not complete
    trust: dict[str, Any] = field(default_factory=dict)  # {"trusted", "store", "error"[, "code"]}
    attempts: int = 1
    probed_at: str | None = None  # ISO time of the scan, for certificate expiry
