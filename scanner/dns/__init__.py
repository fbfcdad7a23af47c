"""The scanner's one DNS resolver, with DNSSEC validated by govscan itself.

``servers``: which servers to ask (``[settings] dns_servers``, ``--dns-server``, else
/etc/resolv.conf), reached through the ``--connect-to`` mapping. ``query``: one question to
those servers (DO and CD bits, UDP with TCP on truncation, timeout and retries, a cache per scan).
``anchors``: the trust anchor (the IANA root KSKs unless a file is configured). ``chain``: the walk
from the root to a name (DNSKEY of each zone, DS in its parent, RRSIGs), with ``denial`` proving an
absent DS by NSEC or NSEC3 and ``signatures`` checking each RRSIG with a reason. ``status``:
secure / insecure / bogus / indeterminate and why.
``caa``: the CAA record set relevant to a name (RFC 8659). ``resolver``: all of it behind one object.
"""
