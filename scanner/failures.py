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
