"""A DNS server on 127.0.0.1 for tests: it serves dnspython zones the way a recursive resolver
passes them on (every zone answered by itself, RRSIGs added when the query has the DO bit), over
UDP and TCP on one port. Zones are signed at test time (``signed_zones``): a test root whose DS is
the trust anchor, a signed TLD ``de.`` with children signed, unsigned, signed with a key that does
not match its DS, altered after signing, and signed with expired signatures; and a TLD ``zz.``
that proves absent names with NSEC3 (opt-out) instead of NSEC, and ``hi.`` whose NSEC3 uses more
iterations than a validator trusts.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import dns.dnssec
import dns.flags
import dns.message
import dns.name
import dns.node
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone
from cryptography.hazmat.primitives.asymmetric import ed25519

DAY = 86400
ALGORITHM = dns.dnssec.Algorithm.ED25519  # fast to generate and to sign


@dataclass
class Zones:
    by_origin: dict[dns.name.Name, dns.zone.Zone]
    anchor: str  # the test root's DS, in the syntax of a trust-anchor file
    keys: dict[str, tuple[ed25519.Ed25519PrivateKey, dns.rdata.Rdata]] = field(default_factory=dict)

    def zone_for(self, name: dns.name.Name, rdtype: int) -> dns.zone.Zone | None:
        """The zone that answers: the deepest holding the name; for a DS at a zone's apex, its parent."""
        holding = [origin for origin in self.by_origin if name.is_subdomain(origin)]
        if not holding:
            return None
        holding.sort(key=len, reverse=True)
        if rdtype == dns.rdatatype.DS and holding[0] == name and len(holding) > 1:
            return self.by_origin[holding[1]]
        return self.by_origin[holding[0]]


def _key(ksk: bool = True) -> tuple[ed25519.Ed25519PrivateKey, dns.rdata.Rdata]:
    private = ed25519.Ed25519PrivateKey.generate()
    flags = dns.dnssec.Flag.ZONE | (dns.dnssec.Flag.SEP if ksk else 0)
    return private, dns.dnssec.make_dnskey(private.public_key(), ALGORITHM, flags=flags)


def _zone(origin: str, records: str) -> dns.zone.Zone:
    text = f"$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\n{records}"
    return dns.zone.from_text(text, origin=origin, relativize=False, check_origin=False)


def _ds(origin: str, dnskey: dns.rdata.Rdata) -> str:
    return dns.dnssec.make_ds(origin, dnskey, "SHA256").to_text()


