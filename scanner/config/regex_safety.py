"""Refuse include/exclude patterns that can backtrack catastrophically, such as ``(a+)+$``.

Python's ``re`` has no time limit, and a thread stuck in a match cannot be stopped, so the choice
is to refuse such patterns when targets.toml is read instead of running them with a timeout. The
rule is the classic one for exponential backtracking: an unbounded repeat (``*``, ``+``,
``{n,}``) of something that contains another varying repeat (``(a+)+``, ``(\\w+\\s?)*``,
``((a+)?)*``). Atomic groups (``(?>...)``) and possessive quantifiers (``a++``) never backtrack and
are allowed. The rule is simple rather than exact: it also refuses harmless patterns whose
iterations are separated (``(/[a-z]+)*``; the message says to write ``(/[a-z]++)*``), and it does
not see overlapping alternatives under a repeat (``(a|aa)+``), which would need an automaton of
the whole pattern.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from typing import Any

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_UNBOUNDED = sre_constants.MAXREPEAT


def nested_quantifier(pattern: str) -> bool:
    """Whether ``pattern`` repeats without bound something that itself repeats."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return False  # the caller reports the syntax error
    return _has_nested(parsed)


def _has_nested(items: Any) -> bool:
    for op, argument in items:
        if op in _REPEATS:
            _low, high, body = argument
            if (high == _UNBOUNDED and _contains_repeat(body)) or _has_nested(body):
                return True
        elif any(_has_nested(child) for child in _children(op, argument)):
            return True
    return False


def _contains_repeat(items: Any) -> bool:
    """Whether something in ``items`` matches a varying number of times (``a{2}`` does not)."""
    for op, argument in items:
        if op in _REPEATS:
            low, high, body = argument
            if high > 1 and low != high:
                return True
            if _contains_repeat(body):
                return True
        elif any(_contains_repeat(child) for child in _children(op, argument)):
            return True
    return False


def _children(op: Any, argument: Any) -> list[Any]:
    """The sub-patterns a node holds (groups, alternatives, lookarounds); atomic parts are safe."""
    if op == sre_constants.SUBPATTERN:
        return [argument[-1]]
    if op == sre_constants.BRANCH:
        return list(argument[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [argument[1]]
    if op == sre_constants.GROUPREF_EXISTS:
        return [part for part in argument[1:] if part is not None]
    return []  # literals, classes, ATOMIC_GROUP and POSSESSIVE_REPEAT (they never backtrack)
