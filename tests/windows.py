"""A test layer that makes the calls kpitrack makes behave as they do on Windows, on Linux or
macOS. `KPITRACK_TEST_WINDOWS=1 pytest` runs every in-process test under it (conftest.py);
tests/test_windows.py runs the write, lock, cache and command tests so, and checks each behaviour.

What Windows does, and how it is played here:
- no os.getuid (nor geteuid): removed;
- a folder cannot be opened (to fsync it): os.open on a folder raises PermissionError;
- a file open anywhere cannot be replaced or removed ("Access is denied", winerror 5): os.open
  and os.close are followed, and os.replace / os.rename / os.unlink onto a file still open raise;
- no O_NONBLOCK, and os.set_blocking works on pipes only: O_NONBLOCK removed, set_blocking on a
  regular file raises OSError;
- locks come from msvcrt.locking: a fake msvcrt (LK_NBLCK, LK_UNLCK; taken with flock on the
  descriptor, so that a second holder is refused as on Windows) and kpitrack's Windows locking on.
Subprocesses started by tests run natively: the layer is in-process.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import types


class WindowsPermissionError(PermissionError):
    winerror = 5  # ERROR_ACCESS_DENIED, as Windows' OSError carries it


def fake_msvcrt(calls: list | None = None) -> types.ModuleType:
    import fcntl

    module = types.ModuleType("msvcrt")
    module.LK_UNLCK, module.LK_LOCK, module.LK_NBLCK, module.LK_RLCK, module.LK_NBRLCK = 0, 1, 2, 3, 4

    def locking(fd: int, mode: int, nbytes: int) -> None:
        if calls is not None:
            calls.append((mode, os.lseek(fd, 0, os.SEEK_CUR), nbytes))
        if mode == module.LK_UNLCK:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if mode == module.LK_NBLCK else 0))
        except BlockingIOError:
            raise OSError(errno.EDEADLK, "Resource deadlock avoided") from None  # what msvcrt raises

    module.locking = locking
    return module


def as_on_windows(monkeypatch, calls: list | None = None) -> None:
    """Apply the layer for one test (undone by `monkeypatch`)."""
    import kpitrack.writing.lock

    import getpass

    monkeypatch.setenv("USERNAME", getpass.getuser())  # where getpass looks first on Windows
    for name in ("getuid", "geteuid"):
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.delattr(os, "O_NONBLOCK", raising=False)
    open_files: dict[int, str] = {}
    real_open, real_close, real_replace, real_rename, real_unlink = os.open, os.close, os.replace, os.rename, os.unlink
    real_set_blocking = os.set_blocking

    def windows_open(path, flags, mode=0o777, *, dir_fd=None):
        if dir_fd is None and os.path.isdir(path):
            raise WindowsPermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        fd = real_open(path, flags, mode) if dir_fd is None else real_open(path, flags, mode, dir_fd=dir_fd)
        open_files[fd] = os.path.realpath(path)
        return fd

    def windows_close(fd):
        open_files.pop(fd, None)
        real_close(fd)

    def still_open(fd, path):  # a descriptor closed another way (a file object's close) is forgotten
        try:
            held, there = os.fstat(fd), os.stat(path)
        except OSError:
            return False
        return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)

    def refuse_if_open(path):
        where = os.path.realpath(path)
        if any(opened == where and still_open(fd, where) for fd, opened in list(open_files.items())):
            raise WindowsPermissionError(errno.EACCES, "Access is denied", os.fspath(path))

    def windows_replace(source, destination, **options):
        refuse_if_open(source)
        refuse_if_open(destination)
        real_replace(source, destination, **options)

    def windows_rename(source, destination, **options):
        refuse_if_open(source)
        refuse_if_open(destination)
        real_rename(source, destination, **options)

    def windows_unlink(path, **options):
        refuse_if_open(path)
        real_unlink(path, **options)

    def windows_set_blocking(fd, blocking):
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")  # [WinError 1] Incorrect function
        real_set_blocking(fd, blocking)

    monkeypatch.setattr(os, "open", windows_open)
    monkeypatch.setattr(os, "close", windows_close)
    monkeypatch.setattr(os, "replace", windows_replace)
    monkeypatch.setattr(os, "rename", windows_rename)
    monkeypatch.setattr(os, "unlink", windows_unlink)
    monkeypatch.setattr(os, "remove", windows_unlink)
    monkeypatch.setattr(os, "set_blocking", windows_set_blocking)
    monkeypatch.setitem(sys.modules, "msvcrt", fake_msvcrt(calls))
    monkeypatch.setattr(kpitrack.writing.lock, "WINDOWS_LOCKS", True)
