"""Every check govscan knows, one package per family, one module per check (or per small group
of checks on the same evidence). Each family package declares itself (``FAMILY``); the families
are listed in ``scanner.families.FAMILY_PACKAGES``.
"""
