"""A TOML document as read from disk: decoded, parsed with exact decimals, and a line index for messages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpitrack.domain.errors import KpitrackError, Sentence
from kpitrack.files.blocks import TABLE_HEADER
from kpitrack.words.i18n import N_


def decode(data: bytes, path: Path) -> str:
    try:
        text = data.decode("utf-8")  # not "utf-8-sig": finding that codec cost every start 0.4 ms
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise KpitrackError(N_("not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"),
                            path, line, byte=data[error.start]) from None
    return text[1:] if text.startswith("\ufeff") else text  # a byte-order mark, as Windows Notepad writes, is skipped


# Patterns as text for the messages of broken files, compiled (and kept by `re`) when one is read:
# every `add` paid for their compiling.
_TOML_POSITION = r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$"




# What tomllib says is wrong, as our catalogue words it (its own sentences are English only).
TOML_REASONS = (
    (r"Expected newline or end of document after a statement", N_("a line holds more than one key = value")),
    (r"Illegal character (?P<what>.+)", N_("character {what} not allowed here (a text in quotes must end on its line)")),
    (r"Unterminated string", N_("text in quotes has no closing quote")),
    (r"Expected '=' after a key in a key/value pair", N_("Expected '=' after a key (write key = value)")),
    (r"Invalid value", N_("a value that is not a number, a date, true/false or text in quotes")),
    (r"Invalid date or datetime", N_("not a valid date (write 2024-06-30)")),
    (r"Invalid statement", N_("a line that is not key = value, [table] or [[table]]")),
    (r"Invalid initial character for a key part", N_("a key that starts with a character not allowed in keys")),
    (r"Cannot declare (?P<what>.+) twice", N_("{what} is declared twice")),
    (r"Cannot overwrite a value", N_("a key is given twice")),
    (r"Cannot (?:mutate immutable|redefine) namespace (?P<what>.+)", N_("{what} is given twice")),
    (r"Duplicate inline table key (?P<what>.+)", N_("key {what} is given twice")),
    (r"Expected (?P<what>'[^']*') at the end of (?:a table|an array) declaration", N_("{what} missing at the end of the line")),
    (r"Expected (?P<what>.+)", N_("expected {what}")),
    (r"Found invalid character (?P<what>.+)", N_("character {what} not allowed here")),
    (r"Unclosed array", N_("a list [ … ] is not closed")),
    (r"Unclosed inline table", N_("a table { … } is not closed")),
    (r"Unescaped '\\' in a string", N_("a backslash in text in quotes: write \\\\ or use single quotes")),
    (r"Invalid hex value|Escaped character is not a Unicode scalar value", N_("a bad \\u escape in text in quotes")),
)


def toml_reason(reason: str) -> Sentence | str:
    """tomllib's reason as a sentence of our catalogue, or as it is where we have none."""
    for pattern, message in TOML_REASONS:
        found = re.fullmatch(pattern, reason)
        if found:
            return Sentence(message, **found.groupdict())
    return reason


