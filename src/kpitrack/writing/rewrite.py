"""Corrections: one entry of a target file replaced or removed, the file rewritten whole,
atomically, under its lock (on the inode its path names); every other byte stays as it was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from kpitrack.files.blocks import entry_at_line
from kpitrack.files.document import decode, key_lines, parse_toml
from kpitrack.domain.errors import KpitrackError, Sentence
from kpitrack.words.i18n import N_
from kpitrack.writing.lock import Waiting, locked_target
from kpitrack.domain.model import Entry, Target
from kpitrack.files.schema import check_text, entry_problem, target_from_document
from kpitrack.files.workspace import plan_period
from kpitrack.writing.write import entry_block, replace_locked


@dataclass(frozen=True)
class Replaced:
    """A target file before and after a rewrite, for the journal and for `undo`."""

    path: Path
    before: bytes
    after: bytes
    target: Target  # as it was before


def rewrite_file(path: Path, root: Path, change: Callable[[bytes], bytes],
                 waiting: Waiting | None = None) -> tuple[bytes, bytes]:
    """Replace the file at `path` by `change(its bytes)` under its lock: a temporary file beside it,
    flushed to disk, renamed into place. A crash leaves the old file or the new one, never half.
    Returns (before, after)."""
    with locked_target(path, root, waiting) as locked:
        before = locked.read()
        after = change(before)
        if after != before:
            replace_locked(locked, after)
    return before, after


UNSAFE = N_("this entry is written in a way kpitrack cannot rewrite safely; edit line {line} by hand")


def rewrite_entry(path: Path, root: Path, pick: Callable[[Target], Entry],
                  make: Callable[[Target, Entry], Entry | None]) -> tuple[Replaced, Entry, Entry | None]:
    """Replace the entry `pick(target)` of a target file by `make(target, old)`, or remove it when
    that is None; every other byte of the file stays as it was. The result is read back: it must hold
    exactly the entries it held, but for the one changed. Returns (replaced, old entry, new entry)."""
    found: dict[str, Any] = {}

    def change(data: bytes) -> bytes:
        text = decode(data, path)
        target = target_from_document(parse_toml(text, path), path, root, key_lines(text), plan_period(path.parent, root))
        old = pick(target)
        new = make(target, old)
        if new is not None:
            check_text(new.note, "note")
            check_text(new.source, "source")
            problem = entry_problem(target, new)
            if problem:
                raise KpitrackError(problem, path)
        span = entry_at_line(text, old.line)
        if span is None:
            raise KpitrackError(Sentence(UNSAFE, line=old.line), path, old.line)
        start, end = span.start, span.body_end  # blank lines and comments before the next table stay
        if new is not None:
            replacement = entry_block(new).lstrip("\n")
        else:
            replacement = ""
            if start >= 2 and text[start - 2:start] == "\n\n":
                start -= 1  # the blank line `add` put before the block goes with it
        result = text[:start] + replacement + text[end:]
        after = target_from_document(parse_toml(result, path), path, root, key_lines(result), plan_period(path.parent, root))
        expected = [entry for entry in target.entries if entry.line != old.line]
        if new is not None:
            expected.insert(target.entries.index(old), new)
        if [entry._replace(line=None) for entry in after.entries] != [e._replace(line=None) for e in expected]:
            raise KpitrackError(Sentence(UNSAFE, line=old.line), path, old.line)
        found.update(target=target, old=old, new=new)
        return (result if not data.startswith(b"\xef\xbb\xbf") else "\ufeff" + result).encode("utf-8")

    before, after = rewrite_file(path, root, change)
    return Replaced(path, before, after, found["target"]), found["old"], found["new"]


def restore_file(path: Path, root: Path, expected: bytes, wanted: bytes) -> None:
    """Put `wanted` back in place of the file, if it still holds `expected` (else another change
    came after it, and nothing is written)."""
    def change(data: bytes) -> bytes:
        if data != expected:
            raise KpitrackError(N_("changed since; nothing was undone: check it by hand"), path)
        return wanted

    rewrite_file(path, root, change)
