"""security.security-txt: a valid security.txt (RFC 9116), validated with sectxt."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message

from sectxt import Parser

from scanner.evidence import HostProbeResult
from scanner.evidence.security_txt import SecurityTxtEvidence
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

# The German message per sectxt error code, a whole sentence ({host} is the scanned host).
GERMAN = {
    "location": "Die security.txt von {host} liegt nur unter "
    "/security.txt statt unter /.well-known/security.txt.",
    "invalid_media": "Die security.txt von {host} wird nicht als text/plain ausgeliefert.",
    "invalid_charset": "Die security.txt von {host} wird mit einem anderen "
    "Zeichensatz als UTF-8 ausgeliefert.",
    "utf8": "Die security.txt von {host} ist nicht UTF-8-kodiert.",
    "no_expire": "Die security.txt von {host} enthält kein Feld 'Expires'.",
    "multi_expire": "Die security.txt von {host} enthält 'Expires' mehrfach.",
    "invalid_expiry": "Die security.txt von {host} enthält ein ungültiges 'Expires'-Datum.",
    "expired": "Die security.txt von {host} ist abgelaufen ('Expires' liegt in der Vergangenheit).",
    "no_contact": "Die security.txt von {host} enthält kein Feld 'Contact'.",
    "no_canonical_match": "Die security.txt von {host} nennt unter 'Canonical' nicht die "
    "Adresse, unter der sie liegt.",
    "no_line_separators": "Die security.txt von {host} endet nicht mit einem Zeilenumbruch.",
    "no_https": "Die security.txt von {host} nennt Web-Adressen ohne https://.",
    "invalid_line": "Die security.txt von {host} enthält ungültige Zeilen.",
}
GERMAN_OTHER = "Die security.txt von {host} verletzt RFC 9116 ({message})."  # codes without a sentence


@check(
    id="security.security-txt",
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MINOR,
    probe="security-txt",
    references=References(standards=("RFC 9116",), law=("NIS2 Art. 12 (koordinierte Offenlegung)",)),
    doc=CheckDoc(
        title=Text("security.txt fehlt oder ist fehlerhaft", "security.txt missing or invalid"),
        what=Text(
            "Unter https://host/.well-known/security.txt liegt keine Datei, oder sie verletzt RFC 9116: "
            "falscher Ort oder Medientyp, kein oder abgelaufenes 'Expires', kein 'Contact', 'Canonical' "
            "passt nicht zur Adresse (geprüft mit sectxt).",
            "There is no file at https://host/.well-known/security.txt, or it violates RFC 9116: wrong "
            "location or media type, missing or expired 'Expires', no 'Contact', 'Canonical' does not "
            "match the address (validated with sectxt).",
        ),
        why=Text(
            "Wer eine Sicherheitslücke findet, braucht einen verlässlichen Meldeweg; ohne ihn bleiben "
            "Lücken länger offen. RFC 9116; das BSI empfiehlt security.txt für Behörden.",
            "Whoever finds a vulnerability needs a reliable way to report it; without one, holes stay "
            "open longer. RFC 9116; the BSI recommends security.txt for public bodies.",
        ),
        how_to_fix=Text(
            "Eine Datei /.well-known/security.txt (text/plain; charset=utf-8) mit mindestens 'Contact' "
            "und einem 'Expires' höchstens ein Jahr in der Zukunft ausliefern und regelmäßig erneuern.",
            "Serve /.well-known/security.txt (text/plain; charset=utf-8) with at least 'Contact' and an "
            "'Expires' at most one year ahead, and renew it regularly.",
        ),
        example="Contact: mailto:security@example.de\nExpires: 2027-06-30T00:00:00Z",
    ),
)
def security_txt(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding]:
    data = probe.evidence(SecurityTxtEvidence)
    if data is None:
        return
    if not data.found:
        yield Finding(
            result=Result.FAIL,
            message=Text(
                f"{probe.host} hat keine security.txt (weder /.well-known/security.txt noch /security.txt).",
                f"{probe.host} has no security.txt (neither /.well-known/security.txt nor /security.txt).",
            ),
            subject="missing",
            evidence={"tried": list(data.tried)},
        )
        return
    for code, message in _problems(data):
        german = GERMAN.get(code, GERMAN_OTHER).format(host=probe.host, message=message)
        yield Finding(
            result=Result.FAIL,
            message=Text(german, f"security.txt of {probe.host}: {message}"),
            subject=code,
            evidence={"code": code, "url": data.url, "final_url": data.final_url},
        )


def _problems(data: SecurityTxtEvidence) -> list[tuple[str, str]]:
    """sectxt's errors for the content, plus what the HTTP response itself got wrong."""
    problems = []
    if data.location != "well-known":
        problems.append(("location", "located at the legacy path /security.txt, not under /.well-known/"))
    header = Message()
    header["content-type"] = data.content_type or ""
    parameters = dict(header.get_params() or [])
    if "text/plain" not in parameters:
        problems.append(("invalid_media", "the media type in Content-Type must be text/plain"))
    if parameters.get("charset", "utf-8").lower() not in ("utf-8", "csutf8"):
        problems.append(("invalid_charset", "the charset in Content-Type must be utf-8"))
    urls = list(dict.fromkeys([data.url, data.final_url]))
    parser = Parser(data.content.encode("utf-8"), urls=urls)
    problems += [(error["code"], error["message"]) for error in parser.errors]
    if not data.utf8:
        problems.append(("utf8", "content must be utf-8 encoded"))
    return list(dict(problems).items())  # one finding per code
