"""The mail domains a scan finds: the domains of ``mailto:`` links on contact, Impressum and
privacy pages (where an authority says how to write to it), and of the ``Contact:`` addresses of
a host's security.txt. Other pages' addresses (a newspaper's, a partner's) are not the
authority's channels and are left out."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from scanner.evidence import HostProbeResult, PageCapture
from scanner.evidence.security_txt import SecurityTxtEvidence

CONTACT_PAGE = re.compile(
    r"kontakt|contact|impressum|imprint|legal|datenschutz|privacy|dsgvo|ansprechpartner|anfahrt",
    re.IGNORECASE,
)
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")


def is_contact_page(capture: PageCapture) -> bool:
    path = urlsplit(capture.final_url or capture.url).path
    return bool(CONTACT_PAGE.search(unquote(path)) or CONTACT_PAGE.search(capture.title or ""))


def mailto_domain(href: str) -> str | None:
    """The domain of the first address of a ``mailto:`` URI; None when it has none or is not one."""
    if not href.lower().startswith("mailto:"):
        return None
    addresses = unquote(href[len("mailto:") :].split("?", 1)[0])
    first = addresses.split(",", 1)[0].strip()
    if "@" not in first:
        return None
    domain = first.rsplit("@", 1)[1].strip().lower().rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return domain if DOMAIN.match(domain) else None


def mail_domains(capture: PageCapture) -> list[str]:
    if not is_contact_page(capture):
        return []
    found = (mailto_domain(link.href) for link in capture.links)
    return list(dict.fromkeys(domain for domain in found if domain))


def security_txt_mail_domains(result: HostProbeResult) -> list[str]:
    """The domains of the ``Contact: mailto:`` lines of a security.txt (RFC 9116 §2.5.3)."""
    evidence = result.evidence(SecurityTxtEvidence)
    if evidence is None or not evidence.found:
        return []
    found = []
    for line in evidence.content.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "contact" and (domain := mailto_domain(value.strip())):
            found.append(domain)
    return list(dict.fromkeys(found))
