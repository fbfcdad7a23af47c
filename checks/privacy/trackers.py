"""Trackers: before consent, after "reject", session recorders and analytics tags (TDDDG §25).

A tracker is a service of kind ``tracker`` (analytics, advertising, pixels, tag managers, session
recording), whatever else its company offers: the Meta pixel's loader is a tracker even though it
comes from the host of Facebook's social plugins. After "accept" the same checks record what the
visitor agreed to (``info``); session recording stays ``serious`` there: on a public body's site it
is disproportionate even with consent (data minimisation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.privacy.classify import VendorRequests, requests_evidence, third_party_by_vendor
from checks.privacy.filter_lists import filter_match
from checks.privacy.review_notes import NOTES
from scanner.evidence import PageCapture, RequestRecord, Scenario
from scanner.evidence.consent import ConsentEvidence
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

TDDDG = References(law=("TDDDG §25 Abs. 1", "DSGVO Art. 6 Abs. 1", "EDSA Leitlinien 2/2023"))


def _tracking(capture: PageCapture, context: CheckContext) -> Iterator[tuple[VendorRequests, dict]]:
    """Third parties that observe visitors: by vendor category, filter list, or beacons they receive."""
    for group in third_party_by_vendor(capture, context):
        reasons: dict = {}
        if group.vendor and group.vendor.is_tracking:
            reasons["vendor_category"] = group.vendor.category
        matches = [match for request in group.requests if (match := filter_match(request, capture.final_url))]
        if matches:
            reasons["filter_list"] = matches[0]
        beacons = [request for request in group.requests if _is_beacon(request)]
        if beacons:
            reasons["beacons"] = len(beacons)
        if reasons:
            yield group, reasons


def _is_beacon(request: RequestRecord) -> bool:
    return request.resource_type == "ping" or (
        request.initiator is not None and request.initiator.type == "beacon"
    )


def _tracker_finding(
    capture: PageCapture, group: VendorRequests, reasons: dict, result: Result, text: Text
) -> Finding:
    return Finding(
        result=result,
        message=text,
        subject=group.subject,
        evidence={
            "vendor": group.vendor.summary() if group.vendor else None,
            "host": group.host,
            "why_tracking": reasons,
            "request_count": len(group.requests),
            "requests": requests_evidence(capture, group.requests),
        },
    )


def _name(group: VendorRequests) -> str:
    return group.vendor.label if group.vendor else group.host


def _accepted(capture: PageCapture) -> bool:
    return capture.scenario == Scenario.ACCEPTED


@check(
    id="privacy.tracker-before-consent",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    scenarios=(Scenario.FIRST_VISIT, Scenario.ACCEPTED),  # after "reject": tracking-after-reject
    references=TDDDG,
    doc=CheckDoc(
        title=Text(de="Tracker und Beacons vor der Einwilligung", en="Trackers and beacons before consent"),
        what=Text(
            de="Beim ersten Aufruf, ohne Antwort auf ein Cookie-Banner, gehen Anfragen an Dienste, die "
            "Besuchende "
            "beobachten: Reichweitenmessung, Werbung, Tag-Manager, Sitzungsaufzeichnung (laut "
            "Anbieterregister), "
            "Treffer einer Filterliste (EasyPrivacy, falls geladen) oder Beacons (sendBeacon/ping), auch "
            "beim "
            "Verlassen der Seite. Tracking-Pixel (Meta-Pixel, ...) werden hier gemeldet, nicht als "
            "Einbettung. Nach „Akzeptieren“ werden dieselben Tracker als info festgehalten (mit "
            "Einwilligung).",
            en="On the first visit, without answering a cookie banner, requests go to services that observe "
            "visitors: analytics, advertising, tag managers, session recording (per the vendor registry), "
            "filter-list matches (EasyPrivacy, when downloaded) or beacons (sendBeacon/ping), also on page "
            "exit. Tracking pixels (Meta pixel, ...) are reported here, not as embeds. After 'accept' the "
            "same trackers are recorded as info (with consent).",
        ),
        why=Text(
            de="Zugriffe auf das Endgerät und Tracking-Pixel brauchen eine Einwilligung, wenn sie nicht "
            "unbedingt "
            "erforderlich sind (TDDDG §25 Abs. 1; EDSA-Leitlinien 2/2023 zu Pixeln und URL-Tracking); die "
            "Übermittlung der IP-Adresse braucht eine Rechtsgrundlage (DSGVO Art. 6).",
            en="Access to the terminal equipment and tracking pixels need consent unless strictly necessary "
            "(TDDDG §25(1); EDPB Guidelines 2/2023 on pixels and URL tracking); sending the IP address "
            "needs a "
            "legal basis (GDPR Art. 6).",
        ),
        how_to_fix=Text(
            de="Tracking-Skripte erst nach Einwilligung laden (Skript-Blockierung der "
            "Einwilligungsverwaltung) "
            "oder auf einwilligungsfreie, selbst gehostete Messung ohne Endgerätezugriff umstellen. Ein "
            "Pixel lässt sich nicht hinter einen Zwei-Klick-Platzhalter legen: erst nach Einwilligung "
            "laden oder entfernen.",
            en="Load tracking scripts only after consent (the consent manager's script blocking) or switch "
            "to "
            "self-hosted measurement without access to the device. A pixel cannot be put behind a "
            "two-click placeholder: load it only after consent, or remove it.",
        ),
        example='<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>',
    ),
)
def tracker_before_consent(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for group, reasons in _tracking(capture, context):
        count = len(group.requests)
        if _accepted(capture):
            text = Text(
                de=f"{_name(group)} wird nach „Akzeptieren“ kontaktiert ({count} Anfrage(n)).",
                en=f"{_name(group)} is contacted after 'accept' ({count} request(s)).",
            )
        else:
            text = Text(
                de=f"{_name(group)} wird vor jeder Einwilligung kontaktiert ({count} Anfrage(n)).",
                en=f"{_name(group)} is contacted before any consent ({count} request(s)).",
            )
        yield _tracker_finding(capture, group, reasons, Result.FAIL, text)


@check(
    id="privacy.tracking-after-reject",
    review=NOTES["privacy.tracking-after-reject"],
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.CRITICAL,
    references=References(law=("TDDDG §25 Abs. 1", "DSGVO Art. 7 Abs. 3", "DSGVO Art. 6 Abs. 1")),
    scenarios=(Scenario.REJECTED,),
    doc=CheckDoc(
        title=Text(de="Tracking trotz Ablehnung", en="Tracking continues after 'reject'"),
        what=Text(
            de="Nachdem das Cookie-Banner mit „Ablehnen“ beantwortet wurde, lädt die Seite beim nächsten "
            "Aufruf "
            "weiterhin Tracker (wie bei privacy.tracker-before-consent). Wurde das Banner nicht sicher "
            "beantwortet (nur ausgeblendet, nicht gefunden), lautet das Ergebnis „prüfen“.",
            en="After the cookie banner was answered with 'reject', the next page load still contacts "
            "trackers "
            "(as in privacy.tracker-before-consent). When the banner was not reliably answered (only "
            "hidden, not "
            "found) the result is 'review'.",
        ),
        why=Text(
            de="Eine verweigerte Einwilligung muss wirken: Tracking ohne Einwilligung verstößt gegen TDDDG "
            "§25 "
            "Abs. 1; ein Banner, das die Ablehnung ignoriert, täuscht die Besuchenden (DSGVO Art. 5 Abs. 1 "
            "lit. a).",
            en="A refused consent must take effect: tracking without consent violates TDDDG §25(1); a "
            "banner that "
            "ignores 'reject' deceives visitors (GDPR Art. 5(1)(a)).",
        ),
        how_to_fix=Text(
            de='Tracking-Skripte an die Einwilligung koppeln (z. B. type="text/plain" mit Kategorie) und '
            "nach "
            "„Ablehnen“ nicht laden.",
            en='Tie tracking scripts to consent (e.g. type="text/plain" with a category) and do not load '
            "them "
            "after 'reject'.",
        ),
        example='<script src="https://static.hotjar.com/c/hotjar-1.js"></script>  (ohne Kategorie)',
    ),
)
def tracking_after_reject(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    consent = capture.evidence(ConsentEvidence) or ConsentEvidence()
    known = consent.is_known
    for group, reasons in _tracking(capture, context):
        if known:
            text = Text(
                de=f"{_name(group)} wird nach „Ablehnen“ weiter kontaktiert.",
                en=f"{_name(group)} is still contacted after 'reject'.",
            )
        else:
            state = consent.get("state", "unknown")
            text = Text(
                de=f"{_name(group)} wird kontaktiert; das Banner wurde nicht sicher abgelehnt (Zustand: "
                f"{state}).",
                en=f"{_name(group)} is contacted; the banner was not reliably rejected (state: {state}).",
            )
        finding = _tracker_finding(capture, group, reasons, Result.FAIL if known else Result.REVIEW, text)
        finding.evidence["consent"] = {
            key: consent.get(key) for key in ("method", "cmp", "state", "self_test")
        }
        yield finding


@check(
    id="privacy.session-recording",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.CRITICAL,
    references=References(law=("TDDDG §25 Abs. 1", "DSGVO Art. 5 Abs. 1 lit. c", "DSGVO Art. 6 Abs. 1")),
    scenarios=(Scenario.FIRST_VISIT, Scenario.REJECTED, Scenario.ACCEPTED),
    # with consent still disproportionate on a public body's site (GDPR Art. 5(1)(c))
    scenario_severities={Scenario.ACCEPTED: Severity.SERIOUS},
    doc=CheckDoc(
        title=Text(de="Sitzungsaufzeichnung", en="Session recording"),
        what=Text(
            de="Ein Dienst zur Sitzungsaufzeichnung (Hotjar, Microsoft Clarity, Mouseflow, Yandex "
            "Webvisor, ...) "
            "wird beim ersten Aufruf oder nach „Ablehnen“ geladen. Er zeichnet Mausbewegungen, Klicks und "
            "Eingaben auf. Nach „Akzeptieren“ bleibt der Befund (Schwere „serious“): auch mit "
            "Einwilligung ist die Aufzeichnung auf einer Behördenseite unverhältnismäßig.",
            en="A session-recording service (Hotjar, Microsoft Clarity, Mouseflow, Yandex Webvisor, ...) "
            "loads "
            "on the first visit or after 'reject'. It records mouse movements, clicks and input. After "
            "'accept' it stays a finding (severity 'serious'): even with consent, recording is "
            "disproportionate on a public body's site.",
        ),
        why=Text(
            de="Sitzungsaufzeichnung erfasst weit mehr als nötig (Datenminimierung, DSGVO Art. 5 Abs. 1 "
            "lit. c), "
            "kann Formulareingaben mitschneiden und braucht eine Einwilligung (TDDDG §25).",
            en="Session recording captures far more than needed (data minimisation, GDPR Art. 5(1)(c)), may "
            "capture form input and needs consent (TDDDG §25).",
        ),
        how_to_fix=Text(
            de="Sitzungsaufzeichnung auf Behördenseiten entfernen, mindestens nur nach Einwilligung laden.",
            en="Remove session recording from public-sector pages; at the least load it only after consent.",
        ),
        example='<script src="https://www.clarity.ms/tag/abcd"></script>',
    ),
)
def session_recording(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for group in third_party_by_vendor(capture, context):
        if group.vendor and group.vendor.category == "session-recording":
            yield Finding(
                result=Result.FAIL,
                message=Text(
                    de=f"Sitzungsaufzeichnung durch {group.vendor.label} wird geladen.",
                    en=f"Session recording by {group.vendor.label} is loaded.",
                ),
                subject=group.vendor.id,
                evidence={
                    "vendor": group.vendor.summary(),
                    "requests": requests_evidence(capture, group.requests),
                },
            )


GA4_ID = re.compile(r"[?&](?:id|tid)=(G-[A-Z0-9]{4,})")
UA_ID = re.compile(r"[?&](?:id|tid)=(UA-\d+-\d+)")
GTM_ID = re.compile(r"[?&]id=(GTM-[A-Z0-9]+)")
META_PIXEL = re.compile(r"facebook\.com/tr/?\?(?:.*&)?id=(\d+)")
MATOMO_SCRIPT = re.compile(r"/(?:matomo|piwik)\.(?:js|php)(?:\?|$)")


@check(
    id="privacy.analytics-tag",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    scenarios=(Scenario.FIRST_VISIT, Scenario.ACCEPTED),
    references=References(law=("TDDDG §25 Abs. 1", "DSGVO Art. 6 Abs. 1", "DSK OH Digitale Dienste")),
    doc=CheckDoc(
        title=Text(de="Analyse-Tags vor der Einwilligung", en="Analytics tags before consent"),
        what=Text(
            de="Erkennt konkrete Analyse- und Werbe-Tags beim ersten Aufruf und nennt ihre Kennungen: Google "
            "Analytics 4 (G-…), Universal Analytics (UA-…), Google Tag Manager (GTM-…), Meta-Pixel "
            "(facebook.com/tr?id=…) und selbst gehostetes Matomo (matomo.js/piwik.js oder _pk_-Cookies). "
            "Nach „Akzeptieren“ werden die Tags als info festgehalten: welches Konto die Daten erhält.",
            en="Finds specific analytics and advertising tags on the first visit and names their ids: Google "
            "Analytics 4 (G-…), Universal Analytics (UA-…), Google Tag Manager (GTM-…), Meta pixel "
            "(facebook.com/tr?id=…) and self-hosted Matomo (matomo.js/piwik.js or _pk_ cookies). After "
            "'accept' the tags are recorded as info: which account receives the data.",
        ),
        why=Text(
            de="Auch selbst gehostete Reichweitenmessung liest oder schreibt auf dem Endgerät und braucht "
            "dann eine "
            "Einwilligung (TDDDG §25; DSK: keine Ausnahme für Analyse). Die Kennungen zeigen, welches "
            "Konto die "
            "Daten erhält.",
            en="Even self-hosted analytics reads or writes on the device and then needs consent (TDDDG "
            "§25; the "
            "German DPAs grant no analytics exemption). The ids show which account receives the data.",
        ),
        how_to_fix=Text(
            de="Tags erst nach Einwilligung laden; Matomo ohne Cookies und ohne Endgerätezugriff betreiben.",
            en="Load tags only after consent; run Matomo without cookies and without device access.",
        ),
        example="https://www.googletagmanager.com/gtag/js?id=G-ABC123",
    ),
)
def analytics_tag(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    found: dict[str, set[str]] = {}
    for request in capture.requests:
        for tag, pattern in (("google-analytics-4", GA4_ID), ("universal-analytics", UA_ID),
                             ("google-tag-manager", GTM_ID), ("meta-pixel", META_PIXEL)):  # fmt: skip
            match = pattern.search(request.url)
            if match:
                found.setdefault(tag, set()).add(match.group(1))
        if not context.first_party.is_third_party_url(request.url) and MATOMO_SCRIPT.search(request.url):
            found.setdefault("matomo-self-hosted", set()).add(request.host)
    if any(cookie.name.startswith("_pk_") for cookie in capture.cookies):
        found.setdefault("matomo-self-hosted", set()).add("_pk_ cookies")
    when = (
        Text(de="nach „Akzeptieren“", en="after 'accept'")
        if _accepted(capture)
        else Text(de="vor der Einwilligung", en="before consent")
    )
    for tag, ids in sorted(found.items()):
        listed = ", ".join(sorted(ids))
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f"Analyse-Tag {tag} {when.de}: {listed}.",
                en=f"Analytics tag {tag} {when.en}: {listed}.",
            ),
            subject=tag,
            evidence={"tag": tag, "ids": sorted(ids)},
        )
