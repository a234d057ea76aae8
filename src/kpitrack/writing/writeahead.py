"""Appends to several target files as one: all or none, even across a kill -9 or a power cut.

Write-ahead: with every file locked (in path order, so two imports cannot deadlock) and read,
the journal `.kpitrack/import-journal.json` records what will be appended where (each file's
length before, and the bytes); it is flushed to disk before the first byte is appended, and
removed once the last append is on disk. A journal found by the next command means an import
was interrupted: `recover` completes it when every file is as the journal left it (or holds
the appended bytes, whole or torn), and rolls it back otherwise. Either way it says which.
"""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from kpitrack.domain.errors import KpitrackError, Listed, Sentence, Worded
from kpitrack.words.i18n import N_, os_reason
from kpitrack.writing.lock import Locked, Waiting, locked_target
from kpitrack.domain.model import Entry
from kpitrack.files.state import IMPORT_JOURNAL, STATE_FOLDER, confined, read_state, state_folder, unreadable
from kpitrack.writing.write import Appended, append_raw, cut_back, prepare_append, sync_folder

JOURNAL = IMPORT_JOURNAL


class Batch(NamedTuple):
    """Entries for one target file."""

    path: Path
    entries: list[Entry]


def append_all(root: Path, batches: list[Batch], label: str, waiting: Waiting | None = None) -> list[Appended]:
    """Append every batch, each to its file, all or none; entries already recorded (as read under
    the lock) are skipped. Returns where each file grew (for `undo`), with how many entries."""
    recover(root, waiting)
    with ExitStack() as stack:
        locks = {batch.path: stack.enter_context(locked_target(batch.path, root, waiting))
                 for batch in sorted(batches, key=lambda batch: str(batch.path))}
        plans = []
        for batch in batches:
            locked = locks[batch.path]
            target, payload, kept = prepare_append(locked, root, batch.entries, skip_recorded=True)
            if kept:
                plans.append((locked, payload, kept, target))
        if not plans:
            return []
        journal = _write_journal(root, label, [(locked, payload) for locked, payload, _, _ in plans])
        done: list[Locked] = []
        try:
            for locked, payload, kept, _ in plans:
                append_raw(locked, payload, kept)
                done.append(locked)
        except BaseException as failure:
            left = [Sentence(N_("{file}: {problem}"), file=locked.path, problem=problem)
                    for locked in done if (problem := cut_back(locked, locked.size))]
            if not left:
                _remove(journal)
            if left and isinstance(failure, KpitrackError):
                raise KpitrackError(N_("{failure}; and could not undo: {left}"), failure=failure,
                                    left=Listed(left, N_("; "))) from None
            raise
        _remove(journal)
        return [Appended(locked.path, locked.size, locked.size + len(payload), target, len(kept))
                for locked, payload, kept, target in plans]


def _write_journal(root: Path, label: str, appends: list[tuple[Locked, bytes]]) -> Path:
    journal = state_folder(root) / JOURNAL
    text = json.dumps({
        "import": label,
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "files": [{"path": os.path.relpath(locked.path, root), "size": locked.size,
                   "append": payload.decode("utf-8")} for locked, payload in appends],
    }, ensure_ascii=False, indent=1)
    temporary = journal.with_name(f".{JOURNAL}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        try:
            data = text.encode("utf-8")
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, journal)
        sync_folder(journal.parent)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise KpitrackError(N_("cannot write the import journal: {reason}; nothing was imported"), journal,
                            reason=os_reason(error)) from None
    return journal


def _remove(journal: Path) -> None:
    journal.unlink(missing_ok=True)
    try:
        sync_folder(journal.parent)
    except OSError:
        pass


def recover(root: Path, waiting: Waiting | None = None) -> Sentence | None:
    """Complete or roll back an import that was interrupted; what was done, or None if nothing was
    pending. Every command runs this before reading the workspace."""
    journal = root / STATE_FOLDER / JOURNAL
    data = read_state(journal)  # untrusted: ours, a regular file, nobody else can write it
    if data is None:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
        files = [(confined(item["path"], root), _size(item["size"]), item["append"].encode("utf-8"))
                 for item in record["files"]]
        if not files or not all(isinstance(record.get(key), str) for key in ("import", "started")):
            raise Worded(N_("not an import journal"))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise KpitrackError(N_("an interrupted import left a journal that cannot be read ({error}); "
                               "check the imported targets by hand, then delete it"), journal,
                            error=unreadable(error)) from None
    with ExitStack() as stack:
        states = []
        for path, size, payload in sorted(files, key=lambda item: str(item[0])):
            try:
                locked = stack.enter_context(locked_target(path, root, waiting))
            except KpitrackError:
                states.append((None, path, size, payload, "gone"))
                continue
            states.append((locked, path, size, payload, _state(locked, size, payload)))
        complete = all(state in ("before", "torn", "after") for *_, state in states)
        for locked, path, size, payload, state in states:
            if complete and state in ("before", "torn"):
                cut_back(locked, size)
                locked.size = size
                append_raw(locked, payload)
            elif not complete and state in ("torn", "after"):
                if locked.size != size + len(payload) and state == "after":
                    raise KpitrackError(N_("the import of {file} started {started} was interrupted, and the file has grown "
                                           "since; check its last entries by hand, then delete the journal"), journal,
                                        file=record.get("import"), started=record.get("started"))
                cut_back(locked, size)
        _remove(journal)
    count = sum(1 for *_, state in states if state != "after") if complete else len(states)
    if complete:
        return Sentence(N_("the import of {file} started {started} was interrupted; completed it ({count} of "
                           "{files} files needed their entries)"), file=record.get("import"),
                        started=record.get("started"), count=count, files=len(states))
    changed = ", ".join(str(path) for _, path, _, _, state in states if state in ("changed", "gone"))
    return Sentence(N_("the import of {file} started {started} was interrupted and {changed} changed since; "
                       "rolled it back, nothing of it is kept"), file=record.get("import"),
                    started=record.get("started"), changed=changed)


def _size(value) -> int:
    if type(value) is not int or value < 0:
        raise Worded(N_("a size that is not a length"))
    return value


def _state(locked: Locked, size: int, payload: bytes) -> str:
    """Where a journalled file stands: before the append, torn in it, after it, or changed."""
    if locked.size < size:
        return "changed"
    data = locked.read()
    if data[size:] == payload or (locked.size > size + len(payload) and data[size:size + len(payload)] == payload):
        return "after"
    if locked.size == size:
        return "before"
    if locked.size < size + len(payload) and payload.startswith(data[size:]):
        return "torn"
    return "changed"