def toml_document(text: str) -> dict[str, Any]:
    """What tomllib.loads(text, parse_float=Decimal) gives, or its TOMLDecodeError (a ValueError): read
    by kpitrack.files.fasttoml when every line is of a form it knows (the files and blocks kpitrack
    writes), else by tomllib, imported only then: its import (its patterns, the string module) cost
    every `add` about 2 ms."""
    from kpitrack.files.fasttoml import loads_piece

    fast = loads_piece(text)
    if fast is not None:
        return fast
    import tomllib

    return tomllib.loads(text, parse_float=Decimal)


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML with exact decimals; errors name the line and column tomllib reports."""
    try:
        return toml_document(text)
    except RecursionError:
        raise KpitrackError(N_("arrays or tables nested too deep to read (a target file needs no nesting "
                               "beyond [[progress]] tables)"), path) from None
    except ValueError as error:  # tomllib's TOMLDecodeError: nothing else here raises one
        message = str(error)
        match = re.search(_TOML_POSITION, message)
        line = column = None
        if match and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        elif match:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        reason = message[: match.start()] if match else message
        bad_date = _bad_date(text, line)
        if bad_date:  # tomllib reads 2025-13-31 as a number and something after it
            raise KpitrackError(N_("{value} is not a calendar date: write it as YYYY-MM-DD, a real day"), path, line,
                                value=bad_date) from None
        raise KpitrackError(N_("invalid TOML: {reason}"), path, line, column, reason=toml_reason(reason)) from None


_DATE_LIKE = r"\s*[A-Za-z0-9_-]+\s*=\s*(\d{4}-\d{1,2}-\d{1,2})\s*(#.*)?$"  # compiled as _TOML_POSITION


def _bad_date(text: str, line: int | None) -> str | None:
    """The date-like value of `line` (key = 2025-13-31) when it is no calendar date, else None."""
    from datetime import date

    if line is None:
        return None
    lines = text.splitlines()
    found = re.match(_DATE_LIKE, lines[line - 1]) if 0 < line <= len(lines) else None
    if not found:
        return None
    try:
        date(*map(int, found.group(1).split("-")))
    except ValueError:
        return found.group(1)
    return None


_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")


class LineIndex(Mapping):
    """Where things stand in a TOML text, for messages: (table, index, key) -> line number.

    (None, 0, key) is a top-level key; ("progress", 2, None) the header of the third entry.
    A heuristic scan, used only to point at lines; tomllib does the parsing. It is made when it
    is first asked, since most texts read have no mistake to point at: the top-level keys from
    the lines before the first table, anything else from the whole text.
    """

    __slots__ = ("_text", "_top", "_all")

    def __init__(self, text: str) -> None:
        self._text = text
        self._top: dict[tuple, int] | None = None
        self._all: dict[tuple, int] | None = None

    def __getitem__(self, key: tuple) -> int:
        return self._lines_of(key)[key]

    def get(self, key: tuple, default: int | None = None) -> int | None:  # Mapping's, without a raise
        return self._lines_of(key).get(key, default)  # for each key of each target a status reads

    def _lines_of(self, key: tuple) -> dict[tuple, int]:
        if key[0] is None and self._all is None:
            if self._top is None:
                self._top = _top_lines(self._text)
            return self._top
        return self._whole()

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def _whole(self) -> dict[tuple, int]:
        if self._all is None:
            self._all = _scan(self._text.splitlines())[0]
        return self._all


def key_lines(text: str) -> LineIndex:
    """The line index of `text` (see LineIndex), made when first asked."""
    return LineIndex(text)


def _top_lines(text: str) -> dict[tuple, int]:
    """The top-level keys' lines, from as few lines as hold them all (up to the first table)."""
    size = 1024  # a head's lines: title, unit, target, dates, owner, source, tags
    while size < len(text):
        cut = text.rfind("\n", 0, size)  # a prefix of whole lines, numbered as in the whole text
        if cut > 0:
            lines, complete = _scan(text[:cut].splitlines(), top_only=True)
            if complete:
                return lines
        size *= 8
    return _scan(text.splitlines(), top_only=True)[0]


def _scan(text_lines: list[str], top_only: bool = False) -> tuple[dict[tuple, int], bool]:
    """(the index of these lines, whether a table header ended the scan of the top-level keys)."""
    lines: dict[tuple, int] = {}
    section: tuple[str | None, int] = (None, 0)
    counts: dict[str, int] = {}
    for number, line in enumerate(text_lines, start=1):
        header = TABLE_HEADER.fullmatch(line)  # the one reader's header (files.blocks)
        if header:
            if top_only:
                return lines, True
            name = header.group(1)
            section = (name, counts.get(name, 0))
            counts[name] = section[1] + 1
            lines[(*section, None)] = number
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*section, key.group(1)), number)
    return lines, False


_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def check_resolved(text: str, path: Path) -> None:
    """A file git left with conflict markers is named with the lines to resolve, not read as TOML."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return
    regions: list[list[int]] = []
    for match in _MARKER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match.group(1).startswith("<") or not regions or len(regions[-1]) == 2:
            regions.append([line])
        if match.group(1).startswith(">"):
            regions[-1].append(line)
    if not regions:
        return
    spans = ", ".join(f"{region[0]}–{region[-1]}" for region in regions)
    raise KpitrackError(N_("unresolved merge in {file}, lines {spans}: keep the right lines, delete the "
                           "<<<<<<<, ======= and >>>>>>> lines, then `git add` the file"), path, regions[0][0],
                        file=path, spans=spans)
