"""What a person looks at, and why govscan cannot decide, for the review findings of the
accessibility checks govscan implements itself (axe's reviews: ``axe_review.py``).

One note per check, for the case in which that check answers ``review`` rather than ``fail``;
reasons that differ within one check (a legal page not crawled, only a document) carry their own.
"""

from __future__ import annotations

from scanner.findings.registry import Text
from scanner.findings.review import ReviewNote


def note(reason: str, look_de: str, look_en: str, why_de: str, why_en: str) -> ReviewNote:
    return ReviewNote(reason, Text(de=look_de, en=look_en), Text(de=why_de, en=why_en))


NOTES: dict[str, ReviewNote] = {
    "accessibility.axe-not-tested": note(
        "axe-not-tested",
        "Den nicht geprüften Frame bzw. die Seite von Hand oder mit axe in einem Browser prüfen.",
        "Test the frame or page that was left out by hand, or with axe in a browser.",
        "axe hat innerhalb der Zeitgrenze nicht geantwortet oder ist gescheitert; über diesen Teil sagt der "
        "Scan nichts, weder Mangel noch Bestehen.",
        "axe did not answer within its time limit or failed; the scan says nothing about this part, "
        "neither defect nor pass.",
    ),
    "accessibility.keyboard-trap": note(
        "keyboard-trap",
        "Mit der Tastatur durch diesen Bereich gehen: kommt man mit Tab, Umschalt+Tab, Escape, den "
        "Pfeiltasten oder einem Schließen-Knopf wieder heraus? Hilft nur eine besondere Taste, muss die "
        "Seite sie nennen.",
        "Walk through this region with the keyboard: does Tab, Shift+Tab, Escape, the arrow keys or a close "
        "button take you out again? If only a special key helps, the page must say so.",
        "Der automatische Gang drückt nur Tab, Umschalt+Tab und Escape; andere Wege heraus kann er nicht "
        "ausschließen.",
        "The automated walk presses only Tab, Shift+Tab and Escape; it cannot rule out other ways out.",
    ),
    "accessibility.focus-visible": note(
        "focus-visible",
        "Das Element mit der Tabulatortaste fokussieren: ist deutlich zu sehen, wo der Fokus steht?",
        "Focus the element with the Tab key: can you clearly see where focus is?",
        "govscan vergleicht nur die berechneten Stile des Elements vor und nach dem Fokus; ein Rahmen am "
        "Elternelement, eine Grafik oder ein Skript-Effekt entgehen ihm.",
        "govscan compares only the element's computed styles before and after focus; an outline on a "
        "parent, a graphic or a script effect escapes it.",
    ),
    "accessibility.focus-obscured": note(
        "focus-obscured",
        "Die fokussierten Elemente unter der Ebene mit der Tastatur erreichen: bleibt jedes zumindest "
        "teilweise sichtbar (WCAG 2.4.11)?",
        "Reach the focused elements under the layer with the keyboard: does each stay at least partly "
        "visible (WCAG 2.4.11)?",
        "govscan vergleicht Rechtecke; ob die Ebene durchsichtig, nur zeitweise da oder wegklickbar ist, "
        "zeigt erst das Ansehen.",
        "govscan compares rectangles; whether the layer is transparent, temporary or can be dismissed shows "
        "only when one looks.",
    ),
    "accessibility.skip-link": note(
        "skip-link",
        "Die Seite laden und Tab drücken: gibt es einen Sprunglink, der bei Fokus sichtbar wird, oder einen "
        "anderen Weg (Überschriften, Landmarks), wiederkehrende Blöcke zu überspringen?",
        "Load the page and press Tab: is there a skip link that becomes visible on focus, or another way "
        "(headings, landmarks) to bypass repeated blocks?",
        "WCAG 2.4.1 verlangt einen Mechanismus, nicht zwingend einen Sprunglink; und ein Link, der verzögert "
        "erscheint, entgeht der Messung beim Fokus.",
        "WCAG 2.4.1 asks for a mechanism, not necessarily a skip link; and a link that appears with a delay "
        "escapes the measurement on focus.",
    ),
    "accessibility.reflow": note(
        "reflow",
        "Die Seite bei 320 CSS-Pixeln Breite (400 % Zoom) ansehen: muss man für Text waagerecht scrollen? "
        "Tabellen, Karten und Diagramme dürfen es.",
        "View the page at 320 CSS px (400 % zoom): must one scroll sideways to read text? Tables, maps and "
        "diagrams may.",
        "Überbreite ist erlaubt, wo Inhalte zweidimensionales Layout brauchen; das kann nur ein Mensch "
        "einordnen.",
        "Overflow is allowed where content needs a two-dimensional layout; only a person can tell.",
    ),
    "accessibility.link-text-generic": note(
        "link-text-generic",
        "Den Link in seinem Satz oder Absatz lesen: wird das Ziel aus dem Zusammenhang klar (WCAG 2.4.4), "
        "oder braucht er einen eigenen Text bzw. ein aria-label?",
        "Read the link in its sentence or paragraph: does the context make the target clear (WCAG 2.4.4), or "
        "does it need text of its own or an aria-label?",
        "WCAG 2.4.4 erlaubt, dass der umgebende Text den Zweck erklärt; ob er das tut, ist eine Frage des "
        "Verstehens.",
        "WCAG 2.4.4 lets the surrounding text explain the purpose; whether it does is a matter of "
        "understanding.",
    ),
    "accessibility.document-link-type": note(
        "document-link-type",
        "Den Link und seine Umgebung: nennt der Text daneben, ein Symbol mit Textalternative oder der "
        "title das Dateiformat?",
        "The link and its surroundings: does nearby text, an icon with a text alternative or the title name "
        "the file type?",
        "Das Format kann auch außerhalb des Linktexts angegeben sein, etwa in einer Liste mit Überschrift "
        "„PDF-Dokumente“.",
        "The type may be given outside the link text, e.g. in a list headed 'PDF documents'.",
    ),
    "accessibility.video-captions": note(
        "video-captions",
        "Das Video abspielen: hat es Ton, und sind Sprache und wichtige Geräusche als Untertitel (Spur oder "
        "ins Bild eingebrannt) zu sehen?",
        "Play the video: does it have sound, and are speech and important sounds shown as captions (a track "
        "or burnt in)?",
        "Eingebrannte Untertitel und Videos ohne Ton sind im Code nicht zu erkennen.",
        "Burnt-in captions and videos without sound cannot be recognised in the code.",
    ),
    "accessibility.media-autoplay": note(
        "media-autoplay",
        "Die Seite laden: spielt das Medium länger als 3 Sekunden Ton ab, und lässt es sich anhalten oder "
        "leiser stellen?",
        "Load the page: does the medium play sound for longer than 3 seconds, and can it be paused or turned "
        "down?",
        "Ob wirklich Ton läuft und wie lange, ließ sich beim Besuch nicht sicher messen (stumm, kurz oder "
        "mit Bedienelementen).",
        "Whether sound really plays, and for how long, could not be measured reliably during the visit "
        "(muted, short or with controls).",
    ),
    "accessibility.closed-shadow-root": note(
        "closed-shadow-root",
        "Die Komponente von Hand prüfen (Tastatur, Screenreader, Kontrast) oder den Anbieter nach einem "
        "Prüfbericht fragen.",
        "Test the component by hand (keyboard, screen reader, contrast) or ask its vendor for a test report.",
        "Ein geschlossener Shadow Root ist für Skripte von außen, auch für axe, unsichtbar.",
        "A closed shadow root is invisible to scripts from outside, axe included.",
    ),
    "accessibility.pdf.not-tested": note(
        "pdf-not-tested",
        "Das PDF öffnen und von Hand oder mit PAC prüfen.",
        "Open the PDF and test it by hand or with PAC.",
        "govscan konnte die Datei nicht laden oder lesen (zu groß, beschädigt, verschlüsselt).",
        "govscan could not load or read the file (too large, damaged, encrypted).",
    ),
    "accessibility.pdf.ua-identifier": note(
        "pdf-ua-identifier",
        "Ob das PDF PDF/UA erfüllen soll: dann mit PAC prüfen und die Kennung beim Export setzen.",
        "Whether the PDF is meant to meet PDF/UA: then test it with PAC and set the identifier on export.",
        "Die Kennung ist keine Pflicht; ihr Fehlen sagt nicht, ob das PDF zugänglich ist.",
        "The identifier is not mandatory; its absence does not say whether the PDF is accessible.",
    ),
    "accessibility.pdf.no-text": note(
        "pdf-pages-without-text",
        "Die genannten Seiten ansehen: sind sie absichtlich leer (Trennblatt) oder fehlt Inhalt?",
        "Look at the pages named: are they blank on purpose (separator) or is content missing?",
        "Eine Seite ohne Text und ohne Bild kann gewollt sein.",
        "A page without text and without an image may be intended.",
    ),
    "accessibility.statement-linked": note(
        "statement-linked",
        "Die Fußzeile oder das Menü einer Seite: gibt es einen Link zur Erklärung zur Barrierefreiheit, "
        "vielleicht unter anderem Namen oder als Symbol?",
        "The footer or menu of a page: is there a link to the accessibility statement, perhaps under another "
        "name or as an icon?",
        "govscan erkennt den Link an üblichen Texten und Adressen; eine ungewöhnliche Benennung entgeht ihm.",
        "govscan recognises the link by usual texts and addresses; an unusual name escapes it.",
    ),
    "accessibility.statement-reachable": note(
        "statement-reachable",
        "Den Link öffnen: erreicht man die Erklärung als HTML-Seite?",
        "Open the link: does it reach the statement as an HTML page?",
        "Die Seite konnte beim Scan nicht geprüft werden; ob das an der Seite oder am Scan lag, ist offen.",
        "The page could not be tested during the scan; whether the page or the scan is to blame is open.",
    ),
    "accessibility.statement-content": note(
        "statement-content",
        "Die Erklärung lesen: steht die genannte Pflichtangabe dort, vielleicht anders formuliert?",
        "Read the statement: is the mandatory part named there, perhaps worded differently?",
        "govscan sucht die Pflichtangaben an Überschriften und typischen Formulierungen; freie "
        "Formulierungen kann es verfehlen.",
        "govscan looks for the mandatory parts by headings and typical wording; free wording may escape it.",
    ),
    "accessibility.statement-outdated": note(
        "statement-outdated",
        "Die Erklärung: wurde sie innerhalb der letzten 12 Monate überprüft, und steht das Datum darin?",
        "The statement: was it reviewed within the last 12 months, and does it say so with a date?",
        "Das Datum wird aus dem Text gelesen; ein anders geschriebenes oder fehlendes Datum heißt nicht, "
        "dass nicht geprüft wurde.",
        "The date is read from the text; a date written differently, or none, does not mean no review took "
        "place.",
    ),
    "accessibility.easy-language": note(
        "easy-language",
        "Die Startseite: gibt es einen Link zu Informationen in Leichter Sprache (oft ein Symbol im Kopf), "
        "und führt er zu einer Seite in Leichter Sprache?",
        "The homepage: is there a link to information in Easy Language (often an icon in the header), and "
        "does it lead to a page in Easy Language?",
        "govscan erkennt das Angebot an üblichen Linktexten und Adressen; ob der Text wirklich Leichte "
        "Sprache ist, kann es nicht beurteilen.",
        "govscan recognises the offer by usual link texts and addresses; whether the text really is Easy "
        "Language it cannot judge.",
    ),
    "accessibility.sign-language": note(
        "sign-language",
        "Die Startseite und die Seite in Gebärdensprache: gibt es einen Link dorthin, und zeigt die Seite "
        "Videos in Deutscher Gebärdensprache?",
        "The homepage and the sign language page: is there a link to it, and does the page show videos in "
        "German Sign Language?",
        "govscan erkennt Link und Video an üblichen Texten und Elementen; eingebettete Player und die "
        "Sprache im Video erkennt es nicht sicher.",
        "govscan recognises link and video by usual texts and elements; embedded players and the language "
        "in the video it cannot recognise reliably.",
    ),
    "accessibility.feedback-mechanism": note(
        "feedback-mechanism",
        "Die Seite: gibt es einen Weg, Barrieren zu melden (Link, Formular, E-Mail-Adresse), vielleicht "
        "unter anderem Namen?",
        "The page: is there a way to report barriers (link, form, e-mail address), perhaps under another "
        "name?",
        "govscan erkennt den Weg an üblichen Linktexten und Adressen; eine ungewöhnliche Benennung entgeht "
        "ihm.",
        "govscan recognises it by usual link texts and addresses; an unusual name escapes it.",
    ),
}

