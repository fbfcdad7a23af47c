"""Third-party content: remote fonts, public CDNs, embeds without a placeholder.

They run in every consent scenario: after "reject" the content is as unconsented as on the first
visit (same severity); after "accept" it is recorded as ``info`` (the registry's default).
An embed is a service of kind ``embed`` (video, maps, social widgets): a tracking pixel of the same
company is a tracker (``checks/privacy/trackers.py``), because a placeholder cannot fix a pixel.
"""

from __future__ import annotations

from collections.abc import Iterator

from checks.privacy.classify import EVERY_SCENARIO, requests_evidence, third_party_by_vendor
from checks.privacy.review_notes import NOTES
from scanner.evidence import PageCapture, Scenario
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

# reCAPTCHA is functional, not an embed, but its widget is a visible third-party frame that a
# placeholder (or a CAPTCHA without third parties) can replace: it keeps its embed finding.
PLACEHOLDER_CATEGORIES = {"captcha"}
EMBED_KINDS = {
    "video": ("Video", "video"),
    "audio": ("Audio", "audio"),
    "maps": ("Karte", "map"),
    "social": ("Social-Media-Plugin", "social plugin"),
    "captcha": ("CAPTCHA", "CAPTCHA"),
}
# Whole sentences by privacy-enhanced mode; {kind} is one of EMBED_KINDS, {vendor} the vendor's name.
EMBED_MESSAGES = {
    False: Text(
        de="{kind} von {vendor} wird ohne Klick geladen.", en="{kind} from {vendor} loads without a click."
    ),
    True: Text(
        de="{kind} von {vendor} wird ohne Klick geladen (datenschutzfreundlicher Modus, IP-Adresse wird "
        "trotzdem übertragen).",
        en="{kind} from {vendor} loads without a click (privacy-enhanced mode, the IP address is still "
        "sent).",
    ),
}
# One finding per vendor of fonts or of a public CDN; {count} is the number of its requests.
FONTS_MESSAGE = Text(
    de="Schriften von {vendor} ({count} Anfrage(n)).", en="Fonts from {vendor} ({count} request(s))."
)
CDN_MESSAGE = Text(
    de="Dateien von {vendor} ({count} Anfrage(n)).", en="Files from {vendor} ({count} request(s))."
)
# Thumbnails come from ytimg.com in either mode; what decides is where the player itself loads from.
PRIVACY_ENHANCED_HOSTS = ("youtube-nocookie.com", "ytimg.com")


def _by_category(capture: PageCapture, context: CheckContext, categories: set[str]):
    for group in third_party_by_vendor(capture, context):
        if group.vendor and group.vendor.category in categories:
            yield group


def _embeds(capture: PageCapture, context: CheckContext):
    """Embed services (by kind, not by company) and the CAPTCHA widgets."""
    for group in third_party_by_vendor(capture, context):
        vendor = group.vendor
        if vendor and (vendor.is_embed or vendor.category in PLACEHOLDER_CATEGORIES):
            yield group


