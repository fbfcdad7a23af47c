"""Everything that talks to the network outside the browser, and the facts it shares with the browser.

The HTTP client, the scan's host mapping (``--connect-to``) and extra trust (``--ca-bundle``), host names,
registrable domains, Set-Cookie lines and the classification of network failures.
"""
