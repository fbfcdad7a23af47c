"""BITV 2.0 §4 (Leichte Sprache, Deutsche Gebärdensprache on the homepage) and §7(2) feedback.

accessibility.easy-language       a Leichte-Sprache offer linked from the homepage, its target tested
accessibility.sign-language       a DGS offer linked from the homepage, its target tested, with video
accessibility.feedback-mechanism  a way to report barriers reachable from every page
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from checks.accessibility.legal_site import (
    SiteIndex,
    is_easy_language_link,
    is_feedback_link,
    is_sign_language_link,
    is_statement_link,
    obligation,
    page_key,
    page_texts,
    site_index,
    under_policy,
)
from checks.accessibility.review_notes import HOMEPAGE_UNTESTED, NOTES
from checks.accessibility.statement import target_problem
from scanner.evidence import Link, PageKind
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    SiteEvidence,
    Text,
    check,
)
from scanner.findings.review import with_note

# Whole sentences per offer ({reason} is the homepage's failure), not names put into a sentence.
OFFER_MESSAGES = {
    "easy-language": {
        "homepage_untested": Text(
            de="Die Startseite konnte nicht geprüft werden ({reason}); ob sie auf Informationen in "
            "Leichter Sprache verweist, ist offen.",
            en="The homepage could not be tested ({reason}); whether it links to information in Leichte "
            "Sprache (easy-to-read German) is open.",
        ),
        "no_link": Text(
            de="Auf der Startseite wurde kein Link auf Informationen in Leichter Sprache gefunden.",
            en="No link to information in Leichte Sprache (easy-to-read German) was found on the homepage.",
        ),
    },
    "sign-language": {
        "homepage_untested": Text(
            de="Die Startseite konnte nicht geprüft werden ({reason}); ob sie auf Informationen in "
            "Deutscher Gebärdensprache verweist, ist offen.",
            en="The homepage could not be tested ({reason}); whether it links to information in German "
            "Sign Language (DGS) is open.",
        ),
        "no_link": Text(
            de="Auf der Startseite wurde kein Link auf Informationen in Deutscher Gebärdensprache gefunden.",
            en="No link to information in German Sign Language (DGS) was found on the homepage.",
        ),
    },
}


def _formatted(text: Text, **values: str) -> Text:
    return Text(de=text.de.format(**values), en=text.en.format(**values))


def _homepage_offer(
    site: SiteEvidence, context: CheckContext, what: str, matches: Callable[[Link], bool]
) -> tuple[list[Finding], list[str]]:
    """Findings about the homepage's links to one offer, and the URLs of targets that were tested."""
    index = site_index(site)
    messages = OFFER_MESSAGES[what]
    homepages = [page for page in index.homepages(context) if page.kind is PageKind.HTML]
    tested = [page for page in homepages if page.testable]
    if not index.html_pages:
        return [], []  # nothing of the site was tested: the scan's own failure class says so
    if not tested:
        reason = "; ".join(page.failure or "" for page in homepages) or "not crawled"
        return [
            with_note(
                Finding(
                    result=Result.REVIEW,
                    message=_formatted(messages["homepage_untested"], reason=reason),
                    subject="homepage",
                    evidence={"start_urls": list(context.start_urls), "reason": reason},
                ),
                HOMEPAGE_UNTESTED,
            )
        ], []
    findings: list[Finding] = []
    reachable: list[str] = []
    for homepage in tested:
        targets = {page_key(link.href): link.href for link in homepage.links if matches(link)}
        if not targets:
            findings.append(
                Finding(
                    result=Result.REVIEW,
                    message=messages["no_link"],
                    subject=homepage.final_url,
                    evidence={"homepage": homepage.final_url},
                )
            )
        for url in targets.values():
            problem = target_problem(index, url, what)
            if problem is None:
                reachable.append(url)
            else:
                findings.append(problem)
    return findings, reachable


OFFER_WHY = Text(
    de="BITV 2.0 §4 mit Anlage 2: auf der Startseite sind Informationen zu Inhalt und Navigation, "
    "zur Erklärung zur Barrierefreiheit und Hinweise auf weitere Angebote in Leichter Sprache und "
    "Deutscher Gebärdensprache bereitzustellen. Ob die Pflicht gilt, hängt von Verwaltungsebene "
    "und Landesrecht ab (accessibility_obligations in targets.toml).",
    en="BITV 2.0 §4 with annex 2: the homepage must offer information on content and navigation, on "
    "the accessibility statement and pointers to further content in Leichte Sprache and German Sign "
    "Language. Whether this applies depends on the authority level and Land law "
    "(accessibility_obligations in targets.toml).",
)
OFFER_FIX = Text(
    de="Einen gut sichtbaren Link im Kopfbereich der Startseite setzen und die Zielseite veröffentlichen.",
    en="Put a clearly visible link into the homepage header and publish the target page.",
)


