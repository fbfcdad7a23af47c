"""privacy.third-party-request: hosts outside the first-party set contacted, in every consent scenario.

After "reject" a request is as unconsented as on the first visit; after "accept" it is on record
(``info``), so the recipients the visitor agreed to appear in exports and diffs too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from checks.privacy.classify import EVERY_SCENARIO
from checks.privacy.vendors import vendor_registry
from scanner.evidence import PageCapture, RequestRecord, Scenario
from scanner.evidence.redact import redact_url
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
from scanner.net.domains import registrable_domain

MAX_REQUESTS_IN_EVIDENCE = 20


@check(
    id="privacy.third-party-request",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    scenarios=EVERY_SCENARIO,
    references=References(law=("TDDDG §25", "DSGVO Art. 6 Abs. 1", "DSGVO Art. 44")),
    doc=CheckDoc(
        title=Text(
            de="Anfragen an Dritte beim ersten Aufruf, vor jeder Einwilligung",
            en="Requests to third parties on first visit, before any consent",
        ),
        what=Text(
            de="Beim ersten Aufruf der Seite in einem frischen Browser, ohne jede Interaktion (also auch "
            "ohne Antwort auf ein Cookie-Banner), lädt die Seite Inhalte von Hosts, die nicht zur Behörde "
            "gehören (nicht in first_party_hosts). Jeder solche Abruf übermittelt mindestens die "
            "IP-Adresse, die Adresse der Seite (Referer) und Browsermerkmale an den Dritten. Läuft auch "
            "nach „Ablehnen“ (gleiche Schwere) und nach „Akzeptieren“ (info: mit Einwilligung).",
            en="On the first visit in a fresh browser, without any interaction (so also without answering a "
            "cookie banner), the page loads content from hosts outside the authority's first-party set. "
            "Every such request sends at least the IP address, the page address (Referer) and browser "
            "characteristics to the third party. Also run after 'reject' (same severity) and after 'accept' "
            "(info: with consent).",
        ),
        why=Text(
            de="Die Übermittlung personenbezogener Daten (IP-Adresse) an Dritte braucht eine Rechtsgrundlage "
            "(DSGVO Art. 6); Zugriffe auf das Endgerät brauchen eine Einwilligung, wenn sie nicht unbedingt "
            "erforderlich sind (TDDDG §25); Empfänger in Drittländern unterliegen DSGVO Art. 44 ff. "
            "(LG München I, 3 O 17493/20, zu Google Fonts).",
            en="Sending personal data (the IP address) to third parties needs a legal basis (GDPR Art. 6); "
            "access to the terminal equipment needs consent unless strictly necessary (TDDDG §25); "
            "recipients in third countries fall under GDPR Art. 44 ff.",
        ),
        how_to_fix=Text(
            de="Ressourcen selbst hosten (Schriften, Skripte), Einbettungen (Video, Karten) erst nach Klick "
            "laden (Zwei-Klick-Lösung), Analyse erst nach Einwilligung starten. Gehört der Host der Behörde "
            "oder einem Auftragsverarbeiter, ihn in first_party_hosts aufnehmen und dokumentieren.",
            en="Host resources yourself (fonts, scripts), load embeds (video, maps) only after a click "
            "(two-click solution), start analytics only after consent. If the host belongs to the authority "
            "or a processor, add it to first_party_hosts and document it.",
        ),
        example='<link href="https://fonts.googleapis.com/css2?family=Roboto" rel="stylesheet">',
    ),
)
def third_party_request(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    by_host: dict[str, list[RequestRecord]] = defaultdict(list)
    for request in capture.requests:
        if context.first_party.is_third_party_url(request.url):
            by_host[request.host].append(request)
    accepted = capture.scenario == Scenario.ACCEPTED
    for host, requests in sorted(by_host.items()):
        types = sorted({request.resource_type for request in requests})
        listed = ", ".join(types)
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f"{len(requests)} Anfrage(n) an {host} ({listed}) "
                + ("nach „Akzeptieren“." if accepted else "ohne Einwilligung."),
                en=f"{len(requests)} request(s) to {host} ({listed}) "
                + ("after 'accept'." if accepted else "without consent."),
            ),
            subject=host,
            evidence={
                "host": host,
                "registrable_domain": registrable_domain(host),
                "request_count": len(requests),
                "resource_types": types,
                # the services behind the host (a host may serve a pixel and a plugin)
                "services": _services(requests),
                "requests": [_request_evidence(request) for request in requests[:MAX_REQUESTS_IN_EVIDENCE]],
            },
        )


def _services(requests: list[RequestRecord]) -> list[dict[str, object]]:
    found = {vendor.id: vendor for r in requests if (vendor := vendor_registry().lookup_url(r.url))}
    return [found[key].summary() for key in sorted(found)]


def _request_evidence(request: RequestRecord) -> dict[str, object]:
    initiator = request.initiator
    return {
        "url": redact_url(request.url),
        "method": request.method,
        "resource_type": request.resource_type,
        "frame_url": redact_url(request.frame_url) if request.frame_url else None,
        "initiator": redact_url(initiator.url) if initiator and initiator.url else None,
        "initiator_type": initiator.type if initiator else None,
        "status": request.status,
        "failure": request.failure,
        "remote_address": request.remote_address,
    }
