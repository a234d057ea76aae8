"""The walk of a workspace's folders: every regular file below it, with its stat, in a stable order."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_

MAX_DEPTH = 16  # folders below the workspace
MAX_ENTRIES = 200_000  # files and folders in all



class Found(NamedTuple):
    """A regular file as the walk found it: its stat (links followed), whether its name is a link,
    and its path relative to the workspace (with /)."""

    name: str
    status: os.stat_result
    link: bool
    relative: str


def _walk(root: Path, skipped: list[Path] | None = None):
    """(folder, its regular files as Found) for `root` and every folder below it, in a stable order
    (top-down, names sorted), as os.walk would give them. Hidden folders (.git, .kpitrack) are
    skipped, links to folders are not followed, mount points are not crossed, and folders named like
    target files (t2.toml) are no plan folders; the walk is bounded (MAX_DEPTH, MAX_ENTRIES) so that
    a wrong folder fails fast instead of walking a disk. Anything named *.toml that is not a regular
    file (a FIFO, a device, a folder) goes to `skipped`. One stat a file, kept for the cache."""
    import stat

    device, seen = os.stat(root).st_dev, 0
    pending = [(root, 0, "")]
    while pending:
        here, depth, relative = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed is passed over
        subfolders, files = [], []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (subfolders if is_folder else files).append(entry)
        seen += len(entries)
        if seen > MAX_ENTRIES:
            raise KpitrackError(N_("over {count:,} files and folders below it: is this really a "
                                   "workspace? point kpitrack at the folder of the targets"), root, count=MAX_ENTRIES)
        kept = []
        for entry in sorted(subfolders, key=_name):
            name = entry.name
            if name.startswith("."):
                continue
            if name.endswith(".toml"):
                if skipped is not None:
                    skipped.append(here / name)
                continue
            try:
                if os.stat(here / name).st_dev != device:
                    continue  # another file system mounted here: not part of the workspace
            except OSError:
                continue
            kept.append(entry)
        if kept and depth >= MAX_DEPTH:
            raise KpitrackError(N_("folders nested over {depth} deep: is this really a workspace?"),
                                here / kept[0].name, depth=MAX_DEPTH)
        regular, folder = [], os.fspath(here)
        for entry in sorted(files, key=_name):
            name = entry.name
            try:
                status = os.stat(os.path.join(folder, name))
                is_regular = stat.S_ISREG(status.st_mode)
            except OSError:
                is_regular = False
            if is_regular:
                regular.append(Found(name, status, entry.is_symlink(), f"{relative}{name}"))
            elif skipped is not None and name.endswith(".toml"):
                skipped.append(here / name)
        yield here, regular
        for entry in reversed(kept):  # depth first, in order, as os.walk; links to folders are listed, not walked
            if not entry.is_symlink():
                pending.append((here / entry.name, depth + 1, f"{relative}{entry.name}/"))


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _folders(root: Path, skipped: list[Path] | None = None):
    """(folder, its regular file names) for `root` and every folder below it (see _walk)."""
    for here, files in _walk(root, skipped):
        yield here, [found.name for found in files]
