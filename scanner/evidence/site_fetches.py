"""What the Observatory algorithm reads: the http:// and https:// sessions of one host.

Header values are looked up the way the Observatory's HTTP client presents them: a header sent
twice is one value joined with ", " (so a duplicated HSTS or X-Frame-Options header is seen, and
judged invalid, exactly as upstream), Set-Cookie stays a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class FetchedResponse:
    """The end of one session (redirects followed hop by hop) and the hops that led there."""

    url: str  # final URL
    status: int
    headers: tuple[tuple[str, str], ...] = ()  # raw, names lower-case, duplicates kept
    body: str = ""
    verified: bool = True  # False: the certificate chain was not trusted (fetched unverified)
    chain: tuple[tuple[str, int], ...] = ()  # (url, status) of every hop, first request first

    def values(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key == name]

    def header(self, name: str) -> str | None:
        """All values of a header joined with ", ", as Node's HTTP client reports duplicates."""
        values = self.values(name)
        return ", ".join(values) if values else None

    @property
    def mime_type(self) -> str:
        values = self.values("content-type")
        return values[0].split(";")[0].strip().lower() if values else ""

    @property
    def is_https(self) -> bool:
        return urlsplit(self.url).scheme == "https"

    def meta_policies(self) -> dict[str, list[str]]:
        """``<meta http-equiv="Content-Security-Policy">`` (all) and ``<meta name="referrer">`` (the last)."""
        found: dict[str, list[str]] = {"content-security-policy": []}
        if self.mime_type not in HTML_TYPES or not self.body:
            return found
        for meta in BeautifulSoup(self.body, "lxml").find_all("meta"):
            content = meta.get("content")
            if content is None:
                continue
            if meta.get("http-equiv") is not None:
                if meta["http-equiv"].strip().lower() == "content-security-policy":
                    found["content-security-policy"].append(content)
            elif (meta.get("name") or "").strip().lower() == "referrer":
                found["referrer-policy"] = [content]
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body,
            "verified": self.verified,
            "chain": [list(hop) for hop in self.chain],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> FetchedResponse | None:
        if data is None:
            return None
        return cls(
            url=data["url"],
            status=data["status"],
            headers=tuple((name, value) for name, value in data.get("headers", [])),
            body=data.get("body", ""),
            verified=data.get("verified", True),
            chain=tuple((url, status) for url, status in data.get("chain", [])),
        )


@dataclass(frozen=True)
class SiteFetches:
    """Everything one grading needs; stored as JSON in the probe's data."""

    host: str
    http: FetchedResponse | None  # the session that started at http://host/ (None: no HTTP at all)
    https: FetchedResponse | None  # the session that started at https://host/
    cors: FetchedResponse | None = None  # answer to the CORS preflight with an Origin header
    cors_origin: str = ""
    # Set-Cookie values of the graded session (every hop, then /robots.txt), in order
    set_cookies: tuple[str, ...] = ()
    preloaded: frozenset[str] | None = field(default=None, compare=False)  # None: no preload list

    @property
    def auto(self) -> FetchedResponse | None:
        """The response graded: HTTPS when the host answered there, else plain HTTP."""
        return self.https if self.https is not None else self.http

    def as_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "http": self.http.as_json() if self.http else None,
            "https": self.https.as_json() if self.https else None,
            "cors": self.cors.as_json() if self.cors else None,
            "cors_origin": self.cors_origin,
            "set_cookies": list(self.set_cookies),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], preloaded: frozenset[str] | None = None) -> SiteFetches:
        return cls(
            host=data["host"],
            http=FetchedResponse.from_json(data.get("http")),
            https=FetchedResponse.from_json(data.get("https")),
            cors=FetchedResponse.from_json(data.get("cors")),
            cors_origin=data.get("cors_origin", ""),
            set_cookies=tuple(data.get("set_cookies", [])),
            preloaded=preloaded,
        )
