"""What the keyboard walk and the reflow test found (collector "keyboard-reflow", sampled pages)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict

from checks.accessibility.mapping import within_standard
from checks.accessibility.review_notes import NOTES
from scanner.evidence import PageCapture
from scanner.evidence.interaction import CoveringLayer, FocusStop, InteractionEvidence, KeyboardWalk
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
    collected,
)

MAX_OBSCURED = 10  # covered elements listed per layer
# Content that may need two-dimensional scrolling (WCAG 1.4.10 exception): never the reason for a finding.
TWO_DIMENSIONAL = frozenset(
    {"table", "pre", "code", "img", "video", "canvas", "iframe", "svg", "map", "object"}
)
SKIP_LINK_STOPS = 3  # a skip link must be among the first focus stops to be of use
SKIP_LINK_WORTH_IT = 10  # focus stops: on smaller pages nobody needs to skip anything
INTERACTION = InteractionEvidence.KIND


def _walk(capture: PageCapture) -> KeyboardWalk | None:
    evidence = capture.evidence(InteractionEvidence)
    return evidence.keyboard if evidence is not None else None


def _stops(capture: PageCapture) -> tuple[FocusStop, ...]:
    walk = _walk(capture)
    return walk.stops if walk is not None else ()


def walked_for(*served: str) -> Callable[[PageCapture], bool]:
    """For ``requires=``: the page was sampled and these criteria belong to the scan's WCAG version
    (2.4.11 is new in WCAG 2.2: a 2.1 scan, the BITV 2.0 baseline, does not evaluate it)."""
    sampled = collected(INTERACTION)

    def applies(capture: PageCapture) -> bool:
        evidence = capture.evidence(InteractionEvidence) if sampled(capture) else None
        return evidence is not None and within_standard(served, evidence.wcag_version)

    return applies


def _doc(title: Text, what: Text, why: Text, fix: Text, example: str = "") -> CheckDoc:
    return CheckDoc(title=title, what=what, why=why, how_to_fix=fix, example=example)


@check(
    id="accessibility.keyboard-trap",
    review=NOTES["accessibility.keyboard-trap"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.CRITICAL,
    references=References(wcag=("2.1.2",), en301549=("9.2.1.2",), bitv=("9.2.1.2",), law=("BITV 2.0 §3",)),
    doc=_doc(
        Text(de="Tastaturfalle möglich", en="Possible keyboard trap"),
        Text(
            de="Beim Durchgehen mit der Tabulatortaste kreist der Fokus zweimal in derselben Reihenfolge "
            "durch dieselben Elemente (oder bleibt auf einem), und weder Umschalt+Tab noch Escape mit "
            "anschließendem Tab bringen ihn aus ihnen heraus. Elemente werden dabei als sie selbst "
            "verglichen, nicht über Selektoren: gleich gebaute Kopf- und Fußnavigation ist keine Falle.",
            en="Tabbing through the page, focus goes round the same elements twice in the same order (or "
            "stays on one), and neither Shift+Tab nor Escape followed by Tab takes it out of them. "
            "Elements are compared as themselves, not by selector: header and footer navigation built "
            "alike is no trap.",
        ),
        Text(
            de="Wer nur die Tastatur nutzt, kommt aus einer Falle nicht heraus (WCAG 2.1.2). Eine Falle darf "
            "einen anderen, angekündigten Ausweg haben (etwa eine genannte Tastenkombination): daher „zu "
            "prüfen“.",
            en="Keyboard-only users cannot get out of a trap (WCAG 2.1.2). A trap may have another exit "
            "that the page announces (a named key combination): hence review.",
        ),
        Text(
            de="Fokus nur in modalen Dialogen halten, die sich mit Escape schließen lassen; sonst den "
            "Fokus frei weitergeben.",
            en="Keep focus only inside modal dialogs that close with Escape; otherwise let focus move on.",
        ),
        """<div class="karte" onkeydown="if (event.key === 'Tab') { event.preventDefault(); """
        """this.querySelector('button').focus(); }">""",
    ),
    requires=collected(INTERACTION),
)
def keyboard_trap(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    walk = _walk(capture)
    if walk is None or walk.trap is None or not walk.trapped:
        return
    cycle = [walk.stops[index] for index in walk.trap.loop]
    stuck = walk.ending == "stuck"
    yield Finding(
        result=Result.REVIEW,
        message=Text(
            de="Der Tastaturfokus bleibt nach vielen Tabulator-Drücken auf (oder in) diesem Element; "
            "auch Umschalt+Tab und Escape führen nicht heraus.",
            en="Keyboard focus stays on (or inside) this element after many Tab presses; Shift+Tab and "
            "Escape do not take it out either.",
        )
        if stuck
        else Text(
            de=f"Der Tastaturfokus kreist zwischen {len(cycle)} Elementen und erreicht den Rest der Seite "
            f"nicht; auch Umschalt+Tab und Escape führen nicht heraus.",
            en=f"Keyboard focus circles between {len(cycle)} elements and does not reach the rest of the "
            f"page; Shift+Tab and Escape do not take it out either.",
        ),
        selector=cycle[0].selector or None,
        snippet=cycle[0].html,
        evidence={
            "cycle": [stop.selector for stop in cycle],
            "stops_before": walk.cycle_start,
            "tried": list(walk.trap.tried),
        },
    )


@check(
    id="accessibility.focus-visible",
    review=NOTES["accessibility.focus-visible"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(wcag=("2.4.7",), en301549=("9.2.4.7",), bitv=("9.2.4.7",), law=("BITV 2.0 §3",)),
    doc=_doc(
        Text(de="Tastaturfokus nicht sichtbar", en="Keyboard focus not visible"),
        Text(
            de="Elemente, deren berechnete Stile (Umriss, Schatten, Farben, Rahmen, Unterstreichung) sich "
            "nicht ändern, wenn sie per Tabulatortaste den Fokus erhalten.",
            en="Elements whose computed styles (outline, shadow, colours, border, underline) do not change "
            "when they receive focus by Tab.",
        ),
        Text(
            de="Wer mit der Tastatur bedient, muss sehen, wo der Fokus ist (WCAG 2.4.7). Eine Änderung "
            "kann auch über Pseudo-Elemente oder ein umgebendes Element sichtbar werden: daher „zu prüfen“.",
            en="Keyboard users must see where focus is (WCAG 2.4.7). A change may also show through "
            "pseudo-elements or a surrounding element: hence review.",
        ),
        Text(
            de="Einen deutlichen Fokusstil setzen, z. B. :focus-visible { outline: 3px solid #005a9c; "
            "outline-offset: 2px; } – und outline: none nie ersatzlos verwenden.",
            en="Set a clear focus style, e.g. :focus-visible { outline: 3px solid #005a9c; "
            "outline-offset: 2px; }, and never remove the outline without a replacement.",
        ),
        "a:focus { outline: none; }",
    ),
    requires=collected(INTERACTION),
)
def focus_visible(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for stop in _stops(capture):
        if stop.kind != "element" or not stop.visible or stop.unfocused_style is None:
            continue
        if stop.style != stop.unfocused_style:
            continue
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de="Beim Fokussieren ändert sich kein Stil des Elements; der Fokus ist vermutlich nicht "
                "sichtbar.",
                en="No style of the element changes when it receives focus; focus is probably not visible.",
            ),
            selector=stop.selector,
            snippet=stop.html,
            evidence={"style": stop.style},
        )


@check(
    id="accessibility.focus-obscured",
    review=NOTES["accessibility.focus-obscured"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(wcag=("2.4.11",), bitv=("9.2.4.11",), law=("BITV 2.0 §3",)),
    doc=_doc(
        Text(de="Fokussiertes Element verdeckt", en="Focused element obscured"),
        Text(
            de="Fixierte oder klebende Ebenen (Kopfleiste, Cookie-Banner), die die Mitte fokussierter "
            "Elemente überdecken; je Ebene ein Befund mit den verdeckten Elementen.",
            en="Fixed or sticky layers (header, cookie banner) covering the centre of focused elements; one "
            "finding per layer, naming the elements it covers.",
        ),
        Text(
            de="Ein fokussiertes Element darf nicht vollständig von Inhalten der Seite verdeckt sein "
            "(WCAG 2.2, 2.4.11). Geprüft wird nur die Mitte: daher „zu prüfen“. Das Kriterium ist neu in "
            "WCAG 2.2 und nicht Teil von EN 301 549 V3.2.1 (BITV 2.0): geprüft nur mit "
            'wcag_version = "2.2".',
            en="A focused element must not be entirely hidden by content of the page (WCAG 2.2, 2.4.11). "
            "Only its centre is tested: hence review. The criterion is new in WCAG 2.2 and not part of "
            'EN 301 549 V3.2.1 (BITV 2.0): evaluated only with wcag_version = "2.2".',
        ),
        Text(
            de="scroll-padding-top in Höhe der Kopfleiste setzen; Banner so platzieren, dass sie keine "
            "Inhalte überdecken.",
            en="Set scroll-padding-top to the header's height; place banners so that they cover no content.",
        ),
        '<div id="cookie-hinweis" style="position: fixed; bottom: 0; height: 40vh">…</div>',
    ),
    requires=walked_for("2.4.11"),
)
def focus_obscured(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    """One finding per covering layer (a banner or header is one fix), naming the elements it hides."""
    by_layer: dict[str, list[tuple[FocusStop, CoveringLayer]]] = {}
    for stop in _stops(capture):
        if stop.covered_by is not None:
            by_layer.setdefault(stop.covered_by.selector, []).append((stop, stop.covered_by))
    for selector, covered in by_layer.items():
        cover = covered[0][1]
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"Eine Ebene mit position: {cover.position} verdeckt {len(covered)} fokussierte(s) "
                "Element(e).",
                en=f"A layer with position: {cover.position} covers {len(covered)} focused element(s).",
            ),
            selector=selector,
            snippet=cover.html,
            evidence={
                "position": cover.position,
                "covered": [
                    {"selector": stop.selector, "rect": _rect(stop)} for stop, _ in covered[:MAX_OBSCURED]
                ],
                "covered_count": len(covered),
            },
        )


@check(
    id="accessibility.skip-link",
    review=NOTES["accessibility.skip-link"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(wcag=("2.4.1",), en301549=("9.2.4.1",), bitv=("9.2.4.1",), law=("BITV 2.0 §3",)),
    doc=_doc(
        Text(de="Sprunglink fehlt oder funktioniert nicht", en="Skip link missing or broken"),
        Text(
            de="Unter den ersten Tabulator-Stopps einer Seite mit vielen Bedienelementen ist kein Link "
            "auf eine Stelle derselben Seite; oder sein Ziel (id/name) existiert nicht; oder er bleibt "
            "unsichtbar, wenn er den Fokus hat.",
            en="Among the first Tab stops of a page with many controls there is no link to a place on the "
            "same page; or its target (id/name) does not exist; or it stays invisible when focused.",
        ),
        Text(
            de="Tastatur-Nutzende müssen wiederkehrende Blöcke (Navigation) überspringen können (WCAG "
            "2.4.1). Ein Sprunglink ins Leere ist ein Mangel (Fail); fehlt er, können Überschriften und "
            "Landmarks genügen: dann „zu prüfen“.",
            en="Keyboard users must be able to skip repeated blocks (WCAG 2.4.1). A skip link into nothing "
            "is a defect (fail); without one, headings and landmarks may suffice: then review.",
        ),
        Text(
            de='Als erstes fokussierbares Element <a href="#inhalt">Zum Inhalt springen</a>, das beim '
            'Fokussieren sichtbar wird, und <main id="inhalt">.',
            en='Make <a href="#content">Skip to content</a> the first focusable element, visible when '
            'focused, and give <main id="content">.',
        ),
        '<a href="#inhalt">Zum Inhalt</a> … <main id="content">',
    ),
    requires=collected(INTERACTION),
)
def skip_link(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    walk = _walk(capture)
    stops = walk.elements if walk is not None else ()
    candidates = [stop for stop in stops[:SKIP_LINK_STOPS] if stop.fragment]
    if not candidates:
        if len(stops) >= SKIP_LINK_WORTH_IT:
            yield Finding(
                result=Result.REVIEW,
                severity=Severity.MINOR,
                message=Text(
                    de=f"Unter den ersten {SKIP_LINK_STOPS} Tabulator-Stopps ist kein Sprunglink.",
                    en=f"None of the first {SKIP_LINK_STOPS} Tab stops is a skip link.",
                ),
                subject="skip-link",
                evidence={"first_stops": [stop.selector for stop in stops[:SKIP_LINK_STOPS]]},
            )
        return
    link = candidates[0]
    if not link.target_exists:
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=f"Der Sprunglink „{link.text}“ zeigt auf #{link.fragment}, das es auf der Seite "
                f"nicht gibt.",
                en=f"The skip link '{link.text}' points to #{link.fragment}, which does not exist.",
            ),
            selector=link.selector,
            snippet=link.html,
            evidence={"fragment": link.fragment},
        )
    elif not link.visible:
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"Der Sprunglink „{link.text}“ bleibt unsichtbar, wenn er den Fokus hat.",
                en=f"The skip link '{link.text}' stays invisible when it has focus.",
            ),
            selector=link.selector,
            snippet=link.html,
            evidence={"fragment": link.fragment, "rect": _rect(link)},
        )


