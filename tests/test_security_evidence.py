"""Typed evidence of the security probes: old stored JSON loads, new JSON keeps the old keys, and the
report shows the TLS profile outcomes stored at scan time."""

from __future__ import annotations

from test_security_report import HOST, TLS_FACTS

from reports.labels import Texts
from reports.security_view import build_security_view
from scanner.evidence import HostProbeResult
from scanner.evidence.http_headers import HttpHeadersEvidence
from scanner.evidence.http_redirect import HttpRedirectEvidence
from scanner.evidence.security_txt import SecurityTxtEvidence
from scanner.evidence.tls import DEFAULT_TLS_PROFILE, TLS_PROFILES, TlsEvidence
from scanner.store.models import HostResult
from scanner.store.security import TlsProfileOutcome


def test_old_results_without_version_load() -> None:
    old = HostProbeResult(HOST, 80, "http-redirect", True, {"http_available": True, "hops": [{"url": "x"}]})
    evidence = old.evidence(HttpRedirectEvidence)
    assert evidence is not None and evidence.http_available and evidence.hops == ({"url": "x"},)
    tls = TlsEvidence.from_json(TLS_FACTS)
    assert tls.protocols["TLSv1.2"]["offered"] is True and tls.probed_at == TLS_FACTS["probed_at"]
    assert HostProbeResult(HOST, 443, "tls", False, {}).evidence(TlsEvidence) is None


def test_json_keeps_the_keys_written_before_versions() -> None:
    missing = SecurityTxtEvidence(found=False, tried=({"url": "u", "status": 404, "final_url": "u"},))
    assert missing.to_json() == {"version": 1, "found": False, "tried": [dict(missing.tried[0])]}
    assert SecurityTxtEvidence.from_json(missing.to_json()) == missing
    graded = HttpHeadersEvidence(algorithm_version=5, preload_list="installed", grade={"score": 1})
    assert "not_graded" not in graded.to_json()
    assert HttpHeadersEvidence.from_json({"algorithm_version": 5, "not_graded": "HTTP 404"}).grade is None


def test_profile_names_and_default_defined_once() -> None:
    assert DEFAULT_TLS_PROFILE in TLS_PROFILES


def test_report_reads_stored_profile_outcomes() -> None:
    row = HostResult(scan_id=1, host=HOST, port=443, probe="tls", ok=True, data=TLS_FACTS)
    stored = [
        TlsProfileOutcome(scan_id=1, host=HOST, port=443, profile=name, profile_version="x", deviations={})
        for name in TLS_PROFILES
    ]
    evaluated = build_security_view([row], DEFAULT_TLS_PROFILE, None, Texts("en"))
    read = build_security_view([row], DEFAULT_TLS_PROFILE, None, Texts("en"), stored)
    assert evaluated is not None and read is not None
    cells = {cell for profile_row in read.tls[0].rows for cell in profile_row.cells}
    assert not any("TLSv1" in cell for cell in cells)  # the stored outcome says no deviation
    assert any("TLSv1" in cell for profile_row in evaluated.tls[0].rows for cell in profile_row.cells)