# Reasons that differ within a check: a linked legal page the scan could not judge.
LINKED_PAGE_NOT_CRAWLED = note(
    "linked-page-not-crawled",
    "Den Link öffnen: erreicht man die Seite, und erfüllt sie ihren Zweck?",
    "Open the link: does the page load, and does it serve its purpose?",
    "Die Seite lag außerhalb des Scans (Grenze für Seiten oder Tiefe, außerhalb des Umfangs) und wurde nicht "
    "geprüft.",
    "The page lay outside the scan (page or depth limit, out of scope) and was not tested.",
)
LINKED_PAGE_DOCUMENT = note(
    "linked-page-document",
    "Das verlinkte Dokument öffnen: ist es die gesuchte Seite, und ist es selbst zugänglich?",
    "Open the linked document: is it the page sought, and is it accessible itself?",
    "Der Link führt zu einem Dokument statt zu einer HTML-Seite; das ist erlaubt, aber oft schlechter "
    "zugänglich.",
    "The link leads to a document instead of an HTML page; that is allowed but often less accessible.",
)
LINKED_PAGE_UNREACHABLE = note(
    "linked-page-unreachable",
    "Den Link im Browser öffnen: lädt die Seite?",
    "Open the link in a browser: does the page load?",
    "Der Abruf scheiterte ohne HTTP-Fehler (Zeitüberschreitung, Netz); das kann am Scan liegen.",
    "Fetching it failed without an HTTP error (timeout, network); the scan may be to blame.",
)
HOMEPAGE_UNTESTED = note(
    "homepage-untested",
    "Die Startseite im Browser: gibt es das verlangte Angebot?",
    "The homepage in a browser: is the offer there?",
    "Die Startseite konnte beim Scan nicht geprüft werden.",
    "The homepage could not be tested during the scan.",
)
ADVISORY = note(
    "advisory-obligation",
    "Ob die Behörde dieses Angebot bereitstellen will: für ihre Ebene ist es eine Empfehlung, keine Pflicht.",
    "Whether the authority wants to offer this: for its level it is a recommendation, not an obligation.",
    "Welche Pflichten gelten, hängt von der Ebene der Behörde und vom Landesrecht ab "
    "(accessibility_obligations); govscan meldet Empfehlungen nur zur Prüfung.",
    "Which obligations apply depends on the authority's level and on state law (accessibility_obligations); "
    "govscan reports recommendations for review only.",
)
UNKNOWN_RULE = note(
    "axe-unknown-rule",
    "Die Elemente, die die Regel meldet, anhand ihrer Beschreibung bei Deque University prüfen.",
    "Check the elements the rule reports against its description at Deque University.",
    "Die Regel stammt aus einer neueren axe-Version (axe_script), die dieser govscan-Version unbekannt ist: "
    "ohne Zuordnung zu WCAG und BITV-Test kann sie kein Mangel sein.",
    "The rule comes from a newer axe (axe_script) this govscan version does not know: without a mapping to "
    "WCAG and the BITV-Test it cannot be a defect.",
)
