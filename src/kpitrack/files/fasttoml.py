"""A fast path for the files kpitrack writes: the `[[progress]]` blocks `add` appends.

`loads(text)` gives exactly what `tomllib.loads(text, parse_float=Decimal)` gives, or None when
the text is not in the shape it knows (then tomllib reads it). It knows: a head of any TOML
before the first line that is exactly `[[progress]]` (holding no `progress` of its own; read
here when its lines are blank, whole-line comments, `key = value` lines as the blocks hold or
lists of such texts, `tags = ["a", "b"]`, else by tomllib), then only blocks of that header line
followed by `key = value` lines with a bare key and, as value, a date (YYYY-MM-DD), an integer
or a decimal without exponent or underscore, `true`/`false`, or a basic string with no escape,
quote or control character; and blank lines. A comment, an inline table, an array, a repeated
key, a carriage return, spaces other than one each side of `=`: anything else declines.

Each distinct line is read once (a `key = value` line to its key and value, all immutable) and
remembered: files repeat the same dates, flags, notes and often figures. The `progress` list
it gives is a `Blocks`, a list that also knows the line of each block's header, as
`document.key_lines` counts them (None where that count could differ: a head naming `progress`
in a string, or a line separator of Unicode's), so that key_lines need not scan the file.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.files.blocks import HEADER

_LINE = re.compile(r'([A-Za-z0-9_-]+) = (?:([0-9]{4}-[0-9]{2}-[0-9]{2})|(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?)|(true|false)'
                   r'|"([^"\\\x00-\x1f\x7f]*)")')
_PROGRESS_IN_HEAD = re.compile(r"\[\s*progress\s*\]")
_SEPARATORS = ("\x85", "\u2028", "\u2029")  # lines to str.splitlines(), not to TOML
_BLANK, _HEADER, _ODD = object(), object(), object()
_KEEP = 8192  # lines remembered: files repeat the same dates, flags, notes and figures
_known: dict[str, Any] = {"": _BLANK, HEADER: _HEADER}


class Blocks(list):
    """The `[[progress]]` tables, and the line of each one's header (or None: count them)."""

    __slots__ = ("lines",)


def loads(text: str) -> dict[str, Any] | None:
    """The document, as tomllib would give it, or None (see the module)."""
    start = text.find(f"\n{HEADER}\n")
    if start < 0 or "\r" in text:
        return None
    head = text[:start + 1]
    entries = Blocks()
    headers: list[int] = []
    entry: dict[str, Any] = {}
    known = _known
    for number, line in enumerate(text[start + 1:].split("\n"), head.count("\n") + 1):
        item = known.get(line)
        if item is None:
            item = _line(line)
            if len(known) < _KEEP:
                known[line] = item
        if item.__class__ is tuple:
            key, value = item
            if key in entry:
                return None
            entry[key] = value
        elif item is _HEADER:
            entry = {}
            entries.append(entry)
            headers.append(number)
        elif item is _ODD:
            return None
    document = _head(head)
    if document is None:
        import tomllib  # a head of other lines: imported only then (`add` reads none)

        try:
            document = tomllib.loads(head, parse_float=Decimal)
        except (tomllib.TOMLDecodeError, RecursionError):
            return None
    if "progress" in document:
        return None
    odd = ("progress" in head and _PROGRESS_IN_HEAD.search(head)) or any(mark in text for mark in _SEPARATORS)
    entries.lines = None if odd else headers
    document["progress"] = entries
    return document


_COMMENT = re.compile(r"#[^\x00-\x08\x0a-\x1f\x7f]*")  # a whole-line comment: no control character but tab
_TEXT = r'"[^"\\\x00-\x1f\x7f]*"'  # a basic string as _LINE's: no escape, quote or control character
_TEXTS = re.compile(rf"([A-Za-z0-9_-]+) = \[((?:{_TEXT}(?:, {_TEXT})*)?)\]")
_QUOTED = re.compile(r'"([^"]*)"')


def loads_piece(text: str) -> dict[str, Any] | None:
    """loads, for the pieces of a file `add` reads as well: a head alone (a kpitrack.toml, a target's
    definition) and blocks alone (from a header line: the last block, a day's, its own read back)."""
    if "\r" in text:
        return None
    if text.startswith(f"{HEADER}\n"):
        document = loads("\n" + text)
        if document is not None:
            document["progress"].lines = None  # counted from the line put before: key_lines counts them
        return document
    return loads(text) if f"\n{HEADER}\n" in text else _head(text)


def _head(head: str) -> dict[str, Any] | None:
    """The head as tomllib reads it, when every line is one this module knows (see the module);
    else None. Its lines are looked up among those remembered, not added: a title or a source is
    seldom in another file."""
    document: dict[str, Any] = {}
    for line in head.split("\n"):
        if not line or _COMMENT.fullmatch(line):
            continue
        item = _known.get(line) or _line(line)
        if item.__class__ is not tuple:
            texts = _TEXTS.fullmatch(line)
            if texts is None:
                return None
            item = texts[1], _QUOTED.findall(texts[2])
        if item[0] in document:
            return None
        document[item[0]] = item[1]
    return document


def _line(line: str) -> tuple[str, Any] | object:
    """(key, value) of a `key = value` line of the blocks, as tomllib reads it; _ODD for any other."""
    found = _LINE.fullmatch(line)
    if found is None:
        return _ODD
    key, day, figure, fraction, flag, string = found.groups()
    if day is not None:
        try:
            return key, date.fromisoformat(day)
        except ValueError:
            return _ODD
    if figure is not None:
        if len(figure) > 100:  # leave huge numbers, and their errors, to tomllib
            return _ODD
        return key, Decimal(figure) if fraction is not None else int(figure)
    if flag is not None:
        return key, flag == "true"
    return key, string
