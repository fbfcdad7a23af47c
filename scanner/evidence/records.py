"""Frozen evidence records from their JSON twin, nested records and tuples included.

``TypedEvidence.from_fields`` passes values through as they are; evidence made of nested records
(a rule with its nodes, a keyboard walk with its focus stops) derives from ``NestedEvidence``
instead, which builds every field from its annotation: a dataclass from a JSON object, a
``tuple[X, ...]`` from a list, a ``dict[str, X]`` value by value, ``X | None`` from null or an X.
A ``str`` field gets a string whatever the page handed over: numbers as text, anything else (an
object where a page redefined ``HTMLAnchorElement.prototype.href``, an SVG link's
``SVGAnimatedString``) as "". Anything else (``int``, ``Any``, a plain ``dict``) is kept as JSON
gave it. A key the
record does not know is ignored and a missing one takes the field's default, so evidence stored
by older versions without a newer optional field still reads.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Self, TypeVar, Union, get_args, get_origin, get_type_hints

from scanner.evidence.typed import TypedEvidence

R = TypeVar("R")
Convert = Callable[[Any], Any]


class NestedEvidence(TypedEvidence):
    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Self:
        return from_plain(cls, fields)


def from_plain(cls: type[R], data: Mapping[str, Any]) -> R:
    """A ``cls`` (a dataclass) from a JSON object."""
    return cls(**{name: convert(data[name]) for name, convert in _converters(cls) if name in data})


@cache
def _converters(cls: type) -> tuple[tuple[str, Convert], ...]:
    hints = get_type_hints(cls)
    return tuple((field.name, _converter(hints[field.name])) for field in dataclasses.fields(cls))


def _keep(value: Any) -> Any:
    return value


def _text(value: Any) -> str:
    """Page-made text: checks compare, hash and split it, so it must be a string."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else ""


def _converter(hint: Any) -> Convert:
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        if len(present) != 1:
            return _keep  # str | int | float: JSON already has the right type
        inner = _converter(present[0])
        return _keep if inner is _keep else lambda value: None if value is None else inner(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda value: from_plain(hint, value)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        return lambda value: tuple(item(element) for element in value)
    if hint is str:
        return _text
    if origin is dict and len(args) == 2:
        item = _converter(args[1])
        return (
            _keep if item is _keep else lambda value: {key: item(element) for key, element in value.items()}
        )
    return _keep
