"""The tls probe against local servers with distinct configurations: each yields exactly its findings."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from pathlib import Path

import pytest
import trustme

from checks.security.tls_profiles import RULES, all_profiles, evaluate, load_profile
from scanner.config.targets import ConfigError, parse_targets
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import FailureClass, HostProbeResult
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_host_checks
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings
from scanner.probes.tls import probe_tls

from tlsservers import TlsServer, server_context

CONFIGURATIONS = {
    "gut.tls-amt.de": {},
    "alt.tls-amt.de": {"oldest": ssl.TLSVersion.TLSv1, "ciphers": "ECDHE+AESGCM:ECDHE+AES:@SECLEVEL=0"},
    "schwach.tls-amt.de": {"key_type": trustme.KeyType.RSA, "ciphers": "ECDHE+AESGCM:AES128-SHA:@SECLEVEL=0"},
    "abgelaufen.tls-amt.de": {"valid_days": (-100, -2)},
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory):
    ca = trustme.CA(organization_name="Behörden-CA (Test)")
    bundle = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    running = {
        host: TlsServer(server_context(ca, host, **options)) for host, options in CONFIGURATIONS.items()
    }
    # a certificate for another name, served for falscher-name.tls-amt.de
    running["falscher-name.tls-amt.de"] = TlsServer(server_context(ca, "www.anderes-amt.de"))
    yield running, bundle
    for server in running.values():
        server.close()


def network_for(servers: dict[str, TlsServer], bundle: Path | None) -> NetworkSettings:
    return NetworkSettings.build(
        [f"{host}:443:127.0.0.1:{server.port}" for host, server in servers.items()], bundle
    )


@pytest.fixture(scope="module")
async def probed(servers) -> dict[str, HostProbeResult]:
    running, bundle = servers
    with_bundle = NetClient(network_for(running, bundle))  # probe_tls reads only the network settings
    without_bundle = NetClient(network_for(running, None))
    results = await asyncio.gather(
        *(probe_tls(host, 443, with_bundle) for host in running),
        probe_tls("gut.tls-amt.de", 443, without_bundle),
    )
    probed = dict(zip(running, results, strict=False))
    probed["private-ca-without-bundle"] = results[-1]
    return probed


def findings(result: HostProbeResult, authority_level: str = "kreis") -> set[tuple[str, str]]:
    context = CheckContext("Test", FirstPartySet(["tls-amt.de"]), authority_level)
    outcome = run_host_checks(result, context, load_all_checks())
    assert all(delta.errors == 0 for delta in outcome.tallies.values())
    return {(located.check.id, located.finding.subject) for located in outcome.findings}


def test_every_server_was_scanned_completely(probed) -> None:
    for host, result in probed.items():
        assert result.ok, (host, result.failure_class, result.failure_detail)
        assert result.data["errors"] == {} and result.data["attempts"] == 1
        json.dumps(result.data)  # stored as JSON


def test_good_configuration_with_its_private_ca_has_no_findings(probed) -> None:
    result = probed["gut.tls-amt.de"]
    assert result.data["trust"]["trusted"] is True and result.data["trust"]["store"] == "system + ca-bundle"
    assert findings(result) == set()


def test_private_ca_without_ca_bundle_is_untrusted(probed) -> None:
    result = probed["private-ca-without-bundle"]
    issuer = result.data["certificate"]["issuer"]
    assert findings(result) == {
        ("security.tls.certificate-trust", issuer),
        ("security.tls.profile", "mozilla-intermediate"),
    }


def test_tls_1_0_and_1_1_enabled(probed) -> None:
    result = probed["alt.tls-amt.de"]
    assert findings(result) == {
        ("security.tls.protocols", "TLS 1.0 angeboten"),
        ("security.tls.protocols", "TLS 1.1 angeboten"),
        ("security.tls.profile", "mozilla-intermediate"),
    }
    deviations = evaluate(load_profile("mozilla-intermediate"), result.data).deviations
    assert deviations["tls_versions"] == ["TLSv1", "TLSv1.1"]
    assert "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" in deviations["ciphers"]


def test_weak_cipher_offered(probed) -> None:
    result = probed["schwach.tls-amt.de"]
    assert findings(result) == {
        ("security.tls.cipher-suites", "no-forward-secrecy"),
        ("security.tls.profile", "mozilla-intermediate"),
    }
    deviations = evaluate(load_profile("mozilla-intermediate"), result.data).deviations
    assert deviations == {"ciphers": ["TLS_RSA_WITH_AES_128_CBC_SHA"]}


def test_expired_certificate(probed) -> None:
    assert findings(probed["abgelaufen.tls-amt.de"]) == {("security.tls.certificate-expiry", "expired")}


def test_certificate_for_the_wrong_name(probed) -> None:
    result = probed["falscher-name.tls-amt.de"]
    assert result.data["certificate"]["dns_names"] == ["www.anderes-amt.de"]
    assert findings(result) == {("security.tls.certificate-hostname", "falscher-name.tls-amt.de")}


def test_bsi_binds_federal_bodies_only(probed) -> None:
    result = probed["gut.tls-amt.de"]
    assert findings(result, "kreis") == set()
    # Python's server offers ChaCha20 with TLS 1.3, which TR-02102-2 does not list.
    assert findings(result, "bund") == {("security.tls.profile", "bsi")}
    assert evaluate(load_profile("bsi"), result.data).deviations == {
        "tls13_ciphers": ["TLS_CHACHA20_POLY1305_SHA256"]
    }


async def test_a_closed_port_is_not_tested_and_not_retried() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    network = NetworkSettings.build([f"zu.tls-amt.de:443:127.0.0.1:{port}"])
    result = await probe_tls("zu.tls-amt.de", 443, NetClient(network))
    assert (result.ok, result.failure_class, result.data["attempts"]) == (
        False,
        FailureClass.CONNECTION_REFUSED,
        1,
    )
    assert findings(result) == set()  # not tested is never a pass nor a fail


def test_mozilla_profiles_match_sslyzes_copy_of_the_guidelines() -> None:
    import sslyze.mozilla_tls_profile as bundled

    guidelines = json.loads((Path(bundled.__file__).parent / "5.7.json").read_text())["configurations"]
    for level in ("intermediate", "modern"):
        ours, theirs = load_profile(f"mozilla-{level}").spec, guidelines[level]
        assert set(ours["ciphers"]) == set(theirs["ciphers"]["iana"])
        assert set(ours["tls13_ciphers"]) == set(theirs["ciphersuites"])
        assert set(ours["tls_versions"]) == set(theirs["tls_versions"])
        assert ours["rsa_min_bits"] == theirs["rsa_key_size"]
        assert ours["max_certificate_lifespan_days"] == theirs["maximum_certificate_lifespan"]


def test_bsi_requires_tls_1_2_and_one_of_its_suites() -> None:
    facts = {
        "protocols": {
            "SSLv2": {"offered": False, "suites": []},
            "SSLv3": {"offered": False, "suites": []},
            "TLSv1": {"offered": False, "suites": []},
            "TLSv1.1": {"offered": False, "suites": []},
            "TLSv1.2": {"offered": False, "suites": []},
            "TLSv1.3": {
                "offered": True,
                "suites": [{"name": "TLS_AES_256_GCM_SHA384", "kex": "ECDH", "kex_bits": 256}],
            },
        },
        "groups": ["secp384r1"],
    }
    outcome = evaluate(load_profile("bsi"), facts)
    assert {"required_tls_versions", "required_ciphers", "required_tls13_ciphers", "required_groups"} <= set(
        outcome.deviations
    )
    assert "certificate_trust" in outcome.not_tested  # no certificate facts: not tested, not passed
    assert all(set(profile.rules) <= set(RULES) for profile in all_profiles())


def test_tls_profile_is_a_validated_key_of_targets_and_settings(tmp_path: Path) -> None:
    target = '[[target]]\nname = "a"\nstart_urls = ["https://www.a-amt.de/"]\nauthority_level = "bund"\n'
    config = parse_targets('[settings]\ntls_profile = "mozilla-modern"\n\n' + target, tmp_path / "t.toml")
    assert config.targets[0].crawl.tls_profile == "mozilla-modern"
    assert parse_targets(target, tmp_path / "t.toml").targets[0].crawl.tls_profile == "mozilla-intermediate"
    with pytest.raises(ConfigError) as error:
        parse_targets(target + 'tls_profile = "bsl"\n', tmp_path / "t.toml")
    [problem] = error.value.problems
    assert (problem.line, problem.field) == (5, "target[1].tls_profile")
    assert problem.message == (
        'expected one of "mozilla-intermediate", "mozilla-modern", "bsi", got "bsl"; did you mean \'bsi\'?'
    )


async def test_a_transient_failure_is_retried(probed, monkeypatch: pytest.MonkeyPatch) -> None:
    import scanner.probes.tls as tls

    calls: list[str] = []
    real_scan = tls._scan

    def flaky(host, address, port, ca_bundle):
        calls.append(host)
        if len(calls) == 1:
            return FailureClass.TIMEOUT, "no answer (simulated)"
        return real_scan(host, address, port, ca_bundle)

    monkeypatch.setattr(tls, "_scan", flaky)
    monkeypatch.setattr(tls, "RETRY_PAUSES", (0.0, 0.0))
    network = NetworkSettings.build(
        [f"gut.tls-amt.de:443:127.0.0.1:{probed['gut.tls-amt.de'].data['server']['port']}"]
    )
    result = await tls.probe_tls("gut.tls-amt.de", 443, NetClient(network))
    assert (result.ok, result.data["attempts"], len(calls)) == (True, 2, 2)