def signed_zones(
    now: float | None = None,
    *,
    extra_records: Mapping[str, str] | None = None,
    extra_signed: Mapping[str, str] | None = None,
    extra_unsigned: Mapping[str, str] | None = None,
) -> Zones:
    """``extra_records``: zone origin -> records added before signing (mail tests add MX, TXT,
    TLSA); ``extra_signed`` / ``extra_unsigned``: more children of ``de.`` (origin -> records),
    delegated with a DS and signed, or delegated without one."""
    now = time.time() if now is None else now
    extra_records, extra_signed = extra_records or {}, extra_signed or {}
    extra_unsigned = extra_unsigned or {}
    keys = {
        name: _key()
        for name in ("root", "de", "signed", "bogus", "wrong", "altered", "expired", "zz", "n3", "hi")
    }
    keys.update({origin: _key() for origin in extra_signed})
    children = {"signed": "signed", "bogus": "wrong", "altered": "altered", "expired": "expired"}
    children.update({origin.removesuffix(".de."): origin for origin in extra_signed})
    de_records = "\n".join(
        f"{child} NS ns.{child}.de.\n{child} DS {_ds(f'{child}.de.', keys[key][1])}"
        for child, key in children.items()
    )
    de_records += "".join(f"\n{origin.removesuffix('.de.')} NS ns.{origin}" for origin in extra_unsigned)
    de_records += '\nunsigned NS ns.unsigned.de.\nwww A 192.0.2.1\ncaa CAA 0 issue "ca.example"\n'
    zones = {
        ".": _zone(
            ".",
            f"de. NS ns.de.\nde. DS {_ds('de.', keys['de'][1])}\n"
            f"zz. NS ns.zz.\nzz. DS {_ds('zz.', keys['zz'][1])}\n"
            f"hi. NS ns.hi.\nhi. DS {_ds('hi.', keys['hi'][1])}\n",
        ),
        "de.": _zone("de.", de_records),
        "signed.de.": _zone(
            "signed.de.",
            'www A 192.0.2.10\nwww AAAA 2001:db8::10\n@ CAA 0 issue "letsencrypt.org"\n'
            '@ CAA 0 issue "harica.gr; validationmethods=dns-01"\n@ CAA 0 issuewild ";"\n'
            '@ CAA 0 iodef "mailto:security@signed.de"\nsub A 192.0.2.11\nlocal A 127.0.0.1\n',
        ),
        "unsigned.de.": _zone("unsigned.de.", "www A 192.0.2.20\n"),
        "bogus.de.": _zone("bogus.de.", 'www A 192.0.2.30\n@ CAA 0 issue "letsencrypt.org"\n'),
        "altered.de.": _zone("altered.de.", "www A 192.0.2.40\n"),
        "expired.de.": _zone("expired.de.", "www A 192.0.2.50\n"),
        "zz.": _zone(
            "zz.",
            "n3 NS ns.n3.zz.\nn3 DS {ds}\noptout NS ns.optout.zz.\nplain NS ns.plain.zz.\n".format(
                ds=_ds("n3.zz.", keys["n3"][1])
            ),
        ),
        "n3.zz.": _zone("n3.zz.", "www A 192.0.2.60\n"),
        "optout.zz.": _zone("optout.zz.", "www A 192.0.2.70\n"),
        "plain.zz.": _zone("plain.zz.", "www A 192.0.2.80\n"),
        "hi.": _zone("hi.", "plain NS ns.plain.hi.\n"),
        "plain.hi.": _zone("plain.hi.", "www A 192.0.2.90\n"),
    }
    zones.update(
        {origin: _zone(origin, records) for origin, records in {**extra_signed, **extra_unsigned}.items()}
    )
    for origin, records in extra_records.items():
        for name, node in _zone(origin, records).nodes.items():
            for rdataset in node.rdatasets:
                zones[origin].find_node(name, create=True).replace_rdataset(rdataset)
    valid = {"inception": now - DAY, "expiration": now + 30 * DAY}
    signing = {
        ".": "root",
        "de.": "de",
        "signed.de.": "signed",
        "bogus.de.": "bogus",
        "altered.de.": "altered",
        "n3.zz.": "n3",
        **{origin: origin for origin in extra_signed},
    }
    for origin, key in signing.items():
        dns.dnssec.sign_zone(zones[origin], keys=[keys[key]], **valid)
    dns.dnssec.sign_zone(
        zones["expired.de."], keys=[keys["expired"]], inception=now - 30 * DAY, expiration=now - DAY
    )
    _alter_soa(zones["altered.de."])
    _sign_with_nsec3(zones["zz."], keys["zz"], opt_out={dns.name.from_text("optout.zz.")}, **valid)
    # more NSEC3 iterations than RFC 9276 lets validators trust: its proofs are not checked
    _sign_with_nsec3(zones["hi."], keys["hi"], opt_out=set(), iterations=200, **valid)
    anchor = f". IN DS {_ds('.', keys['root'][1])}\n"
    return Zones({dns.name.from_text(origin): zone for origin, zone in zones.items()}, anchor, keys)


def _alter_soa(zone: dns.zone.Zone) -> None:
    """Change the serial after signing: the RRSIG no longer covers the data."""
    node = zone.find_node(zone.origin)
    soa = node.find_rdataset(dns.rdataclass.IN, dns.rdatatype.SOA)
    old = soa[0]
    changed = old.replace(serial=old.serial + 1)
    soa.clear()
    soa.add(changed, soa.ttl)


