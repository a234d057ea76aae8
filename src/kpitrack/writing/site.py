"""Writing a site (`report --format site --out DIR`) into a folder without destroying anything.

The rule: DIR is a new folder (its parent exists), an empty one, or one kpitrack wrote a site into
before, which its marker file `.kpitrack-site` says, listing the pages it wrote. Any other folder
is refused whole before a byte is written: a site is never spread among someone's files. Each page
is written as `report --out` writes a file (writing/output.py: atomically, never through a link,
never over the workspace's own files). A page of the previous site that this one no longer has (a
target removed, a plan left out) is deleted only when the marker lists it, it is a regular file and
it still says kpitrack made it; anything else in the folder is left as it is."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from kpitrack.domain.errors import KpitrackError, Sentence
from kpitrack.words.i18n import N_, os_reason
from kpitrack.writing.output import write_output

MARKER = ".kpitrack-site"
MARKER_HEADING = "kpitrack site: the pages below were written by `kpitrack report --format site`; do not edit them"
# The names a site's pages may have (formats/site.py makes them): one file beside the index, never a
# path, a hidden file or anything but a page.
PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*\.html")
MADE_BY = b'<meta name="generator" content="kpitrack">'


def _refuse(folder: Path, reason: str, **fields) -> KpitrackError:
    """A refusal of `folder`: `reason` (a catalogue template, marked N_) ends "; nothing was written"."""
    return KpitrackError(reason, folder, **fields)


def previous_pages(folder: Path) -> list[str] | None:
    """The pages an earlier site in `folder` wrote, by its marker; None when `folder` holds no site
    (no marker, or one that is not a regular file or not kpitrack's)."""
    marker = folder / MARKER
    try:
        if not stat.S_ISREG(os.lstat(marker).st_mode):
            return None
        lines = marker.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MARKER_HEADING:
        return None
    return [name for name in lines[1:] if PAGE_NAME.fullmatch(name)]


def site_folder(folder: Path) -> list[str]:
    """Check that a site may be written into `folder` (see the module's rule) and return the pages
    of the site already there (none for a new or empty folder)."""
    try:
        status = os.stat(folder)  # a link to a folder is that folder: the pages are checked one by one
    except FileNotFoundError:
        if not folder.parent.is_dir():
            raise _refuse(folder, N_("its parent folder does not exist; create it first; nothing was written")) from None
        return []
    except OSError as error:
        raise _refuse(folder, N_("cannot write: {reason}; nothing was written"), reason=os_reason(error)) from None
    if not stat.S_ISDIR(status.st_mode):
        raise _refuse(folder, N_("is not a folder; --out for a site names a new or empty folder, or an earlier site; "
                                   "nothing was written"))
    try:
        empty = next(os.scandir(folder), None) is None
    except OSError as error:
        raise _refuse(folder, N_("cannot read it: {reason}; nothing was written"), reason=os_reason(error)) from None
    if empty:
        return []
    pages = previous_pages(folder)
    if pages is None:
        raise _refuse(folder, N_("holds files and no {marker} (the mark of a site kpitrack wrote); --out for a site "
                                 "names a new or empty folder, or an earlier site; nothing was written"), marker=MARKER)
    return pages


def write_site(folder: Path, names: list[str], pages: Iterable[tuple[str, str]], root: Path) -> None:
    """Write the site into `folder`, which site_folder allows: `names` are its pages' file names, every
    one known before the first is written; `pages` gives each (name, text) as it is drawn, written at
    once and let go (the site is never held whole)."""
    unsafe = [name for name in names if not PAGE_NAME.fullmatch(name)]
    if unsafe:  # formats/site.py makes the names: this is a bug, not the user's mistake
        raise _refuse(folder, N_("the page name {name!r} is not a plain file name; nothing was written"), name=unsafe[0])
    before = site_folder(folder)
    for name in [MARKER, *names]:  # a link or a folder planted among the pages stops the site before it starts
        _writable(folder / name)
    if not folder.exists():
        try:
            folder.mkdir()
        except OSError as error:
            raise _refuse(folder, N_("cannot create it: {reason}; nothing was written"), reason=os_reason(error)) from None
    names = sorted(set(names))
    # The marker first, naming the pages of both sites: interrupted, the folder is still a site
    # whose every page is known; last, naming this site's pages only.
    write_output(folder / MARKER, "\n".join([MARKER_HEADING, *sorted(set(before) | set(names))]) + "\n", root)
    named = set(names)
    for name, text in pages:
        if name not in named:  # a page the names did not list would be left out of the marker: a bug
            raise _refuse(folder, N_("the page {name!r} is not among the pages the site named before it was "
                                     "written; it was not written"), name=name)
        write_output(folder / name, text, root)
    for name in sorted(set(before) - named):
        _remove_if_ours(folder / name)
    write_output(folder / MARKER, "\n".join([MARKER_HEADING, *names]) + "\n", root)


def _writable(path: Path) -> None:
    """Refuse a page's place that holds anything but a regular file (write_output's rule, asked of
    every page before the first is written)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise _refuse(path, N_("cannot write: {reason}; nothing was written"), reason=os_reason(error)) from None
    if not stat.S_ISREG(status.st_mode):
        kind = Sentence(N_("a symbolic link") if stat.S_ISLNK(status.st_mode) else N_("a folder")
                        if stat.S_ISDIR(status.st_mode) else N_("a FIFO") if stat.S_ISFIFO(status.st_mode)
                        else N_("a device or special file"))
        raise _refuse(path, N_("is {kind}, not a regular file; a site's pages are written only as new or regular "
                               "files, nothing was written"), kind=kind)


def _remove_if_ours(path: Path) -> None:
    """Delete a page of the previous site, if it is still a regular file that kpitrack made."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
        with open(path, "rb") as handle:
            if MADE_BY not in handle.read(4096):
                return
        path.unlink()
    except OSError:
        pass  # gone already, or not ours to delete: left as it is
