"""The parse cache and index: targets parsed before, kept by the bytes they were parsed from. Only
ever a cache.

One SQLite file per workspace, `targets.sqlite3` in its `.kpitrack/cache/` (see
workspace.cache_folder), with a row per target file (its definition as tagged JSON, its entries
as compact rows of plain strings and numbers) and its timeline (the target's state at the end of
each day with entries, see kpitrack.domain.timeline) in rows of up to stored.CHUNK days, indexed by file
and first day: a status looks up one state per target and never reads the entries, which are read (and
written, the first time) only when a command asks for them. What a row holds and how it is read
back is kpitrack.files.stored (and kpitrack.files.definition). Never pickle: reading it cannot run code. Each file's rows are keyed by the SHA-256 of the target
file's bytes and a hash of the code that builds targets, so any change to either is seen and only
that file is parsed again. A folder owned by another user, or writable by group or others, is not
used; a damaged database is deleted and rebuilt, with a one-line notice on stderr (see `quiet`).

A warm run reads no target file: as git's index does, each row keeps the file's stat (size,
mtime, ctime and inode, with the code's hash) as it was before the bytes it was made from were
read, and a file whose stat is the same is trusted without reading it. Any write changes a file's
ctime to the clock's time of the write (utime and touch too; `cp -p` and editors that keep the
mtime cannot set it back), a rename into place its inode. The one way a write could leave the
stat as it was is to fall within the same tick of the file system's clock as the write before it
(a second, or two on FAT; a few milliseconds for a coarse Linux clock): a file whose mtime or
ctime is less than RACY_NS before the moment it was looked at is "racily clean" (git's word) and
kept with no stat, so the next run reads and hashes it again (and then keeps its stat, once it
has settled). A touched file is read and hashed, not parsed, and its new stat kept. Deleting the
cache loses nothing. (Windows gives no change time, its st_ctime is the creation time: there, as
for git, a tool that rewrites a file in place keeping its size and setting its mtime back is not
seen until the file changes again.)
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Callable

from kpitrack.domain.model import Target
from kpitrack.domain.timeline import fold, timeline

CACHE_FORMAT = "sqlite-7"  # 7: timeline rows of 16 days, not 64; rows for kpitrack.toml and plan.toml
SCHEMA_VERSION = 6  # PRAGMA user_version of the tables below; another one is dropped and made anew
TABLES = ("CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY AUTOINCREMENT, place TEXT UNIQUE NOT NULL, "
          "key TEXT NOT NULL, stat TEXT, target TEXT NOT NULL, count INTEGER NOT NULL, first_day TEXT, "
          "entries TEXT, latest TEXT)",
          "CREATE TABLE IF NOT EXISTS days (file INTEGER NOT NULL, day TEXT NOT NULL, states TEXT NOT NULL, "
          "next TEXT, PRIMARY KEY (file, day)) WITHOUT ROWID")
DATABASE = "targets.sqlite3"
_code_hash: str | None = None
_connections: dict[Path, Any] = {}  # folder -> open connection, or None where it cannot be used
quiet = False  # set by commands run with --quiet: no notice of a rebuilt cache


CODE_PACKAGES = ("domain", "words", "files")


def code_modules(package: Path) -> list[Path]:
    return [module for name in CODE_PACKAGES for module in (package / name).rglob("*.py")]


def code_hash() -> str:
    """A hash of kpitrack's own modules that read, check and compute targets (the packages domain,
    words and files, sub-folders included): a new version, or any edit to them, never meets an
    entry written by the old code. A module is known by its stat, as a target file is (and as
    Python's own bytecode is checked against its source), or by its bytes while racily clean."""
    global _code_hash
    if _code_hash is None:
        from kpitrack.files.digest import sha256

        digest, now = sha256(CACHE_FORMAT.encode()), time.time_ns()
        package = Path(__file__).parents[1]
        for module in sorted(code_modules(package)):
            status = os.stat(module)
            known = stamp(status).encode() if settled(status, now) else module.read_bytes()
            digest.update(module.relative_to(package).as_posix().encode() + b"\0" + known + b"\0")
        _code_hash = digest.hexdigest()
    return _code_hash


RACY_NS = 2_000_000_000  # the coarsest clock of a common file system (FAT's two seconds), with room for a skew


def stamp(status: os.stat_result) -> str:
    """What a file's stat says of its bytes: size, mtime, ctime and inode."""
    return f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"


def settled(status: os.stat_result, looked: int) -> bool:
    """Whether a file's stat, taken after `looked` (time.time_ns()), can vouch for its bytes: its
    last change lies a whole RACY_NS before, so that any later write falls in a later tick of the
    file system's clock and changes the stat. Otherwise it is racily clean: read it next time too."""
    return max(status.st_mtime_ns, status.st_ctime_ns) + RACY_NS <= looked


def safe_folder(folder: Path) -> bool:
    """The folder is ours: owned by this user and writable by nobody else (made so if absent)."""
    import stat

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # Windows: no owner or mode bits to check; the folder is the user's profile's
        return stat.S_ISDIR(status.st_mode)
    return (stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
            and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _notice_damaged(path: Path) -> None:
    """One line on stderr (none with --quiet): the cache was damaged and is made anew."""
    if not quiet:
        from kpitrack.words.display import visible
        from kpitrack.words.i18n import _

        print("kpitrack: " + _("the cache {path} was damaged; rebuilding it").format(path=visible(str(path))),
              file=sys.stderr)


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
            except sqlite3.DatabaseError as error:  # not a database, or damaged: start again from nothing
                if connection is not None:
                    connection.close()
                connection = None
                if busy(error) or attempt or not _remove(path):  # busy: another kpitrack's, and sound
                    break
                _notice_damaged(path)
            except OSError:
                connection = None
                break
    _connections[folder] = connection
    return connection


def busy(error: Exception) -> bool:
    """Whether a database error only says that another process holds the database: no damage."""
    import sqlite3

    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


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
        _notice_damaged(cache / DATABASE)
    return _open(cache)


def cached(cache: Path, place: tuple[str, ...], path: Path | None, status: os.stat_result, looked: int,
           parse: Callable[[bytes], Any], read: Callable[[], bytes], batch: bool = False,
           entries: bool = True, plain: type | None = None) -> Any:
    """`parse(read())`, or what it gave before for exactly these bytes at this place (see the module),
    read from `path` (the target's path as the caller names the file): then its entries are read only when asked for, and its figures come from the index. `status` is
    the file's stat, taken after `looked` (time.time_ns()) and before any read: a row kept with the
    same stat (and code) is trusted without reading the file; any other is checked against the
    SHA-256 of the bytes. `read` reads the file (again, for entries not kept yet). With `batch`, new
    rows wait for `commit`, so that a workspace is written in few transactions. Without `entries` (a
    command that prints figures only), a file parsed anew gives, once its rows are written, the target
    its rows give, as a warm run would: its entries are let go, its figures come from the index. With
    `plain` (Settings or Plan), the file is a settings or plan file, and `parse` gives one of those."""
    import sqlite3

    connection = _open(cache)
    if connection is None:
        return parse(read())
    workspace, name = _text(place[0]), _text("\0".join(place))
    seen = f"{code_hash()}:{stamp(status)}"
    try:
        row = _workspace_rows(connection, workspace, name) if batch else connection.execute(ROW, (name,)).fetchone()
    except sqlite3.DatabaseError as error:
        if busy(error):  # another kpitrack holds it: read this file without the cache
            return parse(read())
        row = None
        connection = _damaged(cache, connection)
    if row is not None and row[2] == seen:
        target = _kept(connection, row, path, parse, read, plain)
        if target is not None:
            return target
    data = read()
    key = content_key(data)
    if row is not None and row[1] == key:
        target = _kept(connection, row, path, parse, read, plain)
        if target is not None:
            if settled(status, looked):  # touched, or settled since: its stat vouches for it from now on
                _restat(connection, row[0], seen)
                if not batch or len(_stored) >= COMMIT_EVERY:
                    commit(cache)
            return target
    target = parse(data)
    if connection is None:  # damaged, and not made anew
        return target
    if plain:
        _store_plain(connection, name, key, seen if settled(status, looked) else None, target)
        if not batch or len(_stored) >= COMMIT_EVERY:
            commit(cache)
        return target
    # a parent given its parts' sums folds its entries again (kpitrack.domain.timeline.fold_key): kept
    kept = entries or target.target_from_parts or target.baseline_from_parts
    stored = _store(connection, name, key, seen if settled(status, looked) else None, target, kept)
    if not batch or len(_stored) >= COMMIT_EVERY:
        commit(cache)
    if stored is None or kept:
        return target
    # A million entries and their states held until the command ends were most of its memory (292 MiB
    # of a cold status on 1,000 x 1,000 against 41): a command that wants only figures lets them go here.
    return _stored_target(connection, target, *stored, parse, read)


def _stored_target(connection, target: Target, file: int, first_day: date | None,
                   parse: Callable[[bytes], Target], read: Callable[[], bytes]) -> Target:
    """`target` with its entries as the cache keeps them (file `file`): read back only when asked for."""
    from kpitrack.files.definition import restored
    from kpitrack.files.stored import StoredEntries

    entries = StoredEntries(connection, file, len(target.entries), first_day, lambda: _parse_again(parse, read),
                            _day_rows.get(connection))
    made = restored({**target.__dict__, "entries": entries})
    entries.timeline.made_for(made)
    return made


def _kept(connection, row: tuple, path: Path | None, parse: Callable[[bytes], Any], read: Callable[[], bytes],
          plain: type | None) -> Any:
    """What a row keeps: a target (see _from_row) or a `plain` value; None for a row of another shape."""
    if plain is None:
        return _from_row(connection, row, path, parse, read)
    from kpitrack.files.definition import plain_value

    try:
        return plain_value(row[3], plain)
    except Exception:  # a row of another shape: parse instead
        return None


def _from_row(connection, row: tuple, path: Path | None, parse: Callable[[bytes], Target],
              read: Callable[[], bytes]) -> Target | None:
    """The target a row keeps, read from `path`, its entries and timeline read from the cache when
    asked for; None for a row of another shape."""
    from kpitrack.files.definition import definition_fields, iso_date, restored
    from kpitrack.files.stored import StoredEntries

    try:
        if type(row[4]) is not int or row[4] < 0:  # the entries' count: a row's, so untrusted
            raise ValueError("not a count")
        fields = definition_fields(row[3], path)
        first_day = None if row[5] is None else iso_date(row[5])
        fields["entries"] = entries = StoredEntries(connection, row[0], row[4], first_day,
                                                    partial(_parse_again, parse, read), _day_rows.get(connection))
        target = restored(fields)
        entries.timeline.made_for(target)
        return target
    except Exception:  # a row of another shape: parse instead
        return None


def _text(place: str) -> str:
    """A place as SQLite can store it: a name's undecodable bytes replaced."""
    return place.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


ROW = "SELECT id, key, stat, target, count, first_day FROM files WHERE place = ?"  # a file's row, as cached reads it
COMMIT_EVERY = 100  # files written in one transaction: few commits, yet no long lock on a large workspace
_loading: dict[tuple, tuple[dict[str, tuple], set[str]]] = {}  # (connection, workspace) -> its rows, places seen
_stored: list = []  # rows written since the last commit
_day_rows: dict = {}  # connection -> the stored.DayRows of the workspace being loaded


def _workspace_rows(connection, workspace: str, name: str) -> tuple | None:
    """The row of `name`: the rows of every file of its workspace (places start with its real path
    and NUL) are read in one query when the first is asked for."""
    known = _loading.get((connection, workspace))
    if known is None:
        from kpitrack.files.stored import DayRows

        _day_rows[connection] = DayRows(connection)  # the timelines of this load look up their days together
        found = connection.execute("SELECT place, id, key, stat, target, count, first_day FROM files "
                                   "WHERE place >= ? AND place < ?", (workspace + "\0", workspace + "\x01"))
        known = _loading[(connection, workspace)] = ({row[0]: row[1:] for row in found}, set())
    known[1].add(name)
    row = known[0].get(name)
    if row is not None and len(row) == 1:  # asked again (a plan.toml: for its targets' period, then itself)
        return connection.execute(ROW, (name,)).fetchone()
    if row is not None:
        known[0][name] = row[:1]  # its id, for forget_the_rest: its texts are let go as the load goes
    return row


def forget_the_rest() -> None:
    """After a whole workspace was read: delete the rows of the files it no longer has (renamed,
    moved, deleted, or read under another plan period)."""
    from kpitrack.files.stored import write

    for (connection, _), (rows, seen) in _loading.items():
        gone = [rows[name][0] for name in rows.keys() - seen]
        for start in range(0, len(gone), 500):
            marks = ", ".join("?" * len(gone[start:start + 500]))
            for table, column in (("days", "file"), ("files", "id")):
                if not write(connection, f"DELETE FROM {table} WHERE {column} IN ({marks})", tuple(gone[start:start + 500])):
                    return

def content_key(data: bytes) -> str:
    """The key of a file's rows. hashlib, not kpitrack.files.digest: OpenSSL's SHA-256 hashes a large
    workspace's bytes about 9 times as fast (80 MB: 0.05 s against 0.47 s), worth its 3 ms import here."""
    import hashlib

    return hashlib.sha256(code_hash().encode() + b"\0" + data).hexdigest()


def _parse_again(parse: Callable[[bytes], Target], read: Callable[[], bytes]) -> Target:
    """The target parsed from its file again, for entries not kept yet or rows another process
    replaced meanwhile. A file changed since it was looked up is read as it is now: a command that
    lists entries lists the file's, never fails half-way because cron added a figure meanwhile."""
    return parse(read())


def _begun(connection) -> bool:
    """A write transaction open on the connection (begun here if none, committed by `commit`);
    False when another process writes the cache or it cannot be written: then do without."""
    from kpitrack.files.stored import unwritable, write

    if not connection.in_transaction:
        if not write(connection, "BEGIN IMMEDIATE", ()):  # another process writes it: do without, do not wait again
            return False
        _pending.add(connection)  # committed by `commit`
        return True
    return connection not in unwritable


def _restat(connection, file: int, seen: str) -> None:
    """Keep the stat that now vouches for a row's bytes."""
    from kpitrack.files.stored import write

    _stored.append(file)
    if _begun(connection):
        write(connection, "UPDATE files SET stat = ? WHERE id = ?", (seen, file))


def _store(connection, name: str, key: str, seen: str | None, target: Target,
           kept: bool = True) -> tuple[int, date | None] | None:
    """Keep the target's definition and timeline in one transaction (its entries, the first time a
    command reads them: see kpitrack.files.stored), with the stat that vouches for its bytes (None
    while racily clean); the id of its row and its first day, or None where it was not written. The
    timeline is made as `timeline` makes it (kept for the target) if the target is `kept`."""
    import sqlite3

    from kpitrack.files.definition import encode_definition
    from kpitrack.files.stored import timeline_chunks

    _stored.append(name)
    try:
        states = timeline(target).states if kept else fold(target)
        if not _begun(connection):
            return None
        connection.execute("SAVEPOINT target")
        try:
            connection.execute("DELETE FROM days WHERE file IN (SELECT id FROM files WHERE place = ?)", (name,))
            connection.execute("DELETE FROM files WHERE place = ?", (name,))
            file = connection.execute("INSERT INTO files (place, key, stat, target, count, first_day) "
                                      "VALUES (?, ?, ?, ?, ?, ?)",
                                      (name, key, seen, encode_definition(target), len(target.entries),
                                       states[0].day.isoformat() if states else None)).lastrowid
            connection.executemany("INSERT INTO days VALUES (?, ?, ?, ?)",
                                   [(file, *chunk) for chunk in timeline_chunks(states)])
            connection.execute("RELEASE target")
            return file, states[0].day if states else None
        except BaseException:
            connection.execute("ROLLBACK TO target")
            connection.execute("RELEASE target")
            raise
    except (sqlite3.Error, TypeError, ValueError):
        pass  # a cache that cannot be written is no cache, not an error
    return None


def _store_plain(connection, name: str, key: str, seen: str | None, value) -> None:
    """Keep a settings or plan file's value, as _store keeps a target's definition."""
    from kpitrack.files.definition import encode_definition
    from kpitrack.files.stored import write

    _stored.append(name)
    if _begun(connection):
        write(connection, "INSERT OR REPLACE INTO files (place, key, stat, target, count) VALUES (?, ?, ?, ?, 0)",
              (name, key, seen, encode_definition(value)))


_pending: set = set()  # connections with rows written and not yet committed


def commit(cache: Path | None = None, loaded: bool = False) -> None:
    """Commit what was written to the cache (of the folder `cache`, or of every folder). With
    `loaded`, a whole workspace has been read: the rows of files it no longer has are deleted, and
    its rows are looked up afresh next time."""
    import sqlite3

    _stored.clear()
    if loaded:
        forget_the_rest()
        _loading.clear()
        _day_rows.clear()
    for connection in list(_pending):
        if cache is None or _connections.get(cache) is connection:
            _pending.discard(connection)
            try:
                connection.execute("COMMIT")
            except sqlite3.Error:  # not kept: the next run parses those files again
                try:
                    connection.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