def _sign_with_nsec3(
    zone: dns.zone.Zone,
    key: tuple[ed25519.Ed25519PrivateKey, dns.rdata.Rdata],
    *,
    opt_out: set[dns.name.Name],
    iterations: int = 0,
    inception: float,
    expiration: float,
) -> None:
    """Sign ``zone`` and prove absence with an NSEC3 chain (no salt, no extra iterations), the
    names in ``opt_out`` left out of it under opt-out spans (as .de does for unsigned delegations)."""
    private, dnskey = key
    origin = zone.origin
    zone.find_node(origin, create=True).replace_rdataset(dns.rdataset.from_rdata(300, dnskey))

    def sign(name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> None:
        rrsig = dns.dnssec.sign(
            (name, rdataset),
            private,
            signer=origin,
            dnskey=dnskey,
            inception=inception,
            expiration=expiration,
        )
        zone.find_node(name, create=True).replace_rdataset(dns.rdataset.from_rdata(rdataset.ttl, rrsig))

    hashed: dict[str, set[int]] = {}
    for name, node in list(zone.nodes.items()):
        delegation = name != origin and node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NS) is not None
        for rdataset in list(node.rdatasets):
            if rdataset.rdtype != dns.rdatatype.RRSIG and (
                not delegation or rdataset.rdtype == dns.rdatatype.DS
            ):
                sign(name, rdataset)
        if name in opt_out:
            continue
        types = {rdataset.rdtype for rdataset in node.rdatasets if rdataset.rdtype != dns.rdatatype.RRSIG}
        if not delegation or dns.rdatatype.DS in types:
            types.add(dns.rdatatype.RRSIG)
        hashed[dns.dnssec.nsec3_hash(name, None, iterations, 1)] = types
    ordered = sorted(hashed)
    for index, digest in enumerate(ordered):
        following = ordered[(index + 1) % len(ordered)]
        types = " ".join(dns.rdatatype.to_text(rdtype) for rdtype in sorted(hashed[digest]))
        rdata = dns.rdata.from_text(
            dns.rdataclass.IN,
            dns.rdatatype.NSEC3,
            f"1 {1 if opt_out else 0} {iterations} - {following} {types}",
        )
        owner = dns.name.Name((digest.lower().encode(), *origin.labels))
        rdataset = dns.rdataset.from_rdata(300, rdata)
        zone.find_node(owner, create=True).replace_rdataset(rdataset)
        sign(owner, rdataset)


