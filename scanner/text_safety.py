"""Text from scanned sites (and from configuration files) as data, wherever a person reads it.

A page title, a message, a host name or a target name may carry control characters: ANSI escape
sequences that recolour or rewrite a terminal, carriage returns that overwrite a line, C1 codes,
bidi overrides that reorder what is shown (Trojan Source), NULs that crash XML writers. Each
output gets the same treatment: such characters are shown as visible escapes (``\\x1b``,
``\\u202e``), never passed on raw, so nothing is hidden and nothing is obeyed.

- ``terminal_text``/``markup_text``/``plain``: the terminal (Rich would also read ``[red]`` in a name
  as markup; ``markup_text`` escapes it for f-strings, ``plain`` makes a ``Text`` for table cells);
- ``csv_cell``: spreadsheets (OWASP CSV injection: a leading ``=``, ``+``, ``-``, ``@``, tab or CR
  gets a ``'``);
- ``xml_text``: JUnit XML and the SVG charts (XML 1.0 cannot carry most control characters);
- ``json_text``: JSON printed on a terminal (``--json``), every control character as ``\\uXXXX``;
- ``TerminalLogFormatter``: log lines of the worker (they name URLs and hosts).

JSON exports keep the exact values: the JSON encoder escapes C0 characters itself, and the
consumer of a JSON document is a program that must see what the site sent.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from rich.markup import escape as escape_markup
from rich.text import Text

# C0 (without tab and newline, which some outputs keep), DEL, C1, and the bidi embeddings,
# overrides and isolates of Unicode's "Trojan Source" list, plus the Arabic letter mark.
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{_ALWAYS}\t\n]")
_CONTROLS_BUT_LAYOUT = re.compile(f"[{_ALWAYS}]")  # keeps tab and newline
# What XML 1.0 cannot carry at all (besides the controls above): surrogates, U+FFFE, U+FFFF.
_NOT_XML = re.compile(f"[{_ALWAYS}\ud800-\udfff\ufffe\uffff]")
# What json.dumps(ensure_ascii=False) leaves raw although a terminal may obey it.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069]")

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def terminal_text(value: object, *, multiline: bool = False) -> str:
    """``value`` for a terminal: control characters as visible escapes (tab and newline kept
    only when ``multiline``)."""
    pattern = _CONTROLS_BUT_LAYOUT if multiline else _CONTROLS
    return pattern.sub(_visible, _text(value))


def markup_text(value: object, *, multiline: bool = False) -> str:
    """``value`` to embed in a Rich markup string: controls escaped, ``[`` not read as a tag."""
    return escape_markup(terminal_text(value, multiline=multiline))


def plain(value: object) -> Text:
    """A Rich table cell showing ``value`` as it is: no markup, no control characters."""
    return Text(terminal_text(value))


def defuse_formula(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with ``'`` (OWASP recommendation)."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def csv_cell(value: object) -> str:
    """A CSV cell: formula defused, control characters escaped (newlines and tabs kept: a quoted
    cell carries them)."""
    return _CONTROLS_BUT_LAYOUT.sub(_visible, defuse_formula(_text(value)))


def xml_text(value: object) -> str:
    """Text an XML 1.0 document can carry and a CI page shows harmlessly (tab, newline kept)."""
    return _NOT_XML.sub(_visible, _text(value))


def json_text(document: Any, *, default: Any = str) -> str:
    """``document`` as indented JSON that is safe to print: the same data, control characters and
    bidi overrides as ``\\uXXXX`` escapes (they can only occur inside strings)."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=default)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class TerminalLogFormatter(logging.Formatter):
    """A log formatter whose lines carry no control characters (a traceback keeps its lines)."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_text(super().format(record), multiline=True)
