"""Torn appends: finding a block that a power cut or a kill left half-written at the end of a
target file, and cutting it off, keeping a copy of every removed byte in `.kpitrack/repaired/`.

Appended blocks end with their `date` (see write.entry_block), so a torn block has no complete
date line at its end and the file fails validation; the file without it must be valid. Nothing
else is ever cut: a file broken elsewhere is left for a person to fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from kpitrack.files.blocks import HEADER
from kpitrack.files.document import decode, key_lines, parse_toml
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, os_reason
from kpitrack.writing.lock import Waiting, locked_target
from kpitrack.files.schema import target_from_document
from kpitrack.files.workspace import plan_period
from kpitrack.files.state import state_folder
from kpitrack.writing.write import APPENDED_KEYS, cut_back

_HEADER = HEADER.encode()


@dataclass(frozen=True)
class Repaired:
    path: Path
    line: int  # where the torn block began
    removed: int  # bytes
    copy: Path


def torn_tail(data: bytes, path: Path, root: Path) -> int | None:
    """The byte offset where a torn block at the end of `data` begins, or None when the file does
    not end in one (it is valid, or broken elsewhere)."""
    header = data.rfind(b"\n" + _HEADER) + 1
    last_line = data.rfind(b"\n") + 1
    if data[last_line:] and _HEADER.startswith(data[last_line:].rstrip()) and last_line > header:
        header = last_line  # cut inside the header itself: `[[prog`
    if header <= 0:
        return None
    cut = header - 1 if data[header - 2:header] == b"\n\n" else header  # with the blank line before it
    if not _cut_short(data[header:]) or not _valid(data[:cut], path, root) or _valid(data, path, root):
        return None
    return cut


_DATE_PREFIX = re.compile(r"(d|da|dat|date|date ?=?|date = \d{0,4}(-\d{0,2}(-\d?)?)?)")


def _cut_short(block: bytes) -> bool:
    """Whether a last block is what a torn append leaves: a prefix of a block `add` writes (its
    keys in their order, and no whole date, since `add` writes the date last). Anything else (a
    quoted or impossible date, a key `add` never writes, a mistake in a block typed by hand) was
    not cut short, and is left for a person."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(block) - 3:
            return False
        text = block[:error.start].decode("utf-8", errors="replace")  # a character cut in two at the end
    header, _, body = text.partition("\n")
    if not body and not text.endswith("\n"):
        return HEADER.startswith(header.strip())  # cut inside the header itself
    *complete, last = body.split("\n")
    for line in complete:
        key = line.split("=", 1)[0].strip()
        if key not in APPENDED_KEYS or "=" not in line:
            return False
    if not last:
        return True  # cut right after a whole line: no date yet
    key = last.split("=", 1)[0].strip()
    if key == "date" or "date".startswith(last.strip()):
        return _DATE_PREFIX.fullmatch(last) is not None and len(last) < len("date = 2024-06-30")
    return any(name.startswith(key) for name in APPENDED_KEYS)


def _valid(data: bytes, path: Path, root: Path) -> bool:
    try:
        text = decode(data, path)
        target_from_document(parse_toml(text, path), path, root, key_lines(text), plan_period(path.parent, root))
        return True
    except (KpitrackError, RecursionError):
        return False


def repair(path: Path, root: Path, waiting: Waiting | None = None) -> Repaired | None:
    """Cut a torn block off the end of the target file at `path`, under its lock, keeping a copy
    of what was removed; None when the file does not end in a torn block."""
    from datetime import datetime

    with locked_target(path, root, waiting) as locked:
        data = locked.read()
        cut = torn_tail(data, path, root)
        if cut is None:
            return None
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        name = os.path.relpath(path, root).replace(os.sep, "__")
        copy = state_folder(root) / "repaired" / f"{name}.{stamp}.{os.getpid()}.torn"
        try:
            copy.parent.mkdir(exist_ok=True)
            with open(copy, "xb") as handle:
                handle.write(data[cut:])
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise KpitrackError(N_("cannot keep a copy of the torn block ({reason}); nothing was cut"), copy,
                                reason=os_reason(error)) from None
        problem = cut_back(locked, cut)
        if problem:
            raise KpitrackError(N_("could not cut the torn block off ({problem})"), path, problem=problem)
    line = data[:cut].count(b"\n") + 1 + (data[cut:cut + 1] == b"\n")
    return Repaired(path, line, len(data) - cut, copy)
