"""Every check govscan knows, one module per check (or per small family on the same evidence).

Importing this package registers them all in ``scanner.findings.registry.REGISTRY``.
"""

from checks import accessibility, privacy, security  # noqa: F401
