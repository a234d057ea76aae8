"""The parse cache and index: targets parsed before, kept by the bytes they were parsed from. Only
ever a cache.

One SQLite file per workspace, `targets.sqlite3` in its `.kpitrack/cache/` (see
workspace.cache_folder), with a row per target file (its definition as tagged JSON, its entries
as compact rows of plain strings and numbers) and its timeline (the target's state at the end of
each day with entries, see kpitrack.timeline) in rows of up to 64 days, indexed by file and first
day: a status looks up one state per target and never reads the entries, which are read (and
written, the first time) only when a command asks for them. What a row holds and how it is read
back is kpitrack.stored. Never pickle: reading it cannot run code. Each file's rows are keyed by the SHA-256 of the target
file's bytes and a hash of the code that builds targets, so any change to either is seen and only
that file is parsed again. A folder owned by another user, or writable by group or others, is not
used; a damaged database is deleted and rebuilt, with a one-line notice on stderr (see `quiet`).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable

from kpitrack.errors import KpitrackError
from kpitrack.model import Target
from kpitrack.timeline import fold_key, timeline

CACHE_FORMAT = "sqlite-3"
SCHEMA_VERSION = 3  # PRAGMA user_version of the tables below; another one is dropped and made anew
TABLES = ("CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY AUTOINCREMENT, place TEXT UNIQUE NOT NULL, "
          "key TEXT NOT NULL, target TEXT NOT NULL, count INTEGER NOT NULL, first_day TEXT, entries TEXT)",
          "CREATE TABLE IF NOT EXISTS days (file INTEGER NOT NULL, day TEXT NOT NULL, states TEXT NOT NULL, "
          "PRIMARY KEY (file, day)) WITHOUT ROWID")
DATABASE = "targets.sqlite3"
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
    import sqlite3

    from kpitrack.stored import StoredEntries, definition_fields

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
            fields = definition_fields(row[2])
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
    """The key of a file's rows. hashlib, not kpitrack.digest: OpenSSL's SHA-256 hashes a large
    workspace's bytes about 9 times as fast (80 MB: 0.05 s against 0.47 s), worth its 3 ms import here."""
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
    """Keep the target's definition and timeline in one transaction (its entries, the first time a
    command reads them: see kpitrack.stored)."""
    import sqlite3

    from kpitrack.stored import encode_definition, timeline_chunks, unwritable, write

    try:
        states = timeline(target).states
        if not connection.in_transaction:
            if not write(connection, "BEGIN IMMEDIATE", ()):  # another process writes it: do without, do not wait again
                return
            _pending.add(connection)  # committed by `commit`
        elif connection in unwritable:
            return
        connection.execute("SAVEPOINT target")
        try:
            connection.execute("DELETE FROM days WHERE file IN (SELECT id FROM files WHERE place = ?)", (name,))
            connection.execute("DELETE FROM files WHERE place = ?", (name,))
            file = connection.execute("INSERT INTO files (place, key, target, count, first_day) "
                                      "VALUES (?, ?, ?, ?, ?)",
                                      (name, key, encode_definition(target), len(target.entries),
                                       states[0].day.isoformat() if states else None)).lastrowid
            connection.executemany("INSERT INTO days VALUES (?, ?, ?)",
                                   [(file, *chunk) for chunk in timeline_chunks(states)])
            connection.execute("RELEASE target")
        except BaseException:
            connection.execute("ROLLBACK TO target")
            connection.execute("RELEASE target")
            raise
    except (sqlite3.Error, TypeError, ValueError):
        pass  # a cache that cannot be written is no cache, not an error


_pending: set = set()  # connections with rows written and not yet committed


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