@check(
    id="accessibility.easy-language",
    review=NOTES["accessibility.easy-language"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.SERIOUS,
    references=References(law=("BITV 2.0 §4", "BITV 2.0 Anlage 2 Teil 2")),
    doc=CheckDoc(
        title=Text(
            de="Informationen in Leichter Sprache auf der Startseite fehlen oder sind nicht erreichbar",
            en="Information in Leichte Sprache (easy-to-read German) missing on the homepage or unreachable",
        ),
        what=Text(
            de="Die Startseite (die Start-URLs des Ziels) verlinkt keine Informationen in Leichter Sprache, "
            "oder das Ziel des Links antwortet mit einem Fehler (Mangel) bzw. wurde nicht gecrawlt (zu "
            "prüfen).",
            en="The homepage (the target's start URLs) does not link to information in Leichte Sprache "
            "(easy-to-read German), or the link's target answers with an error (defect) or was not crawled "
            "(review).",
        ),
        why=OFFER_WHY,
        how_to_fix=OFFER_FIX,
        example='<a href="/leichte-sprache/">Leichte Sprache</a> → HTTP 404',
    ),
)
def easy_language(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    level = obligation(context, "easy-language")
    if level == "off":
        return
    findings, _ = _homepage_offer(site, context, "easy-language", is_easy_language_link)
    yield from under_policy(findings, level)


@check(
    id="accessibility.sign-language",
    review=NOTES["accessibility.sign-language"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.SERIOUS,
    references=References(law=("BITV 2.0 §4", "BITV 2.0 Anlage 2 Teil 1")),
    doc=CheckDoc(
        title=Text(
            de="Informationen in Deutscher Gebärdensprache auf der Startseite fehlen oder sind nicht "
            "erreichbar",
            en="Information in German Sign Language (DGS) missing on the homepage or unreachable",
        ),
        what=Text(
            de="Die Startseite (die Start-URLs des Ziels) verlinkt keine Informationen in Deutscher "
            "Gebärdensprache, oder das Ziel des Links antwortet mit einem Fehler (Mangel) bzw. wurde nicht "
            "gecrawlt (zu prüfen). Außerdem ist eine erreichte Seite in Gebärdensprache ohne Video (kein "
            "<video>, kein eingebetteter Player, kein Link auf eine Videodatei) zu prüfen.",
            en="The homepage (the target's start URLs) does not link to information in German Sign "
            "Language (DGS), or the link's target answers with an error (defect) or was not crawled "
            "(review). A sign language page that was reached but carries no video (no <video>, no "
            "embedded player, no link to a video file) is for review as well.",
        ),
        why=OFFER_WHY,
        how_to_fix=OFFER_FIX,
        example='<a href="/gebaerdensprache/">Deutsche Gebärdensprache</a> → HTTP 404',
    ),
)
def sign_language(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    level = obligation(context, "sign-language")
    if level == "off":
        return
    findings, reachable = _homepage_offer(site, context, "sign-language", is_sign_language_link)
    texts = page_texts(site, set(reachable))
    for url in reachable:
        text = texts.get(page_key(url))
        if text is not None and not text.has_video:
            findings.append(
                Finding(
                    result=Result.REVIEW,
                    message=Text(
                        de=f"Die Seite in Gebärdensprache ({url}) enthält kein Video.",
                        en=f"The sign language page ({url}) carries no video.",
                    ),
                    subject=f"{url}#video",
                    evidence={"url": url},
                )
            )
    yield from under_policy(findings, level)


@check(
    id="accessibility.feedback-mechanism",
    review=NOTES["accessibility.feedback-mechanism"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.MODERATE,
    references=References(law=("BITV 2.0 §7 Abs. 2", "BGG §12b Abs. 2 Nr. 3")),
    doc=CheckDoc(
        title=Text(
            de="Kein Feedback-Mechanismus auf der Seite erreichbar",
            en="No feedback mechanism reachable from the page",
        ),
        what=Text(
            de="Seiten ohne Link zum Melden von Barrieren („Barriere melden“, Feedback, Kontakt, E-Mail) und "
            "ohne Link auf die Erklärung zur Barrierefreiheit (die den Kontakt nennen muss).",
            en="Pages without a link to report barriers ('Barriere melden', feedback, contact, e-mail) and "
            "without a link to the accessibility statement (which must name the contact).",
        ),
        why=Text(
            de="BITV 2.0 §7 Abs. 2 und BGG §12b: Nutzende müssen Barrieren melden können, direkt "
            "erreichbar. Ob ein gefundener Kontakt-Link wirklich dafür taugt, prüft ein Mensch: "
            "Befunde sind „zu prüfen“.",
            en="BITV 2.0 §7(2) and BGG §12b: people must be able to report barriers, directly reachable. "
            "Whether a contact link serves that purpose needs a person: findings are reviews.",
        ),
        how_to_fix=Text(
            de="Einen Link „Barriere melden“ (Formular oder E-Mail) in die Fußzeile des Templates aufnehmen.",
            en="Put a 'Barriere melden' link (form or e-mail) into the footer of the template.",
        ),
        example='<footer><a href="/impressum/">Impressum</a> '
        '<a href="/datenschutz/">Datenschutz</a></footer>',
    ),
)
def feedback_mechanism(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    level = obligation(context, "feedback")
    if level == "off":
        return
    index: SiteIndex = site_index(site)
    findings = [
        Finding(
            result=Result.REVIEW,
            message=Text(
                de="Auf dieser Seite gibt es weder einen Link zum Melden von Barrieren noch einen auf die "
                "Erklärung zur Barrierefreiheit.",
                en="This page has neither a link to report barriers nor one to the accessibility statement.",
            ),
            subject=page.final_url,
            evidence={"page": page.final_url},
        )
        for page in index.html_pages
        if not any(is_feedback_link(link) or is_statement_link(link) for link in page.links)
    ]
    yield from under_policy(findings, level)