@check(
    id="privacy.remote-font",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    scenarios=EVERY_SCENARIO,
    references=References(law=("DSGVO Art. 6 Abs. 1", "DSGVO Art. 44", "LG München I, 3 O 17493/20")),
    doc=CheckDoc(
        title=Text(de="Schriften von fremden Servern", en="Fonts from third-party servers"),
        what=Text(
            de="Die Seite lädt Schriften oder Schrift-Stylesheets von Google Fonts, Adobe Fonts, Font "
            "Awesome "
            "oder ähnlichen Diensten, beim ersten Aufruf und ohne Einwilligung.",
            en="The page loads fonts or font stylesheets from Google Fonts, Adobe Fonts, Font Awesome or "
            "similar "
            "services, on the first visit and without consent.",
        ),
        why=Text(
            de="Jeder Abruf überträgt die IP-Adresse an den Anbieter; das LG München I (20.01.2022, "
            "3 O 17493/20) sah darin bei Google Fonts einen Verstoß. Die rechtliche Bewertung bleibt beim "
            "DSB.",
            en="Every request sends the IP address to the provider; LG München I (20 Jan 2022, 3 O 17493/20) "
            "found this unlawful for Google Fonts. The legal assessment stays with the DPO.",
        ),
        how_to_fix=Text(
            de="Schriften selbst hosten (die Lizenzen von Google Fonts erlauben es).",
            en="Host the fonts yourself (Google Fonts' licences allow it).",
        ),
        example='<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">',
    ),
)
def remote_font(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    yield from _files_from(capture, context, "fonts", FONTS_MESSAGE)


@check(
    id="privacy.public-cdn",
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.MINOR,
    scenarios=EVERY_SCENARIO,
    references=References(law=("DSGVO Art. 6 Abs. 1", "DSGVO Art. 44")),
    doc=CheckDoc(
        title=Text(de="Skripte aus öffentlichen CDNs", en="Scripts from public CDNs"),
        what=Text(
            de="Die Seite lädt Bibliotheken aus öffentlichen CDNs (cdnjs, jsDelivr, unpkg, Google Hosted "
            "Libraries, jQuery CDN, ...).",
            en="The page loads libraries from public CDNs (cdnjs, jsDelivr, unpkg, Google Hosted Libraries, "
            "jQuery CDN, ...).",
        ),
        why=Text(
            de="Jeder Abruf überträgt IP-Adresse und Referer an den CDN-Betreiber, ohne dass die Seite es "
            "braucht; "
            "fremder Code läuft mit den Rechten der Seite.",
            en="Every request sends IP address and referrer to the CDN operator without need; foreign code "
            "runs "
            "with the page's privileges.",
        ),
        how_to_fix=Text(de="Bibliotheken selbst hosten.", en="Host the libraries yourself."),
        example='<script src="https://cdn.jsdelivr.net/npm/slider@1/slider.min.js"></script>',
    ),
)
def public_cdn(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    yield from _files_from(capture, context, "cdn", CDN_MESSAGE)


def _files_from(capture: PageCapture, context: CheckContext, category: str, message: Text):
    """One finding per vendor of ``category``, with its requests; ``message`` has {vendor} and {count}."""
    for group in _by_category(capture, context, {category}):
        count = len(group.requests)
        yield Finding(
            result=Result.FAIL,
            message=Text(
                de=message.de.format(vendor=group.vendor.label, count=count),
                en=message.en.format(vendor=group.vendor.label, count=count),
            ),
            subject=group.vendor.id,
            evidence={
                "vendor": group.vendor.summary(),
                "requests": requests_evidence(capture, group.requests),
            },
        )


@check(
    id="privacy.embed-without-consent",
    review=NOTES["privacy.embed-without-consent"],
    family=Family.PRIVACY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    scenarios=EVERY_SCENARIO,
    references=References(
        law=("TDDDG §25 Abs. 1", "DSGVO Art. 6 Abs. 1", "DSGVO Art. 44", "EuGH C-40/17 (Fashion ID)")
    ),
    doc=CheckDoc(
        title=Text(de="Einbettungen ohne Zwei-Klick-Lösung", en="Embeds without a two-click placeholder"),
        what=Text(
            de="YouTube, Vimeo, Karten (Google Maps, ...), Social-Media-Plugins oder reCAPTCHA werden beim "
            "ersten "
            "Aufruf geladen, ohne dass Besuchende auf einen Platzhalter geklickt haben. "
            "youtube-nocookie.com wird "
            "als „prüfen“ gemeldet: es setzt erst beim Abspielen Cookies, überträgt aber die IP-Adresse "
            "sofort. Es zählen nur Dienste, die Besuchende sehen (Art „Einbettung“ im Anbieterregister): "
            "ein Tracking-Pixel desselben Unternehmens (Meta-Pixel neben dem Facebook-Seiten-Plugin) meldet "
            "privacy.tracker-before-consent. Läuft auch nach „Ablehnen“ (gleiche Schwere) und nach "
            "„Akzeptieren“ (info).",
            en="YouTube, Vimeo, maps (Google Maps, ...), social plugins or reCAPTCHA load on the first visit "
            "before visitors clicked a placeholder. youtube-nocookie.com is reported as 'review': it sets "
            "cookies "
            "only on playback but sends the IP address at once. Only services a visitor sees count (kind "
            "'embed' in the vendor registry): a tracking pixel of the same company (Meta pixel beside "
            "Facebook's page plugin) is reported by privacy.tracker-before-consent. Also run after 'reject' "
            "(same severity) and after 'accept' (info).",
        ),
        why=Text(
            de="Der Anbieter erhält IP-Adresse und besuchte Seite und kann Cookies setzen (TDDDG §25); der "
            "Seitenbetreiber ist für die Einbindung mitverantwortlich (EuGH Fashion ID, C-40/17).",
            en="The provider receives the IP address and the visited page and may set cookies (TDDDG §25); "
            "the "
            "site operator is jointly responsible for the embed (CJEU Fashion ID, C-40/17).",
        ),
        how_to_fix=Text(
            de="Einbettungen hinter einen Platzhalter legen, der erst nach Klick lädt; Karten mit selbst "
            "gehosteten Kacheln; CAPTCHA ohne Drittanbieter.",
            en="Put embeds behind a placeholder that loads only after a click; maps from self-hosted tiles; "
            "CAPTCHAs without third parties.",
        ),
        example='<iframe src="https://www.youtube.com/embed/abc"></iframe>',
    ),
)
def embed_without_consent(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    for group in _embeds(capture, context):
        vendor = group.vendor
        privacy_enhanced = all(request.host.endswith(PRIVACY_ENHANCED_HOSTS) for request in group.requests)
        kind_de, kind_en = EMBED_KINDS[vendor.category]
        message = EMBED_MESSAGES[privacy_enhanced]
        yield Finding(
            result=Result.REVIEW if privacy_enhanced else Result.FAIL,
            # after "accept" the scenario's severity (info) applies to either mode
            severity=Severity.MINOR if privacy_enhanced and capture.scenario != Scenario.ACCEPTED else None,
            message=Text(
                de=message.de.format(kind=kind_de, vendor=vendor.label),
                en=message.en.format(kind=kind_en, vendor=vendor.label),
            ),
            subject=vendor.id,
            evidence={
                "vendor": vendor.summary(),
                "privacy_enhanced_mode": privacy_enhanced,
                "frames": sorted(
                    {redact_url(r.frame_url) for r in group.requests if r.frame_url and not r.is_main_frame}
                )[:10],
                "requests": requests_evidence(capture, group.requests),
            },
        )
