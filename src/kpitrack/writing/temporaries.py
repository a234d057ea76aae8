"""Temporary files that killed writers left beside the files they were writing, and their removal."""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from pathlib import Path

_TEMPORARY = r"\.(.+)\.([0-9]+)(?:\.[0-9a-f]{8})?\.tmp"  # compiled (and kept by `re`) when a .tmp file is there
STALE_SECONDS = 6 * 3600  # no write of ours takes that long: an older temporary file was left by a killed writer


_swept: set[Path] = set()


def sweep_temporaries(folder: Path) -> None:
    """Delete the temporary files killed writers left in `folder`: only ours (`.NAME.PID[.HEX].tmp`,
    regular files, not links, owned by this user), only old ones, and only when that process is gone.
    Best effort: anything unsure is left alone. Once per folder and process (an import writes many files)."""
    if folder in _swept:
        return
    _swept.add(folder)
    try:
        found = [entry for entry in os.scandir(folder) if entry.name.startswith(".") and entry.name.endswith(".tmp")]
    except OSError:
        return
    now = time.time()
    for entry in found:
        match = re.fullmatch(_TEMPORARY, entry.name)
        try:
            status = entry.stat(follow_symlinks=False)
            if (not match or not stat.S_ISREG(status.st_mode) or now - status.st_mtime < STALE_SECONDS
                    or hasattr(os, "getuid") and status.st_uid != os.getuid() or _running(int(match.group(2)))):
                continue
            os.unlink(entry.path)
        except OSError:
            continue


def _running(pid: int) -> bool:
    """Whether process `pid` runs here (or may: when unsure, it does)."""
    if pid == os.getpid() or sys.platform == "win32":  # there os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True
    return True
