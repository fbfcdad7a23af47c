"""Media and embedded widgets axe cannot judge: captions, autoplay, closed shadow roots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

from checks.accessibility.review_notes import NOTES
from scanner.evidence import PageCapture
from scanner.evidence.accessibility_dom import DomEvidence, MediaElement
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

DOM = DomEvidence.KIND
CAPTION_KINDS = frozenset({"captions", "subtitles"})
SHORT_SOUND = 3.0  # seconds: WCAG 1.4.2 applies to audio playing longer than this


@check(
    id="accessibility.video-captions",
    review=NOTES["accessibility.video-captions"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(
        wcag=("1.2.2",), en301549=("9.1.2.2", "7.1.1"), bitv=("9.1.2.2",), law=("BITV 2.0 §3",)
    ),
    doc=CheckDoc(
        title=Text(de="Video ohne Untertitelspur", en="Video without a captions track"),
        what=Text(
            de='<video>-Elemente ohne <track kind="captions"> oder kind="subtitles".',
            en='<video> elements without a <track kind="captions"> or kind="subtitles".',
        ),
        why=Text(
            de="Gehörlose und schwerhörige Menschen brauchen Untertitel für aufgezeichnete Videos mit Ton "
            "(WCAG 1.2.2, EN 301 549 9.1.2.2 und 7.1.1). Untertitel können auch ins Video eingebrannt "
            "sein oder ein stummes Video braucht keine: daher „zu prüfen“.",
            en="Deaf and hard-of-hearing people need captions for prerecorded video with sound (WCAG "
            "1.2.2, EN 301 549 9.1.2.2, 7.1.1). Captions may be burnt in, or a silent video needs none: "
            "hence review.",
        ),
        how_to_fix=Text(
            de='Eine WebVTT-Datei mit Untertiteln einbinden: <track kind="captions" srclang="de" '
            'src="film.de.vtt">.',
            en='Add a WebVTT captions file: <track kind="captions" srclang="de" src="film.de.vtt">.',
        ),
        example='<video src="/media/imagefilm.mp4" controls></video>',
    ),
    requires=collected(DOM),
)
def video_captions(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for media in _dom(capture).media:
        if media.tag != "video" or {track.kind for track in media.tracks} & CAPTION_KINDS:
            continue
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de='Video ohne Untertitelspur (<track kind="captions">).',
                en='Video without a captions track (<track kind="captions">).',
            ),
            selector=media.selector,
            snippet=media.html,
            evidence={
                "src": media.src,
                "tracks": [asdict(track) for track in media.tracks],
                "duration": media.duration,
            },
        )


# Whole sentences by (muted, controls); {tag} is "audio" or "video".
AUTOPLAY_MESSAGES = {
    (False, True): Text(
        de="{tag} spielt automatisch ab – mit Ton.", en="{tag} plays automatically with sound."
    ),
    (False, False): Text(
        de="{tag} spielt automatisch ab – mit Ton, ohne Bedienelemente.",
        en="{tag} plays automatically with sound, without controls.",
    ),
    (True, True): Text(de="{tag} spielt automatisch ab (stumm).", en="{tag} plays automatically (muted)."),
    (True, False): Text(
        de="{tag} spielt automatisch ab (stumm), ohne Bedienelemente.",
        en="{tag} plays automatically (muted), without controls.",
    ),
}


def _autoplay_message(media: MediaElement) -> Text:
    template = AUTOPLAY_MESSAGES[bool(media.muted), bool(media.controls)]
    return Text(de=template.de.format(tag=media.tag), en=template.en.format(tag=media.tag))


@check(
    id="accessibility.media-autoplay",
    review=NOTES["accessibility.media-autoplay"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    references=References(
        wcag=("1.4.2", "2.2.2"), en301549=("9.1.4.2", "9.2.2.2"), bitv=("9.1.4.2", "9.2.2.2")
    ),
    doc=CheckDoc(
        title=Text(de="Automatisch abspielende Medien", en="Autoplaying media"),
        what=Text(
            de="Audio- oder Videoelemente, die nach dem Laden von selbst abspielen (Attribut autoplay "
            "oder laufende Wiedergabe), besonders mit Ton und ohne Bedienelemente.",
            en="Audio or video elements that play by themselves after loading (autoplay attribute or "
            "playing), especially with sound and without controls.",
        ),
        why=Text(
            de="Ton, der von selbst startet, übertönt Screenreader (WCAG 1.4.2); Bewegung, die sich nicht "
            "anhalten lässt, lenkt ab (WCAG 2.2.2). Fail, wenn Ton ohne Bedienelemente läuft; sonst "
            "„zu prüfen“.",
            en="Sound that starts by itself drowns out screen readers (WCAG 1.4.2); motion that cannot be "
            "paused distracts (WCAG 2.2.2). Fail when sound plays without controls; review otherwise.",
        ),
        how_to_fix=Text(
            de="Kein autoplay; oder stumm (muted) und mit Bedienelementen zum Anhalten.",
            en="No autoplay; or muted and with controls to pause.",
        ),
        example="<video src='/media/film.mp4' autoplay></video>",
    ),
    requires=collected(DOM),
)
def media_autoplay(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for media in _dom(capture).media:
        if not (media.autoplay or media.playing):
            continue
        long_sound = not media.muted and (media.duration is None or media.duration > SHORT_SOUND)
        certain = long_sound and media.playing and not media.controls
        yield Finding(
            result=Result.FAIL if certain else Result.REVIEW,
            message=_autoplay_message(media),
            selector=media.selector,
            snippet=media.html,
            evidence={
                key: getattr(media, key)
                for key in ("src", "autoplay", "playing", "muted", "controls", "loop", "duration")
            },
        )


@check(
    id="accessibility.closed-shadow-root",
    review=NOTES["accessibility.closed-shadow-root"],
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    references=References(
        wcag=("4.1.2",), en301549=("9.4.1.2",), bitv=("9.4.1.2",), standards=("DOM Standard: attachShadow",)
    ),
    doc=CheckDoc(
        title=Text(
            de="Komponente mit geschlossenem Shadow DOM (nicht automatisch prüfbar)",
            en="Component with a closed shadow root (not testable automatically)",
        ),
        what=Text(
            de="Elemente, an die ein Skript einen Shadow Root im Modus „closed“ angehängt hat. Sein Inhalt "
            "ist von außen unsichtbar – auch für axe-core.",
            en="Elements to which a script attached a shadow root in 'closed' mode. Its content is "
            "invisible from outside, to axe-core as well.",
        ),
        why=Text(
            de="Was axe nicht sieht, kann es nicht prüfen; der Inhalt (oft Bedienelemente) bleibt "
            "ungeprüft und darf nicht als mangelfrei gelten.",
            en="What axe cannot see it cannot test; the content (often controls) stays untested and must "
            "not count as free of defects.",
        ),
        how_to_fix=Text(
            de="Die Komponente von Hand prüfen (Tastatur, Screenreader); wo möglich mode: 'open' verwenden.",
            en="Review the component by hand (keyboard, screen reader); use mode: 'open' where possible.",
        ),
        example="element.attachShadow({mode: 'closed'})",
    ),
    requires=collected(DOM),
)
def closed_shadow_root(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for host in _dom(capture).closed_shadow_roots:
        yield Finding(
            result=Result.REVIEW,
            message=Text(
                de=f"<{host.tag}> hat einen geschlossenen Shadow Root: sein Inhalt wurde nicht geprüft.",
                en=f"<{host.tag}> has a closed shadow root: its content was not tested.",
            ),
            selector=host.selector,
            snippet=host.html,
            evidence={"tag": host.tag},
        )


def _dom(capture: PageCapture) -> DomEvidence:
    """The page's DOM evidence; the checks here require it, so an empty one stands in only for typing."""
    return capture.evidence(DomEvidence) or DomEvidence()
