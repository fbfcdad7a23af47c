"""Security checks: transport (HTTPS, TLS), HTTP headers and page content."""

from checks.security import (  # noqa: F401
    http_headers,
    https_redirect,
    security_txt,
    tls_certificate,
    tls_ciphers,
    tls_profile,
    tls_protocols,
    tls_vulnerabilities,
)
