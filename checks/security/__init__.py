"""Security checks: transport (HTTPS, TLS) and HTTP headers."""

from checks.security import https_redirect  # noqa: F401
