"""SPF (RFC 7208): the record of a domain, its DNS lookups counted through include and redirect.

The limit of 10 terms that cause DNS lookups (§4.6.4) counts ``include``, ``a``, ``mx``, ``ptr``,
``exists`` and ``redirect`` in the record and in every record they include. The ``all`` that
decides is the record's own, or the one of its ``redirect`` target when it has none (§6.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.dns.query import DnsQuerier, DnsQueryError
from scanner.mail.lookup import starting_with, txt

LOOKUP_LIMIT = 10
LOOKUP_TERMS = frozenset({"include", "a", "mx", "ptr", "exists"})
QUALIFIERS = "+-~?"
MAX_DEPTH = 12  # includes nested deeper are a loop or an abuse: stop counting there


@dataclass
class SpfPolicy:
    domain: str
    records: list[str] = field(default_factory=list)  # every v=spf1 record at the domain
    lookups: int = 0  # DNS-querying terms, recursively
    all_qualifier: str | None = None  # "-", "~", "?", "+" or None (no all: neutral)
    redirect: str | None = None
    includes: list[str] = field(default_factory=list)  # every domain included, in order
    problems: list[str] = field(default_factory=list)  # permerrors found on the way

    def to_json(self) -> dict:
        return {
            "records": self.records,
            "lookups": self.lookups,
            "all": self.all_qualifier,
            "redirect": self.redirect,
            "includes": self.includes,
            "problems": self.problems,
        }


async def spf_policy(querier: DnsQuerier, domain: str) -> SpfPolicy:
    """Raises DnsQueryError when the domain's own TXT query gets no answer."""
    answer = await txt(querier, domain)
    policy = SpfPolicy(domain, records=starting_with(answer, "v=spf1"))
    if len(policy.records) == 1:
        policy.all_qualifier = await _walk(querier, policy.records[0], policy, depth=0, top=True)
    return policy


async def _walk(querier: DnsQuerier, record: str, policy: SpfPolicy, *, depth: int, top: bool) -> str | None:
    """Count the record's lookups (and those of what it includes); the ``all`` qualifier that applies."""
    qualifier: str | None = None
    redirect: str | None = None
    for term in record.split()[1:]:
        name, _, value = term.partition("=")
        if value and ":" not in name and name.isalpha():  # a modifier
            if name.lower() == "redirect":
                redirect = value
            continue
        prefix = term[0] if term[0] in QUALIFIERS else "+"
        mechanism = term.lstrip(QUALIFIERS)
        kind, _, target = mechanism.partition(":")
        kind = kind.split("/")[0].lower()
        if kind == "all":
            qualifier = prefix
        elif kind in LOOKUP_TERMS:
            policy.lookups += 1
            if kind == "include":
                await _follow(querier, target, policy, depth=depth)
    if redirect is not None and qualifier is None:  # §6.1: redirect is ignored beside an all
        policy.lookups += 1
        if top:
            policy.redirect = redirect
        return await _follow(querier, redirect, policy, depth=depth)
    return qualifier


async def _follow(querier: DnsQuerier, target: str, policy: SpfPolicy, *, depth: int) -> str | None:
    if not target or "%" in target:  # macros are expanded per message: not followed here
        if not target:
            policy.problems.append("include or redirect without a domain")
        return None
    policy.includes.append(target)
    if depth >= MAX_DEPTH:
        policy.problems.append(f"includes nested deeper than {MAX_DEPTH} at {target}")
        return None
    try:
        answer = await txt(querier, target)
    except DnsQueryError as error:
        policy.problems.append(f"{target}: no answer ({error})")
        return None
    records = starting_with(answer, "v=spf1")
    if len(records) != 1:
        policy.problems.append(f"{target}: {len(records)} SPF records (exactly one needed)")
        return None
    return await _walk(querier, records[0], policy, depth=depth + 1, top=False)
