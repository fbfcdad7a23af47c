"""The accessibility statement (BITV 2.0 §7, BGG §12b, Implementing Decision (EU) 2018/1523).

accessibility.statement-linked     linked from every crawled page
accessibility.statement-reachable  its target answers and was tested (site checks never fetch)
accessibility.statement-content    the mandatory parts are there (heuristics, German and English)
accessibility.statement-outdated   prepared or reviewed more than 12 months ago
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from checks.accessibility.legal_site import (
    SiteIndex,
    is_statement_link,
    obligation,
    page_key,
    page_texts,
    site_index,
    under_policy,
)
from checks.accessibility.review_notes import (
    LINKED_PAGE_DOCUMENT,
    LINKED_PAGE_NOT_CRAWLED,
    LINKED_PAGE_UNREACHABLE,
    NOTES,
)
from checks.accessibility.statement_text import PARTS, analyse_statement
from scanner.evidence import PageKind
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

MAX_AGE_DAYS = 365
LAW = ("BITV 2.0 §7", "BGG §12b", "Durchführungsbeschluss (EU) 2018/1523")
PART_LABELS = {
    "status": ("Stand der Vereinbarkeit (vollständig/teilweise/nicht vereinbar)", "compliance status"),
    "standard": ("angewandter Standard (BITV 2.0, EN 301 549, WCAG)", "standard applied"),
    "non_accessible_content": (
        "nicht barrierefreie Inhalte mit Begründung",
        "non-accessible content with reasons",
    ),
    "date_and_method": ("Datum und Methode der Erstellung", "date and method of preparation"),
    "feedback": ("Feedback-Kontakt (E-Mail, Telefon oder Formular)", "feedback contact"),
    "enforcement": ("Schlichtungsverfahren mit Link", "enforcement procedure with a link"),
}


def statement_targets(index: SiteIndex) -> dict[str, str]:
    """page key -> absolute URL of every statement link target on the crawled pages."""
    targets: dict[str, str] = {}
    for page in index.html_pages:
        for link in page.links:
            if is_statement_link(link):
                targets.setdefault(page_key(link.href), link.href)
    return targets


def _statement_pages(site: SiteEvidence) -> list[str]:
    """URLs of the statement pages that were crawled and tested as HTML."""
    index = site_index(site)
    return [
        url
        for url in statement_targets(index).values()
        if (page := index.find(url)) is not None and page.testable and page.kind is PageKind.HTML
    ]


@check(
    id="accessibility.statement-linked",
    review=NOTES["accessibility.statement-linked"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.SERIOUS,
    references=References(law=LAW),
    doc=CheckDoc(
        title=Text(
            de="Erklärung zur Barrierefreiheit nicht von jeder Seite verlinkt",
            en="Accessibility statement not linked from every page",
        ),
        what=Text(
            de="Seiten ohne Link auf die Erklärung zur Barrierefreiheit (Linktext wie „Erklärung zur "
            "Barrierefreiheit“, „Barrierefreiheitserklärung“ oder „Barrierefreiheit“).",
            en="Pages without a link to the accessibility statement (link text such as 'Erklärung zur "
            "Barrierefreiheit', 'Barrierefreiheitserklärung' or 'accessibility statement').",
        ),
        why=Text(
            de="BITV 2.0 §7 Abs. 1: die Erklärung muss von der Startseite und jeder Seite aus erreichbar "
            "sein. Fehlt der Link auf einzelnen Seiten, während andere ihn haben, ist das ein Mangel; "
            "findet sich auf keiner Seite einer: „zu prüfen“ (der Linktext kann ungewöhnlich sein).",
            en="BITV 2.0 §7(1): the statement must be reachable from the homepage and every page. A link "
            "missing on some pages while others have it is a defect; none on any page: review (the link "
            "text may be unusual).",
        ),
        how_to_fix=Text(
            de="Den Link in die Fußzeile des Seitentemplates aufnehmen, auf allen Seiten gleich.",
            en="Put the link into the footer of the page template, the same on every page.",
        ),
        example='<footer>… <a href="/barrierefreiheit/">Erklärung zur Barrierefreiheit</a></footer>',
    ),
)
def statement_linked(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    level = obligation(context, "statement")
    if level == "off":
        return
    index = site_index(site)
    pages = index.html_pages
    if not pages:
        return
    with_link = [page for page in pages if any(is_statement_link(link) for link in page.links)]
    statement_keys = set(statement_targets(index))
    if not with_link:
        findings = [
            Finding(
                result=Result.REVIEW,
                message=Text(
                    de=f"Auf keiner der {len(pages)} geprüften Seiten wurde ein Link auf eine Erklärung zur "
                    "Barrierefreiheit gefunden.",
                    en=f"None of the {len(pages)} tested pages links to an accessibility statement.",
                ),
                subject="site",
                evidence={"pages": len(pages)},
            )
        ]
    else:
        findings = [
            Finding(
                result=Result.FAIL,
                message=Text(
                    de="Diese Seite verlinkt die Erklärung zur Barrierefreiheit nicht (andere Seiten tun "
                    "es).",
                    en="This page does not link to the accessibility statement (other pages do).",
                ),
                subject=page.final_url,
                evidence={"page": page.final_url, "pages_with_link": len(with_link), "pages": len(pages)},
            )
            for page in pages
            if page not in with_link and page_key(page.final_url) not in statement_keys
        ]
    yield from under_policy(findings, level)


@check(
    id="accessibility.statement-reachable",
    review=NOTES["accessibility.statement-reachable"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.SERIOUS,
    references=References(law=LAW),
    doc=CheckDoc(
        title=Text(
            de="Erklärung zur Barrierefreiheit nicht erreichbar oder nicht geprüft",
            en="Accessibility statement unreachable or not tested",
        ),
        what=Text(
            de="Ziele der Links auf die Erklärung: antwortet das Ziel mit einem Fehler, ist es ein Mangel; "
            "ist es nur ein PDF oder wurde es nicht gecrawlt (außerhalb des Umfangs, Seitenlimit), ist "
            "es „zu prüfen“, mit dem Grund.",
            en="Targets of statement links: a target answering with an error is a defect; a PDF only, or a "
            "target the crawl did not reach (out of scope, page limit), is a review, with the reason.",
        ),
        why=Text(
            de="BITV 2.0 §7 Abs. 1: die Erklärung muss erreichbar, barrierefrei und maschinenlesbar sein "
            "(eine HTML-Seite).",
            en="BITV 2.0 §7(1): the statement must be reachable, accessible and machine-readable (an HTML "
            "page).",
        ),
        how_to_fix=Text(
            de="Die Erklärung als HTML-Seite veröffentlichen und den Link reparieren. Liegt sie auf einem "
            "anderen Host, diesen in first_party_hosts aufnehmen, damit govscan sie prüfen kann.",
            en="Publish the statement as an HTML page and fix the link. If it lives on another host, add "
            "that host to first_party_hosts so govscan can test it.",
        ),
        example='<a href="/barrierefreiheit/">Erklärung zur Barrierefreiheit</a> → HTTP 404',
    ),
)
def statement_reachable(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    level = obligation(context, "statement")
    if level == "off":
        return
    index = site_index(site)
    findings = [
        finding
        for url in statement_targets(index).values()
        if (finding := target_problem(index, url, "statement"))
    ]
    yield from under_policy(findings, level)


# Whole sentences per linked page ({url}, {failure}), not names put into a sentence.
TARGET_MESSAGES = {
    "statement": {
        "not_crawled": Text(
            de="Die Erklärung zur Barrierefreiheit ({url}) wurde nicht gecrawlt (außerhalb des Umfangs oder "
            "Seitenlimit) und konnte daher nicht geprüft werden.",
            en="The accessibility statement ({url}) was not crawled (out of scope or page limit) and could "
            "not be tested.",
        ),
        "document": Text(
            de="Die Erklärung zur Barrierefreiheit ist nur ein Dokument ({url}), keine HTML-Seite.",
            en="The accessibility statement is only a document ({url}), not an HTML page.",
        ),
        "unreachable": Text(
            de="Die Erklärung zur Barrierefreiheit ({url}) ist nicht erreichbar: {failure}.",
            en="The accessibility statement ({url}) is not reachable: {failure}.",
        ),
    },
    "easy-language": {
        "not_crawled": Text(
            de="Das Angebot in Leichter Sprache ({url}) wurde nicht gecrawlt (außerhalb des Umfangs oder "
            "Seitenlimit) und konnte daher nicht geprüft werden.",
            en="The Leichte Sprache (easy-to-read) page ({url}) was not crawled (out of scope or page limit) "
            "and could not be tested.",
        ),
        "document": Text(
            de="Das Angebot in Leichter Sprache ist nur ein Dokument ({url}), keine HTML-Seite.",
            en="The Leichte Sprache (easy-to-read) page is only a document ({url}), not an HTML page.",
        ),
        "unreachable": Text(
            de="Das Angebot in Leichter Sprache ({url}) ist nicht erreichbar: {failure}.",
            en="The Leichte Sprache (easy-to-read) page ({url}) is not reachable: {failure}.",
        ),
    },
    "sign-language": {
        "not_crawled": Text(
            de="Das Angebot in Deutscher Gebärdensprache ({url}) wurde nicht gecrawlt (außerhalb des Umfangs "
            "oder Seitenlimit) und konnte daher nicht geprüft werden.",
            en="The sign language (DGS) page ({url}) was not crawled (out of scope or page limit) and could "
            "not be tested.",
        ),
        "document": Text(
            de="Das Angebot in Deutscher Gebärdensprache ist nur ein Dokument ({url}), keine HTML-Seite.",
            en="The sign language (DGS) page is only a document ({url}), not an HTML page.",
        ),
        "unreachable": Text(
            de="Das Angebot in Deutscher Gebärdensprache ({url}) ist nicht erreichbar: {failure}.",
            en="The sign language (DGS) page ({url}) is not reachable: {failure}.",
        ),
    },
}


def _message(what: str, kind: str, **values: object) -> Text:
    template = TARGET_MESSAGES[what][kind]
    return Text(de=template.de.format(**values), en=template.en.format(**values))


def target_problem(index: SiteIndex, url: str, what: str) -> Finding | None:
    """A finding when a linked legal page failed, is only a document, or was not crawled; else None."""
    page = index.find(url)
    if page is None:
        finding = Finding(
            result=Result.REVIEW,
            message=_message(what, "not_crawled", url=url),
            subject=url,
            evidence={"url": url, "reason": "not crawled"},
        )
        return with_note(finding, LINKED_PAGE_NOT_CRAWLED)
    if page.kind is PageKind.DOCUMENT and page.testable:
        finding = Finding(
            result=Result.REVIEW,
            message=_message(what, "document", url=url),
            subject=url,
            evidence={"url": url, "reason": "document"},
        )
        return with_note(finding, LINKED_PAGE_DOCUMENT)
    if not page.testable:
        certain = bool(page.failure and page.failure.startswith("http_error"))
        finding = Finding(
            result=Result.FAIL if certain else Result.REVIEW,
            message=_message(what, "unreachable", url=url, failure=page.failure),
            subject=url,
            evidence={"url": url, "failure": page.failure},
        )
        return with_note(finding, LINKED_PAGE_UNREACHABLE)  # a review only when the failure is uncertain
    return None


@check(
    id="accessibility.statement-content",
    review=NOTES["accessibility.statement-content"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.MODERATE,
    references=References(law=LAW),
    doc=CheckDoc(
        title=Text(
            de="Pflichtangaben der Erklärung zur Barrierefreiheit nicht gefunden",
            en="Mandatory parts of the accessibility statement not found",
        ),
        what=Text(
            de="Im Hauptinhalt der Erklärung wird gesucht nach: Stand der Vereinbarkeit, angewandtem "
            "Standard, nicht barrierefreien Inhalten mit Begründung, Datum und Methode der Erstellung, "
            "Feedback-Kontakt (E-Mail/Telefon/Formular) und Schlichtungsverfahren mit Link.",
            en="The statement's main content is searched for: compliance status, standard applied, "
            "non-accessible content with reasons, date and method of preparation, a feedback contact "
            "(e-mail/phone/form) and the enforcement procedure with a link.",
        ),
        why=Text(
            de="Diese Angaben schreiben BGG §12b Abs. 2 und das Muster des Durchführungsbeschlusses (EU) "
            "2018/1523 vor. Die Suche erkennt Wörter, keine Bedeutung: daher „zu prüfen“.",
            en="BGG §12b(2) and the model statement of Implementing Decision (EU) 2018/1523 require these "
            "parts. The search finds words, not meaning: hence review.",
        ),
        how_to_fix=Text(
            de="Die Erklärung nach dem Muster der Überwachungsstelle des Bundes (BFIT-Bund) bzw. des Landes "
            "vervollständigen.",
            en="Complete the statement following the model of the federal or Land monitoring body.",
        ),
        example="<h1>Erklärung zur Barrierefreiheit</h1><p>Diese Website ist teilweise mit der BITV 2.0 "
        "vereinbar.</p>  (no feedback contact, no enforcement procedure)",
    ),
)
def statement_content(site: SiteEvidence, context: CheckContext) -> Iterator[Finding]:
    level = obligation(context, "statement")
    if level == "off":
        return
    urls = _statement_pages(site)
    texts = page_texts(site, set(urls))
    findings = []
    for url in urls:
        text = texts.get(page_key(url))
        if text is None:
            continue
        analysis = analyse_statement(text.text, text.links)
        for part in analysis.missing:
            label_de, label_en = PART_LABELS[part]
            findings.append(
                Finding(
                    result=Result.REVIEW,
                    message=Text(
                        de=f"In der Erklärung zur Barrierefreiheit nicht gefunden: {label_de}.",
                        en=f"Not found in the accessibility statement: {label_en}.",
                    ),
                    subject=f"{url}#{part}",
                    evidence={"url": url, "missing": part, "found": [p for p in PARTS if analysis.found[p]]},
                )
            )
    yield from under_policy(findings, level)


@check(
    id="accessibility.statement-outdated",
    review=NOTES["accessibility.statement-outdated"],
    family=Family.ACCESSIBILITY,
    scope=Scope.SITE,
    severity=Severity.MODERATE,
    references=References(law=(*LAW, "Richtlinie (EU) 2016/2102 Art. 7")),
    doc=CheckDoc(
        title=Text(
            de="Erklärung zur Barrierefreiheit älter als 12 Monate",
            en="Accessibility statement older than 12 months",
        ),
        what=Text(
            de="Das jüngste Datum, das die Erklärung bei „erstellt“, „überprüft“, „Stand“ o. Ä. nennt, liegt "
            "mehr als 12 Monate vor dem Scan; oder die Erklärung nennt kein Datum.",
            en="The newest date the statement gives next to 'prepared', 'reviewed', 'updated' or similar "
            "lies more than 12 months before the scan; or the statement gives no date.",
        ),
        why=Text(
            de="Die Erklärung ist regelmäßig, mindestens jährlich, zu überprüfen und zu aktualisieren "
            "(Durchführungsbeschluss (EU) 2018/1523, Erwägungsgrund 3; BITV 2.0 §7). Ob seither nur "
            "nicht aktualisiert wurde, muss ein Mensch klären: „zu prüfen“.",
            en="The statement must be reviewed and updated regularly, at least once a year (Implementing "
            "Decision (EU) 2018/1523, recital 3). Whether it was merely not updated needs a person: review.",
        ),
        how_to_fix=Text(
            de="Die Barrierefreiheit erneut bewerten und die Erklärung mit neuem Datum veröffentlichen.",
            en="Evaluate the site again and publish the statement with a new date.",
        ),
        example="Diese Erklärung wurde am 15.03.2023 erstellt und zuletzt am 20.02.2024 überprüft.",
    ),
)
def statement_outdated(
    site: SiteEvidence, context: CheckContext, today: date | None = None
) -> Iterator[Finding]:
    level = obligation(context, "statement")
    if level == "off":
        return
    today = today or datetime.now(UTC).date()
    urls = _statement_pages(site)
    texts = page_texts(site, set(urls))
    findings = []
    for url in urls:
        text = texts.get(page_key(url))
        if text is None:
            continue
        dated = analyse_statement(text.text, text.links).statement_date
        if dated is not None and (today - dated).days <= MAX_AGE_DAYS:
            continue
        age = (today - dated).days if dated else None
        findings.append(
            Finding(
                result=Result.REVIEW,
                message=Text(
                    de=f"Die Erklärung ist vom {dated:%d.%m.%Y}, also {age} Tage alt."
                    if dated
                    else "Die Erklärung nennt kein Datum der Erstellung oder Überprüfung.",
                    en=f"The statement dates from {dated:%Y-%m-%d}, {age} days ago."
                    if dated
                    else "The statement gives no date of preparation or review.",
                ),
                subject=url,
                evidence={"url": url, "date": dated.isoformat() if dated else None, "age_days": age},
            )
        )
    yield from under_policy(findings, level)
