"""SMTP TLS reporting (RFC 8460): the ``_smtp._tls`` TXT record and where reports go."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.dns.query import DnsQuerier
from scanner.mail.dmarc import parse_tags
from scanner.mail.lookup import starting_with, txt


@dataclass(frozen=True)
class TlsRptRecord:
    records: tuple[str, ...] = ()
    rua: tuple[str, ...] = ()  # mailto: and https: destinations
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"records": list(self.records), "rua": list(self.rua), "problems": list(self.problems)}


async def tls_rpt_record(querier: DnsQuerier, domain: str) -> TlsRptRecord:
    """Raises DnsQueryError when no server answers."""
    records = tuple(starting_with(await txt(querier, f"_smtp._tls.{domain}"), "v=TLSRPTv1"))
    if len(records) != 1:
        problems = (f"{len(records)} TLS-RPT records (exactly one needed)",) if records else ()
        return TlsRptRecord(records, problems=problems)
    destinations = tuple(
        uri.strip() for uri in parse_tags(records[0]).get("rua", "").split(",") if uri.strip()
    )
    valid = tuple(uri for uri in destinations if uri.lower().startswith(("mailto:", "https:")))
    problems = () if valid else ("no rua with a mailto: or https: destination",)
    return TlsRptRecord(records, valid, problems)
