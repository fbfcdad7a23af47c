"""Evidence of the page collector "a11y-dom": what axe does not look at, read from the top document.

Links with short (possibly generic) names and all document links, audio and video elements, and
the hosts of shadow roots attached in "closed" mode, which axe cannot look into. Selectors are
short CSS paths, snippets shortened outer HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scanner.evidence.records import NestedEvidence


@dataclass(frozen=True)
class NamedLink:
    href: str  # absolute
    name: str  # the accessible name, approximated (aria-labelledby, aria-label, text, img alt, title)
    text: str = ""
    title: str = ""
    selector: str = ""
    html: str = ""


@dataclass(frozen=True)
class MediaTrack:
    kind: str  # subtitles when the attribute is missing, as in HTML
    srclang: str = ""


@dataclass(frozen=True)
class MediaElement:
    tag: str  # video or audio
    selector: str
    html: str = ""
    src: str = ""
    autoplay: bool = False
    playing: bool = False  # when the page had settled
    muted: bool = False
    controls: bool = False
    loop: bool = False
    duration: float | None = None  # seconds; None when not known (streams, metadata not loaded)
    tracks: tuple[MediaTrack, ...] = ()


@dataclass(frozen=True)
class ClosedShadowHost:
    selector: str
    tag: str
    html: str = ""


@dataclass(frozen=True)
class DomEvidence(NestedEvidence):
    KIND: ClassVar[str] = "a11y-dom"

    links: tuple[NamedLink, ...] = ()
    media: tuple[MediaElement, ...] = ()
    closed_shadow_roots: tuple[ClosedShadowHost, ...] = ()
