"""Exclusive locks on target files, on every platform (flock on POSIX; msvcrt.locking on
Windows), always on the file the path names *now*.

The API others build on (appends, the import journal, corrections that rewrite a file):

    with locked_target(path, root, waiting) as locked:
        data = locked.read()          # the whole file, read under the lock
        ...                           # append with write.append_raw(locked, ...), or write a
                                      # new file beside it and os.replace it over `path`
                                      # while still inside the block

On entry the lock is taken, then the path is checked to still name the inode that was opened:
an editor that saved meanwhile (writing a temporary file and renaming it over the original)
leaves the old inode locked but orphaned, so it is closed and the new file locked instead.
A writer that replaces the file must do so while holding the lock; waiters then find the inode
changed and start again on the new file. The lock is released when the block ends.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, os_reason
from kpitrack.files.workspace import inside
from kpitrack.files.state import MAX_FILE_BYTES, STATE_FOLDER, state_folder

ANNOUNCE_AFTER = 1.0  # seconds of waiting before saying who holds the lock


# The records here and in write and writeahead are named tuples and a plain class rather than
# dataclasses: `add` builds each class on every start, and a dataclass costs it about 1 ms.
class Waiting(NamedTuple):
    """How to wait for a held lock: give up after `seconds` (None: wait for ever, as cron jobs
    should), and `announce` (a line for the person) once it has taken a second."""

    seconds: float | None = None
    announce: Callable[[str], None] | None = None


class Locked:
    """A target file, open for reading and writing, locked, and verified to be the current inode."""

    __slots__ = ("path", "fd", "size")

    def __init__(self, path: Path, fd: int, size: int) -> None:
        self.path = path
        self.fd = fd
        self.size = size  # its length when the lock was taken

    def read(self) -> bytes:
        """The whole file, refused past the size limit before a byte is read."""
        if self.size > MAX_FILE_BYTES:
            raise KpitrackError(N_("file is {size} MiB, over the {limit} MiB limit for one target; split it"), self.path,
                                size=self.size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))
        os.lseek(self.fd, 0, os.SEEK_SET)
        chunks, left = [], self.size
        while left > 0:
            chunk = os.read(self.fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


@contextmanager
def locked_target(path: Path, root: Path, waiting: Waiting | None = None) -> Iterator[Locked]:
    """Lock the target file at `path` (inside the workspace `root`); see the module's docstring."""
    inside(path, root)
    while True:
        fd = open_regular(path)
        try:
            _lock(fd, path, root, waiting or Waiting())
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while we waited: lock the file that is there now
    note = _note_holder(root, path)
    try:
        yield Locked(path, fd, os.fstat(fd).st_size)
    finally:
        if note:
            _forget(note)
        unlock(fd)
        os.close(fd)  # releases the lock


def open_regular(path: Path, write: bool = True) -> int:
    """A raw descriptor on `path`, which must be a regular file (a FIFO would hang a read, a
    device could be endless); opened without blocking so that a FIFO cannot hang the open."""
    flags = (os.O_RDWR if write else os.O_RDONLY) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise KpitrackError(N_("cannot write: {reason}; nothing was written"), path, reason=os_reason(error)) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise KpitrackError(N_("not a regular file (a pipe, device or folder); only regular files are targets"), path)
    if getattr(os, "O_NONBLOCK", 0):  # Windows has no O_NONBLOCK, and set_blocking there is for pipes only
        os.set_blocking(fd, True)
    return fd


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


# POSIX: flock. Windows: msvcrt.locking (what portalocker itself uses without pywin32), on one
# byte far past the end of every target file: Windows locks are mandatory, and a lock on the
# file's bytes would make every reader (status during an add) fail; a byte no file reaches
# excludes writers only.
WINDOWS_LOCKS = os.name == "nt"
LOCK_BYTE = 1 << 30  # past MAX_FILE_BYTES


def try_lock(fd: int) -> bool:
    """Take the exclusive lock on `fd` if it is free; False if another holds it."""
    if WINDOWS_LOCKS:
        import msvcrt  # Windows only, hence imported here

        position = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, LOCK_BYTE, os.SEEK_SET)  # msvcrt.locking locks from the current position
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
        finally:
            os.lseek(fd, position, os.SEEK_SET)
    import fcntl  # POSIX only, hence imported here

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def unlock(fd: int) -> None:
    """Release the lock before closing (Windows asks for it; on POSIX closing releases it)."""
    if WINDOWS_LOCKS:
        import msvcrt

        position = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, LOCK_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass  # closing releases it too
        finally:
            os.lseek(fd, position, os.SEEK_SET)


def _lock(fd: int, path: Path, root: Path, waiting: Waiting) -> None:
    began, pause, announced = time.monotonic(), 0.005, False
    while True:
        if try_lock(fd):
            return
        waited = time.monotonic() - began
        if waiting.seconds is not None and waited >= waiting.seconds:
            raise KpitrackError(N_("locked by {holder}; gave up after {seconds:g} s; nothing was written"), path,
                                holder=holder(root, path), seconds=waiting.seconds)
        if waiting.announce and not announced and waited >= ANNOUNCE_AFTER:
            waiting.announce(f"{path} is locked by {holder(root, path)}; waiting for it")
            announced = True
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _holder_file(root: Path, path: Path) -> Path:
    from kpitrack.files.digest import sha256_hex

    key = sha256_hex(os.path.relpath(path, root).encode("utf-8", "surrogateescape"))[:24]
    return root / STATE_FOLDER / "locks" / f"{key}.json"


def holder(root: Path, path: Path) -> str:
    """Who holds the lock on `path`, as its holder noted it: pid, command and since when."""
    import json

    try:
        note = json.loads(_holder_file(root, path).read_text(encoding="utf-8"))
        return f"pid {int(note['pid'])} ({note['command']}) since {note['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another program (not kpitrack, or one that left no note)"


def _note_holder(root: Path, path: Path) -> Path | None:
    """Leave a note of who holds the lock, for those who wait; no note is no harm."""
    import json
    from datetime import datetime

    note = _holder_file(root, path)
    try:
        state_folder(root)
        note.parent.mkdir(exist_ok=True)
        text = json.dumps({"pid": os.getpid(), "command": " ".join(["kpitrack", *sys.argv[1:]])[:200],
                           "since": datetime.now().astimezone().isoformat(timespec="seconds")})
        temporary = note.with_name(f".{note.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, note)
        return note
    except (OSError, KpitrackError):
        return None


def _forget(note: Path) -> None:
    try:
        note.unlink()
    except OSError:
        pass
