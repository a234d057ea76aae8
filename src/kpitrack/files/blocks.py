"""A target file's `[[progress]]` tables read as entries, without the schema's checks: for the
readers that must not refuse a file (the door reading a few blocks back, the read-back of an append,
git's merge driver and history) but must agree with every other reader on what an entry says."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from kpitrack.domain.model import Entry, ReadingQualifier

_FLAGS = ("total", "estimate")


def table_entry(table: Any) -> Entry | None:
    """The entry a [[progress]] table holds, as the schema would read it when the table is valid;
    None when it is not one the schema could read (no date, a figure that is no number…): such a
    table is the same as another only as written."""
    if not isinstance(table, dict) or not isinstance(table.get("date"), date):
        return None
    value = table.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, Decimal))):
        return None
    if any(not isinstance(table.get(flag, False), bool) for flag in _FLAGS):
        return None
    done = table.get("done")
    repeat = table.get("repeat")
    if (done is not None and not isinstance(done, bool)) or (
            repeat is not None and (isinstance(repeat, bool) or not isinstance(repeat, int))):
        return None
    texts = [table.get(key) for key in ("note", "source", "node")]
    if any(text is not None and not isinstance(text, str) for text in texts):
        return None
    qualifier = table.get("qualifier")
    if qualifier is not None:
        try:
            qualifier = ReadingQualifier(qualifier)
        except ValueError:
            return None
    return Entry(date=table["date"], value=Decimal(value) if value is not None else None,
                 total=table.get("total", False), done=done, note=texts[0], source=texts[1],
                 qualifier=qualifier, estimate=table.get("estimate", False), repeat=repeat, node=texts[2])


# --- where the tables of a target file stand ------------------------------------------------------
#
# The one reader of a target file's block layout: a head of top-level keys, then tables, each from
# its header line to the line before the next header. Lines are str.splitlines()'s, numbered as
# document.key_lines numbers them (an entry's `line`). Used by git's merge driver (and so its history),
# corrections (rewrite), the door reading a few blocks back (entrycheck), the append's cheap read
# (write) and the line index; the fast parser and the repair of a torn append know only the header
# `add` writes, HEADER.

HEADER = "[[progress]]"  # the header line `add` writes (write.entry_block)
_TABLE = r"[ \t]*\[\[?[ \t]*([A-Za-z0-9_.-]+)[ \t]*\]\]?[ \t]*(?:#.*)?"
TABLE_HEADER = re.compile(_TABLE)  # a table's header line (fullmatch, without its line end)
_HEADER_LINES = re.compile(rf"^{_TABLE}\r?$", re.MULTILINE)


class Span(NamedTuple):
    """Where one table stands in a text: offsets of its header line, of the end of its last line that
    is neither blank nor a comment (what follows belongs before the next table), and of the next
    header (or the text's end)."""

    name: str  # progress, checkpoint…
    array: bool  # [[name]]: one of a list of tables (an entry), not [name]
    start: int
    body_end: int
    end: int
    line: int | None = None  # its header's line number (None where not counted: see span_around)

    @property
    def entry(self) -> bool:
        return self.array and self.name == "progress"


def _span(header: re.Match, start: int, body_end: int, end: int, line: int | None) -> Span:
    return Span(header.group(1), header.group(0).lstrip().startswith("[["), start, body_end, end, line)


_CARRIAGE_ALONE = re.compile("\r(?!\n)")
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")  # to splitlines, not TOML


def _line_by_line(text: str) -> bool:
    """Whether `text` must be read a line at a time: its lines are not TOML's (str.splitlines() breaks
    lines where TOML does not), or it holds a multi-line string."""
    return ('"""' in text or "'''" in text or any(mark in text for mark in _OTHER_BREAKS)
            or ("\r" in text and _CARRIAGE_ALONE.search(text) is not None))


def table_spans(text: str) -> tuple[int, list[Span]]:
    """(where the head ends, every table's span) of `text`. A line inside a multi-line string is
    never a header."""
    return _spans_line_by_line(text) if _line_by_line(text) else _spans_searched(text)


def entry_at_line(text: str, line: int) -> Span | None:
    """The [[progress]] table whose header stands at `line` (as key_lines numbers lines: an entry's
    `line`), or None; as table_spans finds it, at the cost of finding the line, not of every table."""
    if _line_by_line(text):
        return next((span for span in table_spans(text)[1] if span.line == line and span.entry), None)
    before = text.split("\n", line - 1) if line >= 1 else []
    if len(before) < line:
        return None
    start = len(text) - len(before[-1])
    span = span_around(text, start)
    return span._replace(line=line) if span is not None and span.start == start and span.entry else None


def _spans_searched(text: str) -> tuple[int, list[Span]]:
    """table_spans for a text whose lines are TOML's and hold no multi-line string (every file `add`
    writes): the headers found by a search, a block's end by reading back from the next header."""
    spans: list[Span] = []
    headers = list(_HEADER_LINES.finditer(text))
    size = len(text)
    starts = [header.start() for header in headers] + [size]
    line, counted = 1, 0
    rfind, count, append = text.rfind, text.count, spans.append
    for index, header in enumerate(headers):
        start, end = starts[index], starts[index + 1]
        line += count("\n", counted, start)
        counted = start
        after_header = min(header.end() + 1, size)
        body_end = end
        while body_end > after_header:
            previous = rfind("\n", 0, body_end - 1) + 1
            if text[previous:body_end].strip()[:1] not in ("", "#"):
                break
            body_end = previous
        whole = header.group(0)
        append(Span(header.group(1), whole.lstrip()[:2] == "[[", start, max(body_end, after_header), end, line))
    return starts[0] if headers else size, spans


def _spans_line_by_line(text: str) -> tuple[int, list[Span]]:
    """table_spans read a line at a time (str.splitlines()'s lines), minding multi-line strings."""
    spans: list[Span] = []
    offset, in_string = 0, False
    header, start, body_end, number = None, 0, 0, 0
    for count, line in enumerate(text.splitlines(keepends=True), start=1):
        found = None if in_string else TABLE_HEADER.fullmatch(line.rstrip("\r\n"))
        if found:
            if header is not None:
                spans.append(_span(header, start, body_end, offset, number))
            header, start, number = found, offset, count
            body_end = offset + len(line)
        elif header is not None and (in_string or line.strip()[:1] not in ("", "#")):
            body_end = offset + len(line)
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
        offset += len(line)
    if header is not None:
        spans.append(_span(header, start, body_end, offset, number))
    return (spans[0].start if spans else len(text)), spans


def first_entry(text: str) -> Span | None:
    """The first [[progress]] table's header, found by a search (the cost of the head, not the file);
    only its `start` is known (its ends are those of the next header: see span_around)."""
    for found in _HEADER_LINES.finditer(text):
        header = TABLE_HEADER.fullmatch(found.group(0).rstrip("\r"))
        if header.group(1) == "progress" and header.group(0).lstrip().startswith("[["):
            return _span(header, found.start(), found.start(), found.start(), None)
    return None


def span_around(text: str, at: int) -> Span | None:
    """The table whose block holds offset `at` (None: it is in the head), read from `at` backwards to
    its header and forwards to the next: the cost of the block, not of the file. Its line is not
    counted. For the blocks `add` writes: a multi-line string is not looked into."""
    start = text.rfind("\n", 0, at) + 1
    while True:
        stop = text.find("\n", start)
        header = TABLE_HEADER.fullmatch(text[start:len(text) if stop < 0 else stop].rstrip("\r"))
        if header:
            break
        if start == 0:
            return None
        start = text.rfind("\n", 0, start - 1) + 1
    body_end = offset = len(text) if stop < 0 else stop + 1
    while offset < len(text):
        stop = text.find("\n", offset)
        following = len(text) if stop < 0 else stop + 1
        line = text[offset:following]
        if TABLE_HEADER.fullmatch(line.rstrip("\r\n")):
            break
        if line.strip()[:1] not in ("", "#"):
            body_end = following
        offset = following
    return _span(header, start, body_end, offset, None)
