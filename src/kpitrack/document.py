"""A TOML document as read from disk: decoded, parsed with exact decimals, and a line index for messages."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpitrack.errors import KpitrackError


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as Windows Notepad writes, is skipped
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise KpitrackError(f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                            path, line) from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


FAST_FROM = 2000  # characters: below, tomllib is as quick and `add` imports no more


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML with exact decimals; errors name the line and column tomllib reports."""
    if len(text) > FAST_FROM:  # the blocks kpitrack writes, line by line; None for anything else
        from kpitrack.fasttoml import loads

        fast = loads(text)
        if fast is not None:
            return fast
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except RecursionError:
        raise KpitrackError("arrays or tables nested too deep to read (a target file needs no nesting "
                            "beyond [[progress]] tables)", path) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = column = None
        if match and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        elif match:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        reason = message[: match.start()] if match else message
        raise KpitrackError(f"invalid TOML: {reason}", path, line, column) from None


_HEADER = re.compile(r"\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(#.*)?")


_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?")


_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")


LineIndex = dict[tuple, int]


def key_lines(text: str) -> LineIndex:
    """Where things stand in a TOML text, for messages: (table, index, key) -> line number.

    (None, 0, key) is a top-level key; ("progress", 2, None) the header of the third entry.
    A heuristic scan, used only to point at lines; tomllib does the parsing.
    """
    lines: LineIndex = {}
    section: tuple[str | None, int] = (None, 0)
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.fullmatch(line) or _TABLE.fullmatch(line)
        if header:
            name = header.group(1)
            section = (name, counts.get(name, 0))
            counts[name] = section[1] + 1
            lines[(*section, None)] = number
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*section, key.group(1)), number)
    return lines


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
    raise KpitrackError(f"unresolved merge in {path}, lines {spans}: keep the right lines, delete the "
                        "<<<<<<<, ======= and >>>>>>> lines, then `git add` the file", path, regions[0][0])
