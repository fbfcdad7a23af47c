"""What a data protection officer looks at, and why govscan cannot decide, for the privacy checks'
``review`` findings (one note per check, for the case in which it answers review rather than fail)."""

from __future__ import annotations

from scanner.findings.registry import Text
from scanner.findings.review import ReviewNote


def note(reason: str, look_de: str, look_en: str, why_de: str, why_en: str) -> ReviewNote:
    return ReviewNote(reason, Text(de=look_de, en=look_en), Text(de=why_de, en=why_en))


NOTES: dict[str, ReviewNote] = {
    "privacy.consent-gates-nothing": note(
        "consent-not-recognised",
        "Das Banner im Browser ablehnen und in den Entwicklerwerkzeugen (Netzwerk) nachsehen, ob die "
        "genannten Tracker trotzdem laden.",
        "Reject the banner in a browser and check in the developer tools (network) whether the trackers "
        "named still load.",
        "govscan hat das Banner nicht sicher erkannt oder nicht sicher beantwortet; ohne gesicherte "
        "Ablehnung ist der Vergleich kein Beweis.",
        "govscan did not recognise or answer the banner reliably; without a confirmed rejection the "
        "comparison is no proof.",
    ),
    "privacy.tracking-after-reject": note(
        "consent-not-recognised",
        "Das Banner im Browser ablehnen und in den Entwicklerwerkzeugen (Netzwerk) nachsehen, ob der Dienst "
        "trotzdem kontaktiert wird.",
        "Reject the banner in a browser and check in the developer tools (network) whether the service is "
        "still contacted.",
        "govscan hat das Banner nicht sicher abgelehnt; ob die Anfragen gegen eine Ablehnung verstoßen, ist "
        "offen.",
        "govscan did not reject the banner reliably; whether the requests defy a rejection is open.",
    ),
    "privacy.third-country-recipient": note(
        "third-country-transfer",
        "Die Rechtsgrundlage der Übermittlung: Einwilligung, Angemessenheitsbeschluss bzw. "
        "DPF-Zertifizierung des Anbieters, Standardvertragsklauseln; und ob die Datenschutzerklärung sie "
        "nennt.",
        "The legal basis of the transfer: consent, an adequacy decision or the provider's DPF certification, "
        "standard contractual clauses; and whether the privacy policy names it.",
        "Ob eine Übermittlung in ein Drittland zulässig ist, hängt von Verträgen und Einwilligungen ab, die "
        "der Scan nicht sieht.",
        "Whether a transfer to a third country is lawful depends on contracts and consents the scan cannot "
        "see.",
    ),
    "privacy.embed-without-consent": note(
        "embed-privacy-enhanced",
        "Das eingebettete Element im datenschutzfreundlichen Modus: setzt es vor dem Abspielen Cookies oder "
        "überträgt es Daten (Netzwerk-Tab), und weist die Seite darauf hin?",
        "The embed in privacy-enhanced mode: does it set cookies or send data before playback (network tab), "
        "and does the page say so?",
        "Der erweiterte Datenschutzmodus mindert, was übertragen wird, verhindert es aber nicht ganz; ob das "
        "ohne Einwilligung genügt, ist eine rechtliche Abwägung.",
        "Privacy-enhanced mode reduces what is sent but does not prevent it entirely; whether that suffices "
        "without consent is a legal judgement.",
    ),
    "privacy.legal-pages-reachable": note(
        "legal-page-not-crawled",
        "Den Link auf Impressum bzw. Datenschutzerklärung öffnen: lädt die Seite?",
        "Open the link to the imprint or privacy policy: does the page load?",
        "Die Seite lag außerhalb des Scans (Seiten- oder Tiefengrenze) und wurde nicht abgerufen.",
        "The page lay outside the scan (page or depth limit) and was not fetched.",
    ),
    "privacy.vendor-not-in-policy": note(
        "vendor-not-in-policy",
        "Die Datenschutzerklärung: nennt sie den Dienst, vielleicht unter einem anderen Namen, in einem "
        "verlinkten Dokument oder im Einwilligungsbanner?",
        "The privacy policy: does it name the service, perhaps under another name, in a linked document or "
        "in the consent banner?",
        "govscan sucht die Namen von Dienst und Firma im Text der gefundenen Datenschutzseiten; andere "
        "Schreibweisen oder ausgelagerte Listen findet es nicht.",
        "govscan searches the service's and company's names in the text of the privacy pages it found; other "
        "spellings or lists kept elsewhere escape it.",
    ),
    "privacy.canvas-fingerprinting": note(
        "canvas-fingerprinting",
        "Das Skript: wozu liest es das Canvas aus (Fingerprinting, Bot-Erkennung, Grafik), und ist das "
        "ohne Einwilligung nötig?",
        "The script: why does it read the canvas back (fingerprinting, bot detection, graphics), and is "
        "that necessary without consent?",
        "Die Merkmale sind typisch für Fingerprinting, kommen aber auch in legitimen Grafik- und "
        "Sicherheitsskripten vor.",
        "The traits are typical of fingerprinting but also occur in legitimate graphics and security "
        "scripts.",
    ),
}
