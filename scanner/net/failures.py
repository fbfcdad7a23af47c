"""Why a page or host could not be tested, from Chromium's net errors and Python exceptions."""

from __future__ import annotations

import asyncio
import ssl

import aiohttp

from scanner.evidence import FailureClass

# Chromium's net::ERR_* names (net/base/net_error_list.h) grouped into our failure classes.
_CHROMIUM_ERRORS: dict[str, FailureClass] = {
    "ERR_NAME_NOT_RESOLVED": FailureClass.DNS_ERROR,
    "ERR_NAME_RESOLUTION_FAILED": FailureClass.DNS_ERROR,
    "ERR_TIMED_OUT": FailureClass.TIMEOUT,
    "ERR_CONNECTION_TIMED_OUT": FailureClass.TIMEOUT,
    "ERR_CONNECTION_REFUSED": FailureClass.CONNECTION_REFUSED,
    "ERR_CONNECTION_RESET": FailureClass.CONNECTION_RESET,
    "ERR_CONNECTION_CLOSED": FailureClass.CONNECTION_RESET,
    "ERR_EMPTY_RESPONSE": FailureClass.CONNECTION_RESET,
    "ERR_TOO_MANY_REDIRECTS": FailureClass.TOO_MANY_REDIRECTS,
    # the body ended before it was whole: what arrived is a part, never the page
    "ERR_CONTENT_LENGTH_MISMATCH": FailureClass.DOCUMENT_INCOMPLETE,
    "ERR_INCOMPLETE_CHUNKED_ENCODING": FailureClass.DOCUMENT_INCOMPLETE,
}


def classify_browser_error(message: str) -> FailureClass:
    """Map a Playwright navigation error ("net::ERR_CERT_AUTHORITY_INVALID at ...") to a class."""
    if "Timeout" in message and "exceeded" in message:
        return FailureClass.TIMEOUT
    for name, failure in _CHROMIUM_ERRORS.items():
        if name in message:
            return failure
    if "ERR_CERT_" in message or "ERR_SSL_" in message or "ERR_BAD_SSL" in message:
        return FailureClass.TLS_ERROR
    if "net::ERR_" in message:
        return FailureClass.NETWORK_ERROR
    return FailureClass.BROWSER_ERROR


def classify_client_error(error: BaseException) -> FailureClass:
    """Map an aiohttp/asyncio exception to a class."""
    if isinstance(error, asyncio.TimeoutError | TimeoutError | aiohttp.ServerTimeoutError):
        return FailureClass.TIMEOUT
    if isinstance(error, aiohttp.TooManyRedirects):
        return FailureClass.TOO_MANY_REDIRECTS
    if isinstance(error, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError | ssl.SSLError):
        return FailureClass.TLS_ERROR
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return FailureClass.DNS_ERROR
    if isinstance(error, aiohttp.ClientConnectorError):
        cause = error.os_error
        if isinstance(cause, ConnectionRefusedError):
            return FailureClass.CONNECTION_REFUSED
        if isinstance(cause, TimeoutError):
            return FailureClass.TIMEOUT
        return FailureClass.NETWORK_ERROR
    if isinstance(error, aiohttp.ServerDisconnectedError | ConnectionResetError):
        return FailureClass.CONNECTION_RESET
    return FailureClass.NETWORK_ERROR


# Retry rule (the one place it is decided): a scan that could not test anything is worth another
# attempt only when the cause is likely to pass by itself. Timeouts, dropped connections, browser
# errors and server errors (5xx) are transient; DNS errors, refused connections, TLS errors,
# client errors (4xx), robots.txt and redirects are permanent until someone changes the site or
# the target, so retrying them would only hammer the server (GSA's isPermanentFailure rule). So are
# a page that crashed the renderer on both of its visits (renderer_crash) and one that never stops
# navigating (self_navigating), whose scripts never yield (unresponsive) or whose document is over
# the size limit: the page does that, not the moment. A document that stalled may arrive next time.
TRANSIENT_FAILURES = frozenset(
    {
        FailureClass.TIMEOUT,
        FailureClass.CONNECTION_RESET,
        FailureClass.BROWSER_ERROR,
        FailureClass.DOCUMENT_INCOMPLETE,
    }
)


def is_transient(failure_class: str | None, http_status: int | None = None) -> bool:
    """Whether a failed scan with this failure class (and HTTP status) should be retried."""
    if failure_class == FailureClass.HTTP_ERROR:
        return http_status is not None and http_status >= 500
    return failure_class in TRANSIENT_FAILURES