class DnsHandler:
    """Answers queries from ``Zones`` as a recursive resolver passes authoritative data on."""

    def __init__(self, zones: Zones, *, truncate_udp: bool = False, rcode: int | None = None) -> None:
        self.zones = zones
        self.truncate_udp = truncate_udp
        self.rcode = (
            rcode  # answer every query with this rcode (SERVFAIL: a broken upstream; NXDOMAIN: offline)
        )
        self.queries: list[tuple[str, str, str]] = []  # (transport, name, type) in order

    def answer(self, wire: bytes, transport: str) -> bytes | None:
        try:
            query = dns.message.from_wire(wire)
        except Exception:
            return None
        question = query.question[0]
        self.queries.append((transport, str(question.name), dns.rdatatype.to_text(question.rdtype)))
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        dnssec = bool(query.ednsflags & dns.flags.DO)
        if self.rcode is not None:
            response.set_rcode(self.rcode)
        else:
            self._fill(response, question.name, question.rdtype, dnssec)
        if transport == "udp" and self.truncate_udp:
            response.flags |= dns.flags.TC
            response.answer, response.authority = [], []
        return response.to_wire()

    def _fill(self, response: dns.message.Message, name: dns.name.Name, rdtype: int, dnssec: bool) -> None:
        zone = self.zones.zone_for(name, rdtype)
        if zone is None:
            response.set_rcode(dns.rcode.REFUSED)
            return
        node = zone.get_node(name)
        if node is not None:
            rdataset = node.get_rdataset(dns.rdataclass.IN, rdtype)
            if rdataset is not None:
                self._add(response.answer, node, name, rdataset, dnssec)
                return
            cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if cname is not None:
                self._add(response.answer, node, name, cname, dnssec)
                return
        self._add_soa(response, zone, dnssec)
        exists = node is not None or any(other.is_subdomain(name) for other in zone.nodes)
        if not exists:
            response.set_rcode(dns.rcode.NXDOMAIN)
        if dnssec:
            for owner in self._denials(zone, name):
                denial_node = zone.get_node(owner)
                for kind in (dns.rdatatype.NSEC, dns.rdatatype.NSEC3):
                    rdataset = denial_node.get_rdataset(dns.rdataclass.IN, kind)
                    if rdataset is not None:
                        self._add(response.authority, denial_node, owner, rdataset, dnssec)

    def _add(self, section: list, node: dns.node.Node, name: dns.name.Name, rdataset, dnssec: bool) -> None:
        section.append(dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset)))
        if dnssec:
            rrsigs = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, rdataset.rdtype)
            if rrsigs is not None:
                rrset = dns.rrset.from_rdata_list(name, rrsigs.ttl, list(rrsigs))
                section.append(rrset)

    def _add_soa(self, response: dns.message.Message, zone: dns.zone.Zone, dnssec: bool) -> None:
        node = zone.get_node(zone.origin)
        self._add(
            response.authority,
            node,
            zone.origin,
            node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.SOA),
            dnssec,
        )

    def _denials(self, zone: dns.zone.Zone, name: dns.name.Name) -> list[dns.name.Name]:
        """The NSEC (matching or covering) or NSEC3 records (matching, closest encloser, covering)."""
        nsec = sorted(
            owner
            for owner, node in zone.nodes.items()
            if node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NSEC)
        )
        if nsec:
            if name in nsec:
                return [name]
            before = [owner for owner in nsec if owner < name]
            return [before[-1] if before else nsec[-1]]
        records = {
            owner: rdataset
            for owner, node in zone.nodes.items()
            if (rdataset := node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NSEC3))
        }
        if not records:
            return []
        chain = {owner.labels[0].decode().upper(): owner for owner in records}
        ordered = sorted(chain)
        iterations = next(iter(records.values()))[0].iterations

        def hashed(owner: dns.name.Name) -> str:
            return dns.dnssec.nsec3_hash(owner, None, iterations, 1)

        def covering(digest: str) -> dns.name.Name:
            before = [item for item in ordered if item < digest]
            return chain[before[-1] if before else ordered[-1]]

        if hashed(name) in chain:
            return [chain[hashed(name)]]
        encloser, closer = name.parent(), name
        while hashed(encloser) not in chain and encloser != zone.origin:
            encloser, closer = encloser.parent(), encloser
        return list(dict.fromkeys([chain[hashed(encloser)], covering(hashed(closer))]))


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, handler: DnsHandler) -> None:
        self.handler = handler

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        reply = self.handler.answer(data, "udp")
        if reply is not None:
            self.transport.sendto(reply, addr)


async def _tcp(handler: DnsHandler, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            size = struct.unpack("!H", await reader.readexactly(2))[0]
            reply = handler.answer(await reader.readexactly(size), "tcp")
            if reply is None:
                break
            writer.write(struct.pack("!H", len(reply)) + reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@asynccontextmanager
async def serving_dns(handler: DnsHandler) -> AsyncIterator[int]:
    """Serve ``handler`` on 127.0.0.1 over UDP and TCP on one free port; yields the port."""
    loop = asyncio.get_running_loop()
    for _ in range(20):
        udp, _protocol = await loop.create_datagram_endpoint(
            lambda: _Udp(handler), local_addr=("127.0.0.1", 0)
        )
        port = udp.get_extra_info("sockname")[1]
        try:
            tcp = await asyncio.start_server(lambda r, w: _tcp(handler, r, w), "127.0.0.1", port)
        except OSError:  # the TCP port of that number is taken: try another
            udp.close()
            continue
        break
    else:
        raise RuntimeError("no free port for the test DNS server")
    try:
        yield port
    finally:
        udp.close()
        tcp.close()
        await tcp.wait_closed()


@asynccontextmanager
async def silent_dns() -> AsyncIterator[int]:
    """A UDP port that receives queries and never answers (a server that has gone away)."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    try:
        yield sink.getsockname()[1]
    finally:
        sink.close()
