"""One question to the scan's DNS servers, answered once per scan.

Every query carries the DO bit (send DNSSEC records) and the CD bit (do not validate for us: a
validating server would hide a bogus answer behind SERVFAIL, and govscan validates itself). UDP
first, TCP when the answer is truncated; each server in turn, ``attempts`` rounds, ``timeout``
seconds per try. SERVFAIL, REFUSED or silence from every server is a ``DnsQueryError``: the
caller reports it as indeterminate, never as an answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype

DEFAULT_TIMEOUT = 3.0
DEFAULT_ATTEMPTS = 2
EDNS_PAYLOAD = 1232  # the DNS flag day 2020 size: no IP fragmentation
MAX_QUERIES_AT_ONCE = 8


class DnsQueryError(Exception):
    def __init__(self, message: str, *, unreachable: bool) -> None:
        super().__init__(message)
        self.unreachable = unreachable  # True: no server answered at all (timeouts, refused connections)


class DnsQuerier:
    """Asks ``servers`` (address, port) in order; answers (and failures) are kept for the scan."""

    def __init__(
        self,
        servers: Sequence[tuple[str, int]],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
    ) -> None:
        self.servers = tuple(servers)
        self.timeout = timeout
        self.attempts = attempts
        self._answers: dict[tuple[dns.name.Name, int], asyncio.Future[dns.message.Message]] = {}
        self._limit = asyncio.Semaphore(MAX_QUERIES_AT_ONCE)

    async def ask(self, name: dns.name.Name | str, rdtype: int | str) -> dns.message.Message:
        """The answer (NOERROR or NXDOMAIN) for ``name``/``rdtype``; raises DnsQueryError."""
        if isinstance(name, str):
            name = dns.name.from_text(name)
        key = (name, dns.rdatatype.RdataType.make(rdtype))
        future = self._answers.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._answers[key] = future
            try:
                future.set_result(await self._query(*key))
            except DnsQueryError as error:
                future.set_exception(error)
            except BaseException as error:  # cancelled: the next caller asks again
                del self._answers[key]
                future.cancel()
                raise error
        return await asyncio.shield(future)

    async def _query(self, name: dns.name.Name, rdtype: int) -> dns.message.Message:
        if not self.servers:
            raise DnsQueryError("no DNS servers configured and none in /etc/resolv.conf", unreachable=False)
        problems: list[str] = []
        answered = False
        async with self._limit:
            for _ in range(self.attempts):
                for address, port in self.servers:
                    query = dns.message.make_query(name, rdtype, want_dnssec=True, payload=EDNS_PAYLOAD)
                    query.flags |= dns.flags.CD
                    where = f"{address}:{port}"
                    try:
                        response, _ = await dns.asyncquery.udp_with_fallback(
                            query, address, timeout=self.timeout, port=port
                        )
                    except dns.exception.Timeout:
                        problems.append(f"{where}: no answer within {self.timeout:g} s")
                        continue
                    except (OSError, dns.exception.DNSException) as error:
                        problems.append(f"{where}: {type(error).__name__}: {error}")
                        continue
                    answered = True
                    rcode = response.rcode()
                    if rcode in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                        return response
                    problems.append(f"{where}: {dns.rcode.to_text(rcode)}")
        question = f"{name} {dns.rdatatype.to_text(rdtype)}"
        summary = "; ".join(dict.fromkeys(problems))
        raise DnsQueryError(f"{question}: {summary}", unreachable=not answered)
