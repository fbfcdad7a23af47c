"""Mail of a domain as DNS and its servers show it: no grading here, only facts for the checks.

``lookup``: TXT and MX answers through the scan's one DNS querier. ``mx``: the MX set with null MX
(RFC 7505) and implicit MX (RFC 5321 §5.1). ``spf``, ``dmarc``, ``mta_sts``, ``tls_rpt``: the
policy records, parsed (SPF's DNS lookups counted recursively). ``dkim``: whether
``_domainkey`` exists. ``dane``: TLSA records matched against a presented chain (RFC 7672).
``scope``: the mail domains a crawled page names (``mailto:`` on contact and legal pages).
"""
