"""accessibility.axe-not-tested: frames (or whole pages) axe could not test are a finding, not a gap."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

from checks.accessibility.axe_rules import PREFIX, selector_text
from checks.accessibility.review_notes import NOTES, UNKNOWN_RULE
from scanner.evidence import PageCapture
from scanner.evidence.axe import AxeEvidence
from scanner.findings.registry import (
    REGISTRY,
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
from scanner.findings.review import with_note


@check(
    id="accessibility.axe-not-tested",
    review=NOTES["accessibility.axe-not-tested"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(law=("BITV 2.0 §3",), standards=("axe-core runPartial/finishRun",)),
    doc=CheckDoc(
        title=Text(
            de="Seite oder Frame nicht automatisch geprüft",
            en="Page or frame not tested automatically",
        ),
        what=Text(
            de="axe-core läuft in jedem Frame der Seite, auch in fremden (z. B. Karten, Videos, Formulare "
            "von Dienstleistern). Antwortet ein Frame nicht in der vorgesehenen Zeit, oder scheitert axe "
            "auf der ganzen Seite, ist dieser Teil ungeprüft. Auch Ergebnisse von axe-Regeln, die diese "
            "govscan-Version nicht kennt (neueres axe.min.js), werden hier gemeldet.",
            en="axe-core runs in every frame of the page, third-party frames included (maps, videos, forms "
            "of service providers). A frame that does not answer in time, or an axe run that fails on the "
            "whole page, leaves that part untested. Results of axe rules this govscan version does not "
            "know (a newer axe.min.js) are reported here as well.",
        ),
        why=Text(
            de="Auch eingebundene Inhalte müssen barrierefrei sein (BITV 2.0 §3; die Anforderungen gelten "
            "für die ganze Seite). Ein ungeprüfter Teil darf nie als mangelfrei gelten.",
            en="Embedded content must be accessible too (the requirements cover the whole page). An "
            "untested part must never count as free of defects.",
        ),
        how_to_fix=Text(
            de="Den Frame von Hand prüfen. Bei regelmäßigen Zeitüberschreitungen axe_frame_timeout in "
            "targets.toml erhöhen.",
            en="Review the frame by hand. If it times out regularly, raise axe_frame_timeout in "
            "targets.toml.",
        ),
        example='iframe[title="Terminbuchung"]: no answer within the time limit',
    ),
)
def axe_not_tested(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    error = capture.collector_error(AxeEvidence.KIND)
    if error is not None:
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"axe-core konnte die Seite nicht prüfen: {error}",
                en=f"axe-core could not test the page: {error}",
            ),
            subject="page",
            evidence={"error": error},
        )
        return
    evidence = capture.evidence(AxeEvidence)
    if evidence is None:
        return
    for frame in evidence.untested_frames:
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"Frame nicht geprüft: {_reason_de(frame.reason or '')}",
                en=f"Frame not tested: {frame.reason or 'unknown reason'}",
            ),
            selector=selector_text(frame.path),
            frame_url=frame.url or None,
            evidence={"path": list(frame.path), "url": frame.url, "tested": False, "reason": frame.reason},
        )
    for outcome, entries in (("violations", evidence.violations), ("incomplete", evidence.incomplete)):
        for entry in entries:
            if PREFIX + entry.id in REGISTRY:
                continue
            yield with_note(
                Finding(
                    result=Result.REVIEW,
                    message=Text(
                        de=f"axe-Regel „{entry.id}“ ist dieser govscan-Version unbekannt "
                        f"({entry.node_count} Elemente, {outcome}): {entry.help}",
                        en=f"axe rule '{entry.id}' is unknown to this govscan version "
                        f"({entry.node_count} elements, {outcome}).",
                    ),
                    subject=f"axe-rule:{entry.id}",
                    evidence={
                        "rule": entry.id,
                        "outcome": outcome,
                        "nodes": [asdict(node) for node in entry.nodes[:5]],
                    },
                ),
                UNKNOWN_RULE,
            )


def _reason_de(reason: str) -> str:
    if reason.startswith("no answer"):
        return "keine Antwort innerhalb der Zeitgrenze"
    if reason.startswith("results dropped"):
        return "Ergebnisse verworfen, weil ein umschließender Frame nicht antwortete"
    return reason or "unbekannter Grund"
