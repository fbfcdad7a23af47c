"""DMARC (RFC 7489, DMARCbis): the record at ``_dmarc``, and whether external report
destinations agreed to receive reports (``<domain>._report._dmarc.<destination>``, §7.1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.dns.query import DnsQuerier, DnsQueryError
from scanner.mail.lookup import starting_with, txt
from scanner.net.domains import registrable_domain


@dataclass
class DmarcPolicy:
    domain: str
    found_at: str | None = None  # _dmarc.<domain>, or the organisational domain's record
    records: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    external_rua: dict[str, bool | None] = field(default_factory=dict)  # destination -> authorised
    problems: list[str] = field(default_factory=list)

    @property
    def policy(self) -> str | None:
        """What applies to this domain: ``sp`` when the record is the organisational domain's."""
        if self.found_at is None:
            return None
        own = self.found_at == f"_dmarc.{self.domain}"
        return (self.tags.get("p") if own else self.tags.get("sp") or self.tags.get("p")) or None

    @property
    def testing(self) -> bool:
        """``t=y`` (DMARCbis) or ``pct`` below 100: the policy is applied to part of the mail only."""
        pct = self.tags.get("pct", "100")
        return self.tags.get("t", "n").lower() == "y" or (pct.isdigit() and int(pct) < 100)

    def to_json(self) -> dict:
        return {
            "found_at": self.found_at,
            "records": self.records,
            "tags": self.tags,
            "policy": self.policy,
            "testing": self.testing,
            "external_rua": self.external_rua,
            "problems": self.problems,
        }


def parse_tags(record: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for part in record.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            tags.setdefault(name.strip().lower(), value.strip())
    return tags


async def dmarc_policy(querier: DnsQuerier, domain: str) -> DmarcPolicy:
    """Raises DnsQueryError when the domain's own ``_dmarc`` query gets no answer."""
    policy = DmarcPolicy(domain)
    organisational = registrable_domain(domain)
    for owner in dict.fromkeys((domain, organisational)):
        name = f"_dmarc.{owner}"
        try:
            records = starting_with(await txt(querier, name), "v=DMARC1")
        except DnsQueryError:
            if owner == domain:
                raise
            break
        if records:
            policy.found_at, policy.records = name, records
            break
    if len(policy.records) > 1:
        policy.problems.append(f"{len(policy.records)} DMARC records (exactly one needed)")
    if len(policy.records) == 1:
        policy.tags = parse_tags(policy.records[0])
        if policy.tags.get("p", "").lower() not in ("none", "quarantine", "reject"):
            policy.problems.append(f"p={policy.tags.get('p', '')!r} is no valid policy")
        for destination in _external(policy.tags.get("rua", ""), organisational):
            policy.external_rua[destination] = await _authorised(querier, domain, destination)
    return policy


def _external(rua: str, organisational: str) -> list[str]:
    destinations = []
    for uri in rua.split(","):
        uri = uri.strip()
        if uri.lower().startswith("mailto:") and "@" in uri:
            host = uri.split("@", 1)[1].split("!", 1)[0].strip().lower().rstrip(".")
            if host and registrable_domain(host) != organisational:
                destinations.append(host)
    return list(dict.fromkeys(destinations))


async def _authorised(querier: DnsQuerier, domain: str, destination: str) -> bool | None:
    """None: the destination's DNS did not answer (not judged)."""
    try:
        answer = await txt(querier, f"{domain}._report._dmarc.{destination}")
    except DnsQueryError:
        return None
    return bool(starting_with(answer, "v=DMARC1"))
