"""The parse cache: targets parsed before, kept by the bytes they were parsed from. Only ever a cache.

One SQLite file per workspace, `targets.sqlite3` in its `.kpitrack/cache/` (see
workspace.cache_folder), with a row per target file: the target's definition as tagged JSON and
its entries as compact rows of plain strings and numbers (never pickle: reading it cannot run
code). Each row is keyed by the SHA-256 of the target file's bytes and a hash of the code that
builds targets, so any change to either is seen and only that file is parsed again. A folder
owned by another user, or writable by group or others, is not used; a damaged database is
deleted and rebuilt, with a one-line notice on stderr (see `quiet`).
"""

from __future__ import annotations

import dataclasses
import enum
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.model import Checkpoint, Direction, Entry, Kind, Qualifier, ReadingQualifier, Target

CACHE_FORMAT = "sqlite-1"
DATABASE = "targets.sqlite3"
_ENUMS = {"Kind": Kind, "Direction": Direction, "Qualifier": Qualifier, "ReadingQualifier": ReadingQualifier}
_code_hash: str | None = None
_connections: dict[Path, Any] = {}  # folder -> open connection, or None where it cannot be used
quiet = False  # set by commands run with --quiet: no notice of a rebuilt cache


def code_hash() -> str:
    """A hash of kpitrack's own modules (those that read and check files): a new version, or any
    edit to them, never meets an entry written by the old code."""
    global _code_hash
    if _code_hash is None:
        import hashlib

        digest = hashlib.sha256(CACHE_FORMAT.encode())
        for module in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
        _code_hash = digest.hexdigest()
    return _code_hash


def safe_folder(folder: Path) -> bool:
    """The folder is ours: owned by this user and writable by nobody else (made so if absent)."""
    import stat

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    return (stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
            and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _notice(message: str) -> None:
    if not quiet:
        print(f"kpitrack: {message}", file=sys.stderr)


def _open(folder: Path):
    """The connection to the folder's cache, made once per process; None where there is none."""
    if folder in _connections:
        return _connections[folder]
    connection = None
    if safe_folder(folder):
        import sqlite3

        path = folder / DATABASE
        for attempt in range(2):
            try:
                connection = sqlite3.connect(path, timeout=2, isolation_level=None, check_same_thread=False)
                connection.execute("PRAGMA synchronous=OFF")
                connection.execute("CREATE TABLE IF NOT EXISTS files (place TEXT PRIMARY KEY, key TEXT NOT NULL, "
                                   "target TEXT NOT NULL, entries TEXT NOT NULL)")
                connection.execute("SELECT count(*) FROM files").fetchone()
                break
            except sqlite3.DatabaseError:  # not a database, or damaged: start again from nothing
                if connection is not None:
                    connection.close()
                connection = None
                if attempt or not _remove(path):
                    break
                _notice(f"the cache {path} was damaged; rebuilding it")
            except OSError:
                connection = None
                break
    _connections[folder] = connection
    return connection


def _remove(path: Path) -> bool:
    try:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return True
    except OSError:
        return False


def cached(cache: Path, place: tuple[str, ...], data: bytes, parse: Callable[[], Target]) -> Target:
    """`parse()`, or what it gave before for exactly these bytes at this place (see the module)."""
    import hashlib
    import json
    import sqlite3

    connection = _open(cache)
    if connection is None:
        return parse()
    name = "\0".join(place).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    key = hashlib.sha256(code_hash().encode() + b"\0" + data).hexdigest()
    try:
        row = connection.execute("SELECT key, target, entries FROM files WHERE place = ?", (name,)).fetchone()
    except sqlite3.DatabaseError:
        row = None
        _connections.pop(cache, None)
        connection.close()
        if _remove(cache / DATABASE):
            _notice(f"the cache {cache / DATABASE} was damaged; rebuilding it")
        connection = _open(cache)
    if row is not None and row[0] == key:
        try:
            target = _decode(json.loads(row[1]))
            if isinstance(target, Target):
                return dataclasses.replace(target, entries=_decode_entries(json.loads(row[2])))
        except Exception:  # a row of another shape: parse instead
            pass
    target = parse()
    if connection is not None:
        try:
            header = json.dumps(_encode(dataclasses.replace(target, entries=())), ensure_ascii=False)
            rows = json.dumps([_encode_entry(entry) for entry in target.entries], ensure_ascii=False)
            connection.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (name, key, header, rows))
        except (sqlite3.Error, TypeError, ValueError):
            pass  # a cache that cannot be written is no cache, not an error
    return target


def _encode_entry(entry: Entry) -> list:
    return [entry.date.isoformat(), None if entry.value is None else str(entry.value), entry.total, entry.done,
            entry.note, entry.source, entry.line, None if entry.qualifier is None else entry.qualifier.value,
            entry.estimate, entry.repeat]


def _decode_entries(rows: list) -> tuple[Entry, ...]:
    fromisoformat, qualifier = date.fromisoformat, ReadingQualifier
    entries = []
    for day, value, total, done, note, source, line, reading, estimate, repeat in rows:
        if not (isinstance(total, bool) and isinstance(estimate, bool) and (done is None or isinstance(done, bool))):
            raise ValueError("another shape")
        entries.append(Entry(fromisoformat(day), None if value is None else Decimal(value), total, done, note,
                             source, line, None if reading is None else qualifier(reading), estimate, repeat))
    return tuple(entries)
def _encode(value: Any) -> Any:
    """Every value of a Target, tagged by type so that it comes back exactly (a Decimal as its digits)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, Entry):
        return {"entry": [_encode(item) for item in value]}
    if isinstance(value, (Checkpoint, Target)):
        return {type(value).__name__: {field.name: _encode(getattr(value, field.name))
                                       for field in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise ValueError("untagged list")
        return value
    (tag, inner), = value.items() if len(value) == 1 else (("enum", value),)
    if tag == "decimal":
        return Decimal(inner)
    if tag == "date":
        return date.fromisoformat(inner)
    if tag == "enum":
        return _ENUMS[inner["enum"]](inner["value"])
    if tag == "path":
        return Path(inner)
    if tag == "entry":
        return Entry(*(_decode(item) for item in inner))
    if tag == "tuple":
        return tuple(_decode(item) for item in inner)
    kind = {"Checkpoint": Checkpoint, "Target": Target}[tag]
    names = {field.name for field in dataclasses.fields(kind)}
    if set(inner) != names:
        raise ValueError("another shape")
    return kind(**{name: _decode(item) for name, item in inner.items()})
