"""Configuration problems and where they are in the file.

tomllib returns plain dicts without positions, so `SourceMap` finds line numbers again from the raw
text: the N-th ``[[target]]`` header starts target N, a key is the line matching ``key =`` inside its
block, and a list element is located by scanning the array literal token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# A section of the file: ("settings",), ("target", n) with n 1-based, or () for the top level.
Section = tuple[()] | tuple[str] | tuple[str, int]

_TARGET_FIELD = re.compile(r"^(target\[\d+\])(?:\.(.*))?$")
_ANY_HEADER = re.compile(r"^\s*\[\[?\s*[^\[\]]+?\s*\]\]?\s*(#.*)?$")
_TARGET_HEADER = re.compile(r"^\s*\[\[\s*target\s*\]\]\s*(#.*)?$")
_SETTINGS_HEADER = re.compile(r"^\s*\[\s*settings\s*\]\s*(#.*)?$")
_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_SYNTAX_AT_END = re.compile(r"\s*\(at end of document\)$")


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a configuration file.

    `field` is a path such as ``target[2].max_pages``, ``target[2].exclude[3]`` (1-based indices)
    or ``settings.request_delay``; empty for problems of the whole file. `target` is the target's
    name when known, only used to make the message easier to place.
    """

    file: Path
    line: int | None
    field: str
    message: str
    target: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        field = self._display_field()
        return f"{where}: {field}: {self.message}" if field else f"{where}: {self.message}"

    def _display_field(self) -> str:
        match = _TARGET_FIELD.match(self.field)
        if not match or self.target is None:
            return self.field
        head, rest = match.group(1), match.group(2)
        named = f'{head} "{self.target}"'
        return f"{named} {rest}" if rest else named


class ConfigError(Exception):
    """A configuration file could not be used; `problems` lists everything found, in file order."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line if p.line is not None else 1 << 30)
        super().__init__("\n".join(str(p) for p in self.problems))


def syntax_problem(file: Path, text: str, message: str) -> ConfigProblem:
    """Turn a tomllib.TOMLDecodeError message into a problem carrying its line."""
    position = _SYNTAX_POSITION.search(message)
    if position:
        line, column = int(position.group(1)), position.group(2)
        message = f"{_SYNTAX_POSITION.sub('', message)} (column {column})"
        return ConfigProblem(file, line, "", f"TOML syntax error: {message}")
    line_count = len(text.splitlines()) or 1
    message = _SYNTAX_AT_END.sub(" (at end of file)", message)
    return ConfigProblem(file, line_count, "", f"TOML syntax error: {message}")


class SourceMap:
    """Best-effort line numbers for sections, keys and list elements of a TOML file."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._headers = [n for n, line in enumerate(self.lines, 1) if _ANY_HEADER.match(line)]
        self._targets = [n for n, line in enumerate(self.lines, 1) if _TARGET_HEADER.match(line)]
        settings = [n for n, line in enumerate(self.lines, 1) if _SETTINGS_HEADER.match(line)]
        self._settings = settings[0] if settings else None

    def header_line(self, section: Section) -> int | None:
        if section == ("settings",):
            return self._settings
        if len(section) == 2:
            index = section[1] - 1
            return self._targets[index] if 0 <= index < len(self._targets) else None
        return None

    def key_line(self, section: Section, key: str) -> int | None:
        """The line assigning `key` inside `section`, or the section's header line."""
        start, end = self._block(section)
        pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
        for number in range(start, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return self.header_line(section)

    def element_line(self, section: Section, key: str, index: int) -> int | None:
        """The line where element `index` (0-based) of the array assigned to `key` starts."""
        key_line = self.key_line(section, key)
        if key_line is None or key_line == self.header_line(section):
            return key_line
        starts = _array_element_lines(self.lines, key_line)
        return starts[index] if index < len(starts) else key_line

    def _block(self, section: Section) -> tuple[int, int]:
        """First and last line of a section's body (1-based, inclusive)."""
        header = self.header_line(section)
        if header is None:
            if section:  # declared some other way (inline tables, dotted keys): no block to search
                return 1, 0
            return 1, (self._headers[0] - 1 if self._headers else len(self.lines))
        following = [h for h in self._headers if h > header]
        return header + 1, (following[0] - 1 if following else len(self.lines))


def _array_element_lines(lines: list[str], key_line: int) -> list[int]:
    """Line of each top-level element of the array literal assigned on `key_line`.

    Walks the raw text after the '=' skipping strings and comments, so brackets and commas inside
    regular expressions do not confuse it. Returns [] when the value is not an array.
    """
    text = "\n".join(lines[key_line - 1 :])
    pos, line = text.index("=") + 1, key_line
    depth, expecting, starts = 0, False, []
    while pos < len(text):
        char = text[pos]
        if char == "\n":
            line += 1
        elif char == "#":
            pos = _end_of_line(text, pos)
            continue
        elif not char.isspace():
            if depth == 0 and char != "[":
                return starts
            if depth == 1 and expecting and char not in ",]":
                starts.append(line)
                expecting = False
            if char in "[{":
                depth += 1
                expecting = expecting or depth == 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return starts
            elif char == "," and depth == 1:
                expecting = True
            elif char in "\"'":
                end = _end_of_string(text, pos)
                line += text.count("\n", pos, end)
                pos = end
                continue
        pos += 1
    return starts


def _end_of_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _end_of_string(text: str, pos: int) -> int:
    """Index just after the TOML string literal starting at `pos` (basic, literal or multi-line)."""
    quote = text[pos]
    delimiter = quote * 3 if text.startswith(quote * 3, pos) else quote
    pos += len(delimiter)
    while pos < len(text):
        if quote == '"' and text[pos] == "\\":
            pos += 2
            continue
        if text.startswith(delimiter, pos):
            return pos + len(delimiter)
        pos += 1
    return len(text)
