"""URL normalisation and dedupe keys.

A crawl meets the same page under many spellings (``HTTP://Www.Example.de:80/a/./b#top``,
``…/a/b?utm_source=x``). ``normalise_url`` maps them to one form without changing what the
server receives in meaning (RFC 3986, section 6.2.2): it never sorts query parameters, never
decodes reserved escapes such as ``%2F`` and never touches the case of the path or trailing
slashes, because servers may treat those differently.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Sequence
from fnmatch import fnmatchcase
from urllib.parse import unquote, unquote_plus, urljoin, urlsplit, urlunsplit

from scanner.net.hostnames import ascii_host

_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_HEXDIGITS = frozenset(string.hexdigits)
# WHATWG URL Standard percent-encode sets (besides C0 controls, space and non-ASCII, which are
# always encoded), so that our form matches what a browser would send for the same link.
_PATH_ENCODE = frozenset('"#<>?`{}')
_QUERY_ENCODE = frozenset("\"#<>'")
_WHATWG_STRIPPED = str.maketrans("", "", "\t\n\r")  # browsers drop these anywhere in a URL


def normalise_url(url: str, *, drop_params: Sequence[str] = (), base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None for other schemes and unparsable URLs.

    ``drop_params`` are fnmatch globs (case-insensitive) of query parameter names to remove,
    e.g. ``("utm_*", "fbclid")``. ``base`` resolves relative references (a link's page URL).
    """
    url = url.strip().translate(_WHATWG_STRIPPED)
    try:
        if base is not None:
            url = urljoin(base.strip(), url)
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        return None
    host = _normalise_host(parts.hostname or "")
    if host is None:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_ENCODE) or "/")
    query = _normalise_escapes(parts.query, _QUERY_ENCODE)
    if drop_params and query:
        query = _drop_params(query, drop_params)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str:
    """A short stable key of the normalised URL (for unique indexes).

    Apply ``drop_params`` with ``normalise_url`` first: the key only normalises the spelling.
    URLs that cannot be normalised are hashed as given.
    """
    canonical = normalise_url(url) or url
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL (normalised, without user info), or None."""
    normalised = normalise_url(url)
    if normalised is None:
        return None
    parts = urlsplit(normalised)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _normalise_host(host: str) -> str | None:
    # urlsplit lower-cases ASCII only; browsers also decode escapes in the host
    return ascii_host(unquote(host))


def _normalise_escapes(text: str, encode: frozenset[str]) -> str:
    """Upper-case escapes, decode escaped unreserved characters, encode what must be encoded."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        escape = text[index + 1 : index + 3]
        if char == "%" and len(escape) == 2 and set(escape) <= _HEXDIGITS:
            decoded = chr(int(escape, 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + escape.upper())
            index += 3
            continue
        if ord(char) <= 0x20 or ord(char) >= 0x7F or char in encode:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")))
        else:
            out.append(char)  # a stray "%" stays as it is, as in browsers
        index += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986, section 5.2.4, for an absolute path: ``/a/./b/../c`` -> ``/a/c``."""
    segments = path.split("/")[1:]
    output: list[str] = []
    for segment in segments:
        if segment == ".":
            continue
        if segment == "..":
            if output:
                output.pop()
            continue
        output.append(segment)
    if segments and segments[-1] in {".", ".."}:
        output.append("")  # "/a/b/.." names the directory "/a/"
    return "/" + "/".join(output)


def _drop_params(query: str, patterns: Sequence[str]) -> str:
    lowered = [pattern.lower() for pattern in patterns]

    def dropped(pair: str) -> bool:
        name = unquote_plus(pair.partition("=")[0]).lower()
        return any(fnmatchcase(name, pattern) for pattern in lowered)

    return "&".join(pair for pair in query.split("&") if not dropped(pair))


# Documents (PDF, Office): recorded with type and size, never rendered. Keys without the dot.
DOCUMENT_EXTENSIONS: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "dot": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pps": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ppsx": "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odg": "application/vnd.oasis.opendocument.graphics",
    "rtf": "application/rtf",
    "epub": "application/epub+zip",
}

_DOCUMENT_TYPES = frozenset({*DOCUMENT_EXTENSIONS.values(), "application/x-pdf", "text/rtf"})
_DOCUMENT_TYPE_PREFIXES = (
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
    "application/vnd.ms-excel",  # also the .sheet.macroEnabled.12 etc. variants
    "application/vnd.ms-powerpoint",
    "application/vnd.ms-word",
)


def document_extension(url: str) -> str | None:
    """The lower-case extension of the URL path's last segment when it names a document."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    # Java CMSs (e.g. Government Site Builder) append ";jsessionid=..." to the file name.
    name = unquote(path.rpartition("/")[2]).partition(";")[0]
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return extension if extension in DOCUMENT_EXTENSIONS else None


def looks_like_document(url: str) -> bool:
    return document_extension(url) is not None


def is_document_content_type(content_type: str | None) -> bool:
    """True for PDF, Word/Excel/PowerPoint, OpenDocument, RTF and EPUB media types."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type in _DOCUMENT_TYPES or media_type.startswith(_DOCUMENT_TYPE_PREFIXES)
