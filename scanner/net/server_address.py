"""The server a scan loads: its start host's resolved IP, the key of the one-scan-per-IP lock.

Many municipalities sit on a few regional IT providers; keying politeness on the host name alone
would let several workers hammer one shared server. The address is resolved as the scan will
reach it: through the --connect-to mapping first (command line, then the target's own), else DNS.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from scanner.config.targets import TargetConfig
from scanner.net.network import NetworkSettings


async def server_lock_key(target: TargetConfig, network: NetworkSettings) -> str:
    """``ip:<address>`` of the target's first start URL; ``host:<name>`` when it does not resolve."""
    url = urlsplit(target.start_urls[0])
    host = (url.hostname or "").lower()
    port = url.port or (443 if url.scheme == "https" else 80)
    own = NetworkSettings.build(target.crawl.connect_to, target.crawl.ca_bundle)
    mapped = network.merged(own).host_map.resolve(host, port)
    address = mapped[0] if mapped else host
    try:
        return f"ip:{ipaddress.ip_address(address)}"
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(address, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"host:{host}"  # the scan will record the DNS error; one at a time per name meanwhile
    return f"ip:{sorted(info[4][0] for info in found)[0]}"
