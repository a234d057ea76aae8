"""The parse cache and index: targets parsed before, kept by the bytes they were parsed from. Only
ever a cache.

One SQLite file per workspace, `targets.sqlite3` in its `.kpitrack/cache/` (see
workspace.cache_folder), with a row per target file (its definition as tagged JSON, its entries
as compact rows of plain strings and numbers) and a row per day with entries (the target's state
at the end of that day, see kpitrack.timeline), indexed by file and day: a status looks up one
state per target and never reads the entries, which are read only when a command asks for them.
Never pickle: reading it cannot run code. Each file's rows are keyed by the SHA-256 of the target
file's bytes and a hash of the code that builds targets, so any change to either is seen and only
that file is parsed again. A folder owned by another user, or writable by group or others, is not
used; a damaged database is deleted and rebuilt, with a one-line notice on stderr (see `quiet`).
"""

from __future__ import annotations

import dataclasses
import enum
import os
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.errors import KpitrackError
from kpitrack.model import Checkpoint, Direction, Entry, Kind, Qualifier, ReadingQualifier, Target
from kpitrack.timeline import DayState, Timeline, fold_key, timeline

CACHE_FORMAT = "sqlite-2"
SCHEMA_VERSION = 2  # PRAGMA user_version of the tables below; another one is dropped and made anew
TABLES = ("CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY AUTOINCREMENT, place TEXT UNIQUE NOT NULL, "
          "key TEXT NOT NULL, target TEXT NOT NULL, count INTEGER NOT NULL, first_day TEXT, entries TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS days (file INTEGER NOT NULL, day TEXT NOT NULL, figure TEXT NOT NULL, "
          "wording TEXT, estimate INTEGER NOT NULL, change TEXT, met_since TEXT, PRIMARY KEY (file, day)) "
          "WITHOUT ROWID")
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
                _prepare(connection)
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


def _prepare(connection) -> None:
    """The tables, made anew when the database holds another version of them."""
    connection.execute("PRAGMA synchronous=OFF")
    if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("DROP TABLE IF EXISTS files")
        connection.execute("DROP TABLE IF EXISTS days")
        for table in TABLES:
            connection.execute(table)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    connection.execute("SELECT count(*) FROM files").fetchone()
    connection.execute("SELECT count(*) FROM days WHERE file = 0").fetchone()


def _remove(path: Path) -> bool:
    try:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return True
    except OSError:
        return False


def _damaged(cache: Path, connection):
    """Forget a connection whose reads failed, delete its database and open a new one."""
    _connections.pop(cache, None)
    connection.close()
    if _remove(cache / DATABASE):
        _notice(f"the cache {cache / DATABASE} was damaged; rebuilding it")
    return _open(cache)


def cached(cache: Path, place: tuple[str, ...], data: bytes, parse: Callable[[bytes], Target],
           read: Callable[[], bytes], batch: bool = False) -> Target:
    """`parse(data)`, or what it gave before for exactly these bytes at this place (see the module):
    then its entries are read only when asked for, and its figures come from the index. `read`
    reads the file again, for the rare case that another process replaces the rows meanwhile. With
    `batch`, new rows wait for `commit`, so that a whole workspace is written in one transaction."""
    import json
    import sqlite3

    connection = _open(cache)
    if connection is None:
        return parse(data)
    name = "\0".join(place).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    key = content_key(data)
    try:
        row = (_workspace_rows(connection, place[0]).get(name) if batch else connection.execute(
            "SELECT id, key, target, count, first_day FROM files WHERE place = ?", (name,)).fetchone())
    except sqlite3.DatabaseError:
        row = None
        connection = _damaged(cache, connection)
    if row is not None and row[1] == key:
        try:
            fields = _target_fields(json.loads(row[2]))
            first_day = None if row[4] is None else date.fromisoformat(row[4])
            fields["entries"] = entries = StoredEntries(connection, row[0], row[3], first_day,
                                                        lambda: _parse_again(key, parse, read))
            target = Target(**fields)
            entries.timeline.key = fold_key(target)  # what the states were made for
            return target
        except Exception:  # a row of another shape: parse instead
            pass
    target = parse(data)
    if connection is not None:
        _store(connection, name, key, target)
        if not batch:
            commit(cache)
    return target


