"""Security checks: transport (HTTPS, TLS), HTTP headers and page content."""

from checks.security import (  # noqa: F401
    cookie_flags,
    http_headers,
    https_redirect,
    mixed_content,
    security_txt,
    subresource_integrity,
    tls_certificate,
    tls_ciphers,
    tls_profile,
    tls_protocols,
    tls_vulnerabilities,
    version_banner,
)
