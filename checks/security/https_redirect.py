"""security.https-redirect: http://host/ must lead straight to https:// on the same host."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from scanner.evidence import HostProbeResult
from scanner.evidence.http_redirect import HttpRedirectEvidence
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
)


@check(
    id="security.https-redirect",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.SERIOUS,
    probe="http-redirect",
    references=References(
        law=("DSGVO Art. 32",),
        standards=("BSI Mindeststandard TLS", "MDN HTTP Observatory: redirection"),
    ),
    doc=CheckDoc(
        title=Text(
            de="HTTP wird nicht direkt auf HTTPS desselben Hosts umgeleitet",
            en="HTTP is not redirected straight to HTTPS on the same host",
        ),
        what=Text(
            de="Ein Aufruf von http://host/ liefert Inhalte unverschlüsselt aus, leitet zuerst auf eine "
            "andere http://-Adresse oder auf einen anderen Host um, oder endet nicht auf https://.",
            en="A request for http://host/ is answered with content in clear text, first redirects to "
            "another http:// address or to another host, or does not end on https://.",
        ),
        why=Text(
            de="Wer eine Adresse ohne https:// eintippt oder einem alten Link folgt, überträgt sonst Daten "
            "unverschlüsselt und kann unbemerkt umgeleitet werden. Nur eine erste Umleitung auf HTTPS "
            "desselben Hosts erlaubt es, dort HSTS zu setzen. DSGVO Art. 32; BSI Mindeststandard TLS.",
            en="Whoever types an address without https:// or follows an old link otherwise sends data in "
            "clear text and can be redirected unnoticed. Only a first redirect to HTTPS on the same host "
            "lets that host set HSTS. GDPR Art. 32; BSI minimum standard for TLS.",
        ),
        how_to_fix=Text(
            de="Auf Port 80 jede Anfrage mit 301 auf https:// mit demselben Hostnamen und Pfad umleiten "
            "(z. B. 'return 301 https://$host$request_uri;' in nginx) und danach HSTS setzen.",
            en="On port 80, redirect every request with 301 to https:// with the same host name and path "
            "(e.g. 'return 301 https://$host$request_uri;' in nginx), then set HSTS.",
        ),
        example="http://www.example.de/ -> 200 OK (no redirect)",
    ),
)
def https_redirect(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    evidence = probe.evidence(HttpRedirectEvidence)
    if evidence is None or not evidence.http_available:
        return  # no plain HTTP served at all: nothing to redirect
    hops = list(evidence.hops)
    first = hops[0]
    problem = _problem(probe.host, hops)
    if problem is None:
        return
    code, de, en = problem
    yield Finding(
        result=Result.FAIL,
        message=Text(de=de, en=en),
        subject=f"http://{probe.host}/",
        evidence={"problem": code, "first_status": first.get("status"), "hops": hops},
    )


def _problem(host: str, hops: list[dict]) -> tuple[str, str, str] | None:
    first = hops[0]
    status, location = first.get("status"), first.get("location")
    if status is None or not (300 <= status < 400 and location):
        return (
            "no-redirect",
            f"http://{host}/ antwortet mit {status} ohne Umleitung auf HTTPS.",
            f"http://{host}/ answers {status} without redirecting to HTTPS.",
        )
    target = urlsplit(_absolute(first))
    if target.scheme != "https":
        return (
            "first-redirect-not-https",
            f"Die erste Umleitung von http://{host}/ führt auf {target.scheme}:// statt auf https://.",
            f"The first redirect from http://{host}/ goes to {target.scheme}:// instead of https://.",
        )
    if (target.hostname or "").lower() != host:
        return (
            "first-redirect-off-host",
            f"Die erste Umleitung von http://{host}/ führt auf einen anderen Host ({target.hostname}).",
            f"The first redirect from http://{host}/ goes to another host ({target.hostname}).",
        )
    last = hops[-1]
    final_url = _absolute(last) if last.get("location") else last["url"]
    if urlsplit(final_url).scheme != "https" or "failure_class" in last:
        return (
            "final-not-https",
            f"Die Umleitungskette von http://{host}/ endet nicht auf einer HTTPS-Seite.",
            f"The redirect chain from http://{host}/ does not end on an HTTPS page.",
        )
    return None


def _absolute(hop: dict) -> str:
    return urljoin(hop["url"], hop.get("location") or "")
