"""robots.txt per origin (RFC 9309), parsed with Protego.

How the file was obtained decides what it means: a 4xx answer ("missing") allows everything, a
5xx answer or a network failure ("unreachable") disallows everything, because RFC 9309 says a
crawler MUST then assume complete disallow. We never guess in the operator's disfavour.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urljoin

from protego import Protego

from scanner import USER_AGENT_TOKEN
from scanner.crawl.urls import origin_of
from scanner.evidence import FailureClass
from scanner.net.client import DEFAULT_MAX_BYTES, HttpFailure, HttpResponse, NetClient

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309, section 2.5: parse at least 500 KiB, may ignore the rest
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309, section 2.3.1.2: follow at least five consecutive redirects
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

RobotsStatus = Literal["ok", "missing", "unreachable"]


@dataclass(frozen=True)
class RobotsPolicy:
    """What one origin's robots.txt says, and how we came to know it."""

    origin: str
    status: RobotsStatus
    fetched_url: str  # the robots.txt URL finally answered (after redirects), or the one tried
    http_status: int | None = None
    detail: str | None = None  # why "missing"/"unreachable": "HTTP 503", "connection_refused: ..."
    failure_class: FailureClass | None = None  # why "unreachable", in the scan's failure vocabulary
    parser: Protego | None = field(default=None, repr=False, compare=False)

    def allows(self, url: str, user_agent_token: str = USER_AGENT_TOKEN) -> bool:
        if self.status == "missing":
            return True
        if self.status == "unreachable" or self.parser is None:
            return False
        # Protego picks the group of the longest matching token and falls back to "*".
        return self.parser.can_fetch(url, user_agent_token)

    @property
    def crawl_delay(self) -> float | None:
        return self.parser.crawl_delay(USER_AGENT_TOKEN) if self.parser is not None else None

    @property
    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


async def fetch_following(
    client: NetClient,
    url: str,
    *,
    max_redirects: int,
    allow: Callable[[str], bool] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> HttpResponse | HttpFailure:
    """GET ``url``, following redirects ourselves so that we can cap them and check each target.

    More than ``max_redirects`` hops gives a TOO_MANY_REDIRECTS failure; a hop to a URL that
    ``allow`` rejects is not requested and gives a REDIRECTED_OUT_OF_SCOPE failure (with the
    target as its url). A successful answer carries every hop in ``history``.
    """
    history: list[tuple[str, int, str]] = []
    current = url
    while True:
        result = await client.fetch(current, follow_redirects=False, max_bytes=max_bytes)
        if isinstance(result, HttpFailure):
            return result
        location = result.header("location")
        if result.status not in REDIRECT_STATUSES or not location:
            return replace(result, history=(*history, *result.history))
        history.append((current, result.status, location))
        target = urljoin(current, location)
        if len(history) > max_redirects:
            return HttpFailure(url, FailureClass.TOO_MANY_REDIRECTS, f"more than {max_redirects} redirects")
        if allow is not None and not allow(target):
            detail = f"{current} redirects to {target}"
            return HttpFailure(target, FailureClass.REDIRECTED_OUT_OF_SCOPE, detail)
        current = target


async def fetch_robots(client: NetClient, origin: str) -> RobotsPolicy:
    """Fetch and interpret ``{origin}/robots.txt`` (origin like ``https://www.example.de``)."""
    origin = origin.rstrip("/")
    robots_url = origin + "/robots.txt"
    result = await fetch_following(
        client, robots_url, max_redirects=ROBOTS_MAX_REDIRECTS, max_bytes=ROBOTS_MAX_BYTES
    )
    if isinstance(result, HttpFailure):
        detail = f"{result.failure_class.value}: {result.detail}"
        # RFC 9309, 2.3.1.2: robots.txt not reached within the redirect limit MAY count as unavailable.
        too_many = result.failure_class is FailureClass.TOO_MANY_REDIRECTS
        if too_many:
            return RobotsPolicy(origin, "missing", robots_url, detail=detail)
        return RobotsPolicy(
            origin, "unreachable", robots_url, detail=detail, failure_class=result.failure_class
        )
    if 200 <= result.status < 300:
        text = result.body.decode("utf-8", errors="replace").removeprefix("\ufeff")
        if result.truncated:  # RFC 9309 lets us ignore what follows 500 KiB; a cut "Allow: /a/b"
            text = text.rpartition("\n")[0]  # would read "Allow: /a", so drop the partial line
        return RobotsPolicy(origin, "ok", result.url, result.status, parser=Protego.parse(text))
    detail = f"HTTP {result.status}"
    # 429 is "slow down", not "no robots.txt": like Google, treat it as a server error (disallow).
    if 400 <= result.status < 500 and result.status != 429:
        return RobotsPolicy(origin, "missing", result.url, result.status, detail=detail)
    # 5xx, 429, and anything unexpected (a 3xx without Location): complete disallow.
    return RobotsPolicy(
        origin, "unreachable", result.url, result.status, detail=detail, failure_class=FailureClass.HTTP_ERROR
    )


class RobotsCache:
    """One robots.txt fetch per origin; concurrent callers for an origin share that fetch.

    Least recently used origins are forgotten beyond ``max_origins`` (and fetched again if
    needed), so a crawl that touches many hosts stays bounded in memory.
    """

    def __init__(self, client: NetClient, *, max_origins: int = 500) -> None:
        self.client = client
        self.max_origins = max_origins
        self._tasks: OrderedDict[str, asyncio.Task[RobotsPolicy]] = OrderedDict()

    async def policy_for(self, url: str) -> RobotsPolicy:
        origin = origin_of(url)
        if origin is None:
            raise ValueError(f"{url!r} is not an http(s) URL")
        task = self._tasks.get(origin)
        if task is None:
            task = asyncio.ensure_future(fetch_robots(self.client, origin))
            self._tasks[origin] = task
            while len(self._tasks) > self.max_origins:
                self._tasks.popitem(last=False)
        else:
            self._tasks.move_to_end(origin)
        try:
            # shield: one caller being cancelled must not cancel the fetch the others are waiting for.
            return await asyncio.shield(task)
        except Exception:
            if self._tasks.get(origin) is task:  # don't cache a crash (e.g. a closed client)
                del self._tasks[origin]
            raise

    def __len__(self) -> int:
        return len(self._tasks)
