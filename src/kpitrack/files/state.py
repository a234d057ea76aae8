"""The workspace's own state under `.kpitrack/` (cache, journals, remembered results), read as
untrusted: the folder, the checked read of a state file, the paths it may name, and why a state
file is not what kpitrack wrote."""

from __future__ import annotations

import os
from pathlib import Path

from kpitrack.domain.errors import KpitrackError, Sentence, Worded
from kpitrack.words.i18n import N_, os_reason

MAX_FILE_BYTES = 16 * 1024 * 1024  # the most any file kpitrack reads may hold
STATE_FOLDER = ".kpitrack"  # every piece of workspace state that is not the files themselves
IMPORT_JOURNAL = "import-journal.json"  # an import's write-ahead journal (kpitrack.writing.writeahead)


def import_pending(root: Path) -> bool:
    """Whether the workspace's state folder holds something named as an import's journal (or
    cannot be looked into): then kpitrack.writing.writeahead.recover is to read it. An lstat, so
    that a command with nothing to recover imports none of the writing modules."""
    try:
        os.lstat(root / STATE_FOLDER / IMPORT_JOURNAL)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return True


def state_folder(root: Path) -> Path:
    """The workspace's `.kpitrack/` folder (cache, journals, remembered results), made on first use
    with a .gitignore of its own so that git never carries it. Deleting it loses nothing, except an
    import journal left by an import interrupted that very moment (see kpitrack.writing.journal)."""
    folder = root / STATE_FOLDER
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# kpitrack's own state: never committed\n*\n", encoding="utf-8")
    except OSError as error:
        raise KpitrackError(N_("cannot make kpitrack's state folder: {reason}"), folder, reason=os_reason(error)) from None
    return folder


def read_state(path: Path) -> bytes | None:
    """The bytes of a file kpitrack keeps under `.kpitrack/`, read as untrusted: None when there is
    none; refused (KpitrackError naming it) unless it is a regular file, not a link, owned by this
    user, writable by nobody else and within the size limit, as the cache's folder is checked."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = (Sentence(N_("it is a link")) if os.path.islink(path) else os_reason(error))
        raise KpitrackError(N_("kpitrack's own file cannot be read ({reason}); delete it"), path, reason=reason) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or os.path.islink(path):
            problem = Sentence(N_("it is not a regular file"))
        elif hasattr(os, "getuid") and status.st_uid != os.getuid():
            problem = Sentence(N_("it belongs to another user"))
        elif status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            problem = Sentence(N_("others can write it"))
        elif status.st_size > MAX_FILE_BYTES:
            problem = Sentence(N_("it is too large"))
        else:
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        problem = os_reason(error)
    finally:
        os.close(fd)
    raise KpitrackError(N_("kpitrack's own file is not to be trusted ({problem}); delete it"), path, problem=problem)


def unreadable(error: Exception) -> Sentence | Worded | str:
    """Why a state file read by read_state is not what kpitrack wrote, as a sentence of the catalogue:
    Python's own messages (a JSON parser's, a KeyError's) are not for people."""
    import json

    if isinstance(error, Worded):
        return error
    if isinstance(error, json.JSONDecodeError):
        return Sentence(N_("not JSON (line {line}, column {column})"), line=error.lineno, column=error.colno)
    if isinstance(error, UnicodeDecodeError):
        return Sentence(N_("not UTF-8 text"))
    if isinstance(error, RecursionError):
        return Sentence(N_("nested too deeply"))
    return Sentence(N_("not of the shape kpitrack writes"))


def confined(relative: object, root: Path) -> Path:
    """The workspace file a kpitrack state file names by its relative path; ValueError unless it is
    a relative path, without `..`, whose real path is inside the workspace."""
    from pathlib import PurePosixPath, PureWindowsPath

    if not isinstance(relative, str) or not relative or "\0" in relative:
        raise Worded(N_("a path that is not text"))
    for pure in (PurePosixPath(relative), PureWindowsPath(relative)):
        if pure.is_absolute() or pure.drive or pure.anchor or ".." in pure.parts:
            raise Worded(N_("the path {path!r} leads out of the workspace"), path=relative)
    path = root / relative
    if not path.resolve().is_relative_to(root.resolve()):
        raise Worded(N_("the path {path!r} leads out of the workspace"), path=relative)
    return path