@check(
    id="accessibility.reflow",
    review=NOTES["accessibility.reflow"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(wcag=("1.4.10",), en301549=("9.1.4.10",), bitv=("9.1.4.10",), law=("BITV 2.0 §3",)),
    doc=_doc(
        Text(de="Kein Umbruch bei 320 CSS-Pixeln Breite", en="No reflow at 320 CSS px width"),
        Text(
            de="Bei einem 320 CSS-Pixel breiten Fenster (entspricht 400 % Zoom bei 1280 px) lässt sich die "
            "Seite waagerecht scrollen; genannt werden die äußersten Elemente, die über den Rand ragen. "
            "Ragen nur Datentabellen, Bilder, Videos, Karten oder Code hinaus, gilt die Ausnahme für "
            "zweidimensionale Inhalte und es gibt keinen Befund.",
            en="In a window 320 CSS px wide (400 % zoom at 1280 px) the page scrolls horizontally; the "
            "outermost elements reaching beyond the edge are named. When only data tables, images, "
            "videos, maps or code reach beyond it, the exception for two-dimensional content applies.",
        ),
        Text(
            de="Wer stark vergrößert, darf nicht in zwei Richtungen scrollen müssen (WCAG 1.4.10). "
            "Ausnahmen (Datentabellen, Karten) gibt es: daher „zu prüfen“.",
            en="People who zoom in must not have to scroll in two directions (WCAG 1.4.10). Exceptions "
            "exist (data tables, maps): hence review.",
        ),
        Text(
            de="Responsives Layout mit relativen Breiten; lange Wörter umbrechen (overflow-wrap); breite "
            "Tabellen in einen eigenen Scrollbereich.",
            en="Responsive layout with relative widths; wrap long words (overflow-wrap); put wide tables "
            "into their own scrolling region.",
        ),
        "<div style='width: 960px'>…</div>",
    ),
    requires=collected(INTERACTION),
)
def reflow(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    evidence = capture.evidence(InteractionEvidence)
    if evidence is None:
        return
    result = evidence.reflow
    offenders = [item for item in result.offenders if item.tag not in TWO_DIMENSIONAL]
    if result.overflow_px <= 1 or not offenders:
        return
    first = offenders[0]
    yield Finding(
        result=Result.REVIEW,
        message=Text(
            de=f"Bei {result.width} CSS-Pixeln Breite ragt die Seite {result.overflow_px} Pixel "
            f"über den Rand.",
            en=f"At {result.width} CSS px the page reaches {result.overflow_px} px beyond the edge.",
        ),
        selector=first.selector,
        snippet=first.html,
        evidence={"overflow_px": result.overflow_px, "offenders": [asdict(item) for item in offenders]},
    )


def _rect(stop: FocusStop) -> list[int] | None:
    return list(stop.rect) if stop.rect is not None else None
