"""The Content-Security-Policy test: parsing (with upstream's rules for several policies) and judging."""

from __future__ import annotations

from itertools import pairwise
from urllib.parse import unquote

from scanner.evidence.site_fetches import SiteFetches

SHORTEST_POLICY = len("img-src") - 1
NOT_IN_META = ("frame-ancestors", "report-uri", "sandbox")
DUPLICATES_ALLOWED = frozenset({"report-uri", "report-to"})
DANGEROUSLY_BROAD = frozenset(
    {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
)
UNSAFE_INLINE = frozenset({"'unsafe-inline'", "data:"})
BROAD_OR_INLINE = DANGEROUSLY_BROAD | UNSAFE_INLINE
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCE_OR_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


class CspInvalid(ValueError):
    pass


class ParsedCsp(dict[str, set[str]]):
    """Directive -> sources, merged over all policies; ``duplicates`` names allowed repeats."""

    duplicates: frozenset[str] = frozenset()


def split_policies(values: list[str]) -> list[str]:
    """Several headers (or one joined with commas) are several policies (CSP3 §2.2)."""
    return [policy.strip() for value in values for policy in value.split(",")]


def parse_policies(policies: list[str]) -> ParsedCsp:
    """Merge policies the way the Observatory does: a source counts only if every policy allows it.

    A directive repeated inside one policy makes it invalid (except report-uri/report-to, which are
    remembered as duplicates); a directive without sources that ends in -src means 'none'.
    """
    cleaned = [policy.replace("\r", "").replace("\n", "").strip() for policy in policies]
    merged = ParsedCsp()
    if not cleaned:
        return merged
    if any(len(policy) < SHORTEST_POLICY for policy in cleaned):
        raise CspInvalid("policy too short to hold a directive")
    kept: dict[str, list[_Source]] = {}
    duplicates: set[str] = set()
    for index, policy in enumerate(cleaned):
        seen: set[str] = set()
        for entry in policy.split(";"):
            words = entry.strip().split()
            if not words:
                continue
            directive, values = words[0].lower(), [word.lower() for word in words[1:]]
            if directive in seen:
                if directive not in DUPLICATES_ALLOWED:
                    raise CspInvalid(f"directive {directive} repeated in policy {index + 1}")
                duplicates.add(directive)
            seen.add(directive)
            if not values and directive.endswith("-src"):
                values = ["'none'"]
            new = [_Source(value, index, keep=index == 0) for value in values]
            combined = new if index == 0 else [*kept.get(directive, []), *new]
            combined.sort(key=lambda source: source.value)
            for previous, source in pairwise(combined):
                if source.policy == previous.policy and source.value.startswith(previous.value):
                    source.keep = False  # a longer source is covered by a shorter one of its policy
                if source.policy != previous.policy and _path_part_match(previous.value, source.value):
                    source.keep = True  # allowed by both policies
            kept[directive] = [source for source in combined if source.keep]
            if index == 0 and len(cleaned) > 1:
                for source in kept[directive]:
                    source.keep = False  # later policies must allow it again
    for directive, sources in kept.items():
        merged[directive] = {source.value for source in sources} or {"'none'"}
    merged.duplicates = frozenset(duplicates)
    return merged


class _Source:
    __slots__ = ("keep", "policy", "value")

    def __init__(self, value: str, policy: int, keep: bool) -> None:
        self.value, self.policy, self.keep = value, policy, keep


def _path_part_match(first: str, second: str) -> bool:
    if not first:
        return True
    if first == "/" and not second:
        return True
    exact = not first.endswith("/")
    first_parts, second_parts = first.split("/"), second.split("/")
    if len(first_parts) > len(second_parts) or (exact and len(first_parts) != len(second_parts)):
        return False
    if not exact:
        first_parts.pop()
    return all(unquote(a) == unquote(b) for a, b in zip(first_parts, second_parts, strict=False))


def _has_nonce_or_hash(sources: set[str]) -> bool:
    return any(source.startswith(NONCE_OR_HASH) for source in sources)


def csp_test(fetches: SiteFetches) -> tuple[str, dict]:
    """(result, data) of the content-security-policy test."""
    response = fetches.auto
    if response is None:
        return "csp-not-implemented", {}
    header_policies = split_policies(response.values("content-security-policy"))
    meta_policies = split_policies(response.meta_policies()["content-security-policy"])
    try:
        csp = parse_policies(header_policies + meta_policies)
    except CspInvalid as error:
        return "csp-header-invalid", {"error": str(error)}
    try:
        header_only = parse_policies(header_policies)
    except CspInvalid:
        header_only = ParsedCsp()
    try:
        meta_only = parse_policies(meta_policies)
        for directive in NOT_IN_META:
            meta_only.pop(directive, None)
    except CspInvalid:
        meta_only = ParsedCsp()
    if not header_only and not meta_only:
        if response.values("content-security-policy-report-only"):
            return "csp-not-implemented-but-reporting-enabled", {}
        return "csp-not-implemented", {}

    result: str | None = None
    default = csp.get("default-src")
    object_src = set(csp.get("object-src") or default or {"*"})
    script_src = set(csp.get("script-src") or default or {"*"})
    style_src = set(csp.get("style-src") or default or {"*"})
    for sources in (script_src, style_src):
        if _has_nonce_or_hash(sources):
            sources.discard("'unsafe-inline'")
    if _has_nonce_or_hash(script_src) and "'strict-dynamic'" in script_src:
        script_src = {
            source
            for source in script_src
            if not source.startswith(tuple(DANGEROUSLY_BROAD)) and source not in {"'self'", "'unsafe-inline'"}
        }
    elif "'strict-dynamic'" in script_src:
        result = "csp-header-invalid"

    active = [
        s for d, sources in csp.items() if d not in (*PASSIVE_DIRECTIVES, "script-src") for s in sources
    ]
    active += script_src
    passive = [s for d in PASSIVE_DIRECTIVES for s in (csp.get(d) or default or set())]
    https = response.is_https

    def insecure(sources) -> bool:
        return any(source.startswith(("http:", "ftp:")) for source in sources)

    # Upstream checks in this order and keeps the first result that applies.
    ordered = [
        (
            bool(script_src & BROAD_OR_INLINE) or bool(object_src & DANGEROUSLY_BROAD),
            "csp-implemented-with-unsafe-inline",
        ),
        (https and insecure(active), "csp-implemented-with-insecure-scheme"),
        ("'unsafe-eval'" in script_src | style_src, "csp-implemented-with-unsafe-eval"),
        (https and insecure(passive), "csp-implemented-with-insecure-scheme-in-passive-content-only"),
        (bool(style_src & BROAD_OR_INLINE), "csp-implemented-with-unsafe-inline-in-style-src-only"),
        (default == {"'none'"}, "csp-implemented-with-no-unsafe-default-src-none"),
        (True, "csp-implemented-with-no-unsafe"),
    ]
    if result is None:
        result = next(name for applies, name in ordered if applies)
    passing = {
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    }
    if result in passing and csp.duplicates:
        result = "csp-implemented-but-duplicate-directives"
    data = {
        "policy": {directive: sorted(sources) for directive, sources in sorted(csp.items())},
        "http": bool(header_policies),
        "meta": bool(meta_policies),
        "frame_ancestors": "frame-ancestors" in csp,  # upstream reads the merged policy here
    }
    return result, data
