"""MTA-STS (RFC 8461): the ``_mta-sts`` TXT record, the policy file and which MX it covers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scanner.dns.query import DnsQuerier
from scanner.mail.dmarc import parse_tags
from scanner.mail.lookup import starting_with, txt

POLICY_PATH = "/.well-known/mta-sts.txt"
MAX_POLICY_BYTES = 64 * 1024  # §3.3: senders may refuse larger policies
ID = re.compile(r"^[A-Za-z0-9]{1,32}$")
MAX_AGE_LIMIT = 31557600  # §3.2: at most one year


@dataclass(frozen=True)
class StsRecord:
    records: tuple[str, ...] = ()
    id: str | None = None
    problems: tuple[str, ...] = ()


async def sts_record(querier: DnsQuerier, domain: str) -> StsRecord:
    """Raises DnsQueryError when no server answers."""
    records = tuple(starting_with(await txt(querier, f"_mta-sts.{domain}"), "v=STSv1"))
    if len(records) != 1:
        problems = (f"{len(records)} MTA-STS records (exactly one needed)",) if records else ()
        return StsRecord(records, problems=problems)
    identifier = parse_tags(records[0]).get("id")
    problems = (
        () if identifier and ID.match(identifier) else (f"id={identifier!r} is not 1-32 letters or digits",)
    )
    return StsRecord(records, identifier, problems)


@dataclass(frozen=True)
class StsPolicy:
    version: str | None = None
    mode: str | None = None  # enforce | testing | none
    max_age: int | None = None
    mx: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "mode": self.mode,
            "max_age": self.max_age,
            "mx": list(self.mx),
            "problems": list(self.problems),
        }


def parse_policy(text: str) -> StsPolicy:
    """The policy file's ``key: value`` lines (§3.2); unknown keys are ignored."""
    values: dict[str, str] = {}
    mx: list[str] = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "mx":
            mx.append(value.lower().rstrip("."))
        else:
            values.setdefault(key, value)
    problems = []
    if values.get("version") != "STSv1":
        problems.append(f"version {values.get('version')!r}, expected 'STSv1'")
    mode = values.get("mode")
    if mode not in ("enforce", "testing", "none"):
        problems.append(f"mode {mode!r} is not enforce, testing or none")
    age_text = values.get("max_age", "")
    max_age = int(age_text) if age_text.isdigit() else None
    if max_age is None or max_age > MAX_AGE_LIMIT:
        problems.append(f"max_age {age_text!r} is not a number of seconds up to {MAX_AGE_LIMIT}")
    if mode in ("enforce", "testing") and not mx:
        problems.append("no mx lines")
    return StsPolicy(values.get("version"), mode, max_age, tuple(mx), tuple(problems))


def covers(pattern: str, host: str) -> bool:
    """§4.1: an exact name, or ``*.`` matching exactly one leftmost label."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def uncovered(policy: StsPolicy, hosts: tuple[str, ...]) -> list[str]:
    return [host for host in hosts if not any(covers(pattern, host) for pattern in policy.mx)]
