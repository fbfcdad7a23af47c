"""The DNSSEC status of a mail domain and of the zones of its MX (RFC 7672 §2.2: DANE needs both)."""

from __future__ import annotations

from typing import Any

from scanner.dns.resolver import DnsResolver


async def zone_statuses(resolver: DnsResolver, names: list[str]) -> dict[str, dict[str, Any]]:
    """name -> {"status", "reason", "zone"}; indeterminate (no answer) is a status, not an error."""
    found: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(names):
        result = await resolver.dnssec(name)
        found[name] = {"status": result.status.value, "reason": result.reason, "zone": result.zone}
    return found
