"""A fast path for the files kpitrack writes: the `[[progress]]` blocks `add` appends, line by line.

`loads(text)` gives exactly what `tomllib.loads(text, parse_float=Decimal)` gives, or None when
the text is not in the shape it knows (then tomllib reads it). It knows: a head of any TOML
before the first line that is exactly `[[progress]]` (read by tomllib, and holding no
`progress` of its own), then only blocks of that header line followed by `key = value` lines
with a bare key and, as value, a date (YYYY-MM-DD), an integer or a decimal without sign,
exponent or underscore, `true`/`false`, or a basic string with no escape, quote or control
character; and blank lines. A comment, an inline table, an array, a repeated key, a carriage
return, spaces other than one each side of `=`: anything else declines.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal
from typing import Any

HEADER = "[[progress]]"
_LINE = re.compile(r'([A-Za-z0-9_-]+) = (?:(\d{4})-(\d{2})-(\d{2})|(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?|(true|false)'
                   r'|"([^"\\\x00-\x1f\x7f]*)")')


def loads(text: str) -> dict[str, Any] | None:
    """The document, as tomllib would give it, or None (see the module)."""
    start = text.find(f"\n{HEADER}\n")
    if start < 0 or "\r" in text:
        return None
    head, blocks = text[:start + 1], text[start + 1:].split("\n")
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    match = _LINE.fullmatch
    for line in blocks:
        if not line:
            continue
        if line == HEADER:
            entry = {}
            entries.append(entry)
            continue
        found = match(line)
        if found is None:
            return None
        key, year, month, day, whole, fraction, flag, string = found.groups()
        if key in entry:
            return None
        if year is not None:
            try:
                entry[key] = date(int(year), int(month), int(day))
            except ValueError:
                return None
        elif whole is not None:
            if len(whole) > 100:  # leave huge numbers, and their errors, to tomllib
                return None
            entry[key] = Decimal(whole + fraction) if fraction is not None else int(whole)
        elif flag is not None:
            entry[key] = flag == "true"
        else:
            entry[key] = string
    try:
        document = tomllib.loads(head, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    if "progress" in document:
        return None
    document["progress"] = entries
    return document
