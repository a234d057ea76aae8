"""Writing an output a command was asked to write (`report --out`) without destroying anything."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kpitrack.domain.errors import KpitrackError, Sentence
from kpitrack.words.i18n import N_, os_reason
from kpitrack.files.state import STATE_FOLDER
from kpitrack.writing.write import write_whole


def write_output(path: Path, data: str | bytes, root: Path) -> None:
    """Write an output (`report --out`) that destroys nothing: only a new file or a regular file
    that is not one of the workspace's own (its .toml files, anything under .kpitrack/), never
    through a link, never over a device or a FIFO; atomically, by a temporary file beside it."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise KpitrackError(N_("cannot write: {reason}; nothing was written"), path, reason=os_reason(error)) from None
    if status is not None and not stat.S_ISREG(status.st_mode):
        kind = Sentence(N_("a symbolic link") if stat.S_ISLNK(status.st_mode) else N_("a folder")
                        if stat.S_ISDIR(status.st_mode) else N_("a FIFO") if stat.S_ISFIFO(status.st_mode)
                        else N_("a device or special file"))
        raise KpitrackError(N_("is {kind}, not a regular file; --out writes only a new or regular file, "
                               "nothing was written"), path, kind=kind)
    try:
        where = Path(os.path.realpath(path.parent)) / path.name
        workspace = Path(os.path.realpath(root))
    except (OSError, ValueError) as error:
        raise KpitrackError(N_("cannot write: {reason}; nothing was written"), path, reason=error) from None
    if where.is_relative_to(workspace) and (where.suffix.lower() == ".toml" or STATE_FOLDER in
                                            where.relative_to(workspace).parts[:-1]):
        raise KpitrackError(N_("is a file of the workspace (a target, plan or settings file, or its state); "
                               "--out will not replace it, nothing was written"), path)
    # A folder name in another encoding (GBK bytes from a zip) reaches a report as \udcb9 escapes.
    write_whole(path, data, os.replace, errors="backslashreplace")
