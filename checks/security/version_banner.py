"""security.version-banner: response headers that disclose server software versions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.evidence import PageCapture
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

BANNER_HEADERS = ("server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator")
VERSION = re.compile(r"\d+\.\d+")


@check(
    id="security.version-banner",
    family=Family.SECURITY,
    scope=Scope.PAGE,
    severity=Severity.MINOR,
    references=References(standards=("OWASP ASVS V14.3.3", "BSI APP.3.2")),
    doc=CheckDoc(
        title=Text("Softwareversion im HTTP-Header", "Software version in an HTTP header"),
        what=Text(
            "Die Antwort nennt Server-Software mit Versionsnummer (Server, X-Powered-By, X-AspNet-Version, "
            "X-Generator).",
            "The response names server software with a version number (Server, X-Powered-By, "
            "X-AspNet-Version, X-Generator).",
        ),
        why=Text(
            "Angreifer suchen gezielt nach Versionen mit bekannten Lücken; veraltete Versionen fallen "
            "so sofort auf. OWASP ASVS V14.3.3; BSI IT-Grundschutz APP.3.2.",
            "Attackers look for versions with known holes; outdated versions stand out at once. OWASP "
            "ASVS V14.3.3; BSI IT-Grundschutz APP.3.2.",
        ),
        how_to_fix=Text(
            "Versionsangaben abschalten, z. B. 'ServerTokens Prod' (Apache), 'server_tokens off;' (nginx), "
            "'expose_php = Off' (PHP) – und die Software aktuell halten.",
            "Turn version details off, e.g. 'ServerTokens Prod' (Apache), 'server_tokens off;' (nginx), "
            "'expose_php = Off' (PHP) – and keep the software up to date.",
        ),
        example="Server: Apache/2.4.41 (Ubuntu)",
    ),
)
def version_banner(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
    if not context.first_party.contains_url(capture.final_url):
        return
    for name, value in capture.response_headers:
        if name in BANNER_HEADERS and VERSION.search(value):
            header = f"{_display(name)}: {value}"
            yield Finding(
                result=Result.FAIL,
                message=Text(
                    f"Der Header verrät die Version: {header}.",
                    f"The header discloses the version: {header}.",
                ),
                subject=header,
                evidence={"header": _display(name), "value": value},
            )


def _display(name: str) -> str:
    return "-".join("ASPNet" if part == "aspnet" else part.capitalize() for part in name.split("-"))