_rows: dict[tuple, dict[str, tuple]] = {}  # (connection, workspace) -> its files' rows by place, for one load


def _workspace_rows(connection, workspace: str) -> dict[str, tuple]:
    """The rows of every file of a workspace (places start with its real path), in one query."""
    known = _rows.get((id(connection), workspace))
    if known is None:
        found = connection.execute("SELECT place, id, key, target, count, first_day FROM files "
                                   "WHERE place >= ? AND place < ?", (workspace + "\0", workspace + "\x01"))
        known = _rows[(id(connection), workspace)] = {row[0]: row[1:] for row in found}
    return known


def content_key(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(code_hash().encode() + b"\0" + data).hexdigest()


def _parse_again(key: str, parse: Callable[[bytes], Target], read: Callable[[], bytes]) -> Target:
    """The target parsed again from its file, when another process replaced its rows since they
    were looked up: the file must still hold the bytes they were kept for."""
    data = read()
    target = parse(data)
    if content_key(data) != key:
        raise KpitrackError("changed while kpitrack was reading it; run the command again", target.path)
    return target


def _store(connection, name: str, key: str, target: Target) -> None:
    """Keep the target's definition, entries and timeline in one transaction."""
    import json
    import sqlite3

    try:
        header = json.dumps(_encode(dataclasses.replace(target, entries=())), ensure_ascii=False)
        rows = json.dumps([_encode_entry(entry) for entry in target.entries], ensure_ascii=False)
        states = timeline(target).states
        if connection in _unwritable:
            return
        if not connection.in_transaction:
            try:
                connection.execute("BEGIN IMMEDIATE")  # committed by `commit`
            except sqlite3.Error:  # another process writes it: do without for this run, do not wait again
                _unwritable.add(connection)
                return
            _pending.add(connection)
        connection.execute("SAVEPOINT target")
        try:
            connection.execute("DELETE FROM days WHERE file IN (SELECT id FROM files WHERE place = ?)", (name,))
            connection.execute("DELETE FROM files WHERE place = ?", (name,))
            file = connection.execute("INSERT INTO files (place, key, target, count, first_day, entries) "
                                      "VALUES (?, ?, ?, ?, ?, ?)",
                                      (name, key, header, len(target.entries),
                                       states[0].day.isoformat() if states else None, rows)).lastrowid
            connection.executemany("INSERT INTO days VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   [(file, *_encode_state(state)) for state in states])
            connection.execute("RELEASE target")
        except BaseException:
            connection.execute("ROLLBACK TO target")
            connection.execute("RELEASE target")
            raise
    except (sqlite3.Error, TypeError, ValueError):
        pass  # a cache that cannot be written is no cache, not an error


_pending: set = set()  # connections with rows written and not yet committed
_unwritable: set = set()  # connections another process kept busy: not written by this one


def commit(cache: Path | None = None) -> None:
    """Commit what was written to the cache (of the folder `cache`, or of every folder); the end of
    a workspace's load, after which its rows are looked up afresh."""
    import sqlite3

    _rows.clear()

    for connection in list(_pending):
        if cache is None or _connections.get(cache) is connection:
            _pending.discard(connection)
            try:
                connection.execute("COMMIT")
            except sqlite3.Error:
                pass  # not kept: the next run parses those files again


def _encode_state(state: DayState) -> tuple:
    return (state.day.isoformat(), str(state.figure), None if state.wording is None else state.wording.value,
            int(state.estimate), None if state.change is None else str(state.change),
            None if state.met_since is None else state.met_since.isoformat())


def _decode_state(row: tuple) -> DayState:
    day, figure, wording, estimate, change, met_since = row
    return DayState(date.fromisoformat(day), Decimal(figure), None if wording is None else ReadingQualifier(wording),
                    bool(estimate), None if change is None else Decimal(change),
                    None if met_since is None else date.fromisoformat(met_since))


class StoredEntries(Sequence):
    """A target's entries as the cache keeps them: read from it only when asked for. Its
    `timeline` answers the target's state on a day from the index, without them."""

    def __init__(self, connection, file: int, count: int, first_day: date | None,
                 parsed: Callable[[], Target]) -> None:
        self._connection, self._file, self._count, self.parsed = connection, file, count, parsed
        self._entries: tuple[Entry, ...] | None = None
        self.timeline = StoredTimeline(self, first_day)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.entries()[index]

    def __iter__(self):
        return iter(self.entries())

    def __eq__(self, other) -> bool:
        return isinstance(other, (tuple, StoredEntries)) and self.entries() == tuple(other)

    def __hash__(self) -> int:
        return hash(self.entries())

    def __repr__(self) -> str:
        return repr(self.entries())

    def entries(self) -> tuple[Entry, ...]:
        if self._entries is None:
            import json

            row = self._read("SELECT entries FROM files WHERE id = ?", (self._file,))
            self._entries = _decode_entries(json.loads(row[0][0])) if row else self.parsed().entries
        return self._entries

    def latest(self, count: int) -> list[Entry]:
        """The last `count` entries by date (file order within a day), made from their rows alone."""
        import json

        row = None if self._entries is not None else self._read("SELECT entries FROM files WHERE id = ?",
                                                                (self._file,))
        if not row:
            shown = sorted(self.entries(), key=lambda entry: entry.date)
            return shown[max(len(shown) - count, 0):]
        rows = json.loads(row[0][0])
        order = sorted(range(len(rows)), key=lambda index: rows[index][0])  # ISO dates sort as text
        return list(_decode_entries([rows[index] for index in order[max(len(rows) - count, 0):]]))

    def _read(self, query: str, arguments: tuple) -> list:
        import sqlite3

        try:
            return self._connection.execute(query, arguments).fetchall()
        except sqlite3.Error:
            return []


class StoredTimeline:
    """A target's states by day, looked up in the cache's index (see kpitrack.timeline.Timeline)."""

    def __init__(self, entries: StoredEntries, first_day: date | None) -> None:
        self.key: tuple | None = None  # kpitrack.timeline.fold_key of the target the states were made for
        self._entries, self._first_day = entries, first_day
        self._asked: dict[date, DayState | None] = {}
        self._fallback: Timeline | None = None

    def at(self, day: date) -> DayState | None:
        if self._first_day is None or day < self._first_day:
            return None
        if day not in self._asked:
            rows = self._entries._read("SELECT day, figure, wording, estimate, change, met_since FROM days "
                                       "WHERE file = ? AND day <= ? ORDER BY day DESC LIMIT 1",
                                       (self._entries._file, day.isoformat()))
            self._asked[day] = _decode_state(rows[0]) if rows else self._replaced().at(day)
        return self._asked[day]

    def days_until(self, day: date) -> list[date]:
        if self._first_day is None or day < self._first_day:
            return []
        rows = self._entries._read("SELECT day FROM days WHERE file = ? AND day <= ? ORDER BY day",
                                   (self._entries._file, day.isoformat()))
        return [date.fromisoformat(row[0]) for row in rows] if rows else self._replaced().days_until(day)

    def _replaced(self) -> Timeline:
        """The rows are gone (another process replaced them, or the cache failed): from the file."""
        if self._fallback is None:
            self._fallback = Timeline(timeline(self._entries.parsed()).states)
        return self._fallback


def _encode_entry(entry: Entry) -> list:
    day, value, total, done, note, source, line, qualifier, estimate, repeat = entry
    return [day.isoformat(), value if value is None else str(value), total, done, note, source, line,
            qualifier and qualifier.value, estimate, repeat]


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


_TARGET_FIELDS = frozenset(field.name for field in dataclasses.fields(Target))


def _target_fields(value: Any) -> dict[str, Any]:
    """The fields of a Target as `_encode` wrote it, decoded; ValueError for anything else."""
    inner = value.get("Target") if isinstance(value, dict) and len(value) == 1 else None
    if not isinstance(inner, dict) or inner.keys() != _TARGET_FIELDS:
        raise ValueError("not a target")
    return {name: item if item is None or isinstance(item, (str, bool, int)) else _decode(item)
            for name, item in inner.items()}
