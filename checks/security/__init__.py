"""Security checks: transport (HTTPS, TLS), HTTP headers and page content."""

from scanner.families import FamilyDeclaration

FAMILY = FamilyDeclaration(
    name="security",
    checks=(
        "checks.security.cookie_flags",
        "checks.security.dns",
        "checks.security.http_headers",
        "checks.security.https_redirect",
        "checks.security.mail_auth",
        "checks.security.mail_policy",
        "checks.security.mail_transport",
        "checks.security.mixed_content",
        "checks.security.security_txt",
        "checks.security.subresource_integrity",
        "checks.security.tls_certificate",
        "checks.security.tls_ciphers",
        "checks.security.tls_profile",
        "checks.security.tls_protocols",
        "checks.security.tls_vulnerabilities",
        "checks.security.version_banner",
    ),
    host_probes=(
        "scanner.probes.dns",
        "scanner.probes.http_headers",
        "scanner.probes.http_redirect",
        "scanner.probes.mail",
        "scanner.probes.security_txt",
        "scanner.probes.smtp",
        "scanner.probes.tls",
    ),
    tables=("scanner.store.security",),  # HTTP header grade per host
    datasets=("checks.security.observatory.preload",),
)
