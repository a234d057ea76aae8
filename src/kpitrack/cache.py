"""The parse cache: targets parsed before, kept by the bytes they were parsed from. Only ever a cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from kpitrack.model import Target


CACHE_FORMAT = "3"  # 3: qualifiers, estimates, stretch targets; schedule, title_en and baseline_given


def cache_folder(environment: dict[str, str] | None = None) -> Path | None:
    """Where parsed targets are kept between runs: $KPITRACK_CACHE_DIR (empty or "off": none),
    else $XDG_CACHE_HOME/kpitrack, else ~/.cache/kpitrack; None without a home (as under cron)."""
    environment = os.environ if environment is None else environment
    explicit = environment.get("KPITRACK_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit not in ("", "off") else None
    base = environment.get("XDG_CACHE_HOME") or (
        str(Path(environment["HOME"]) / ".cache") if environment.get("HOME") else None)
    return Path(base) / "kpitrack" if base else None


def cached(cache: Path, place: tuple[str, ...], data: bytes, parse: Callable[[], Target]) -> Target:
    """`parse()`, or what it gave before for exactly these bytes at this place.

    Entries are keyed by a SHA-256 of the bytes and kpitrack's version, in a folder per place, so
    any change to a file makes a new key: the cache is derived from the files only, never the
    source of truth, and safe to delete; each place keeps only its latest entry. Pickles can run
    code, so the cache is used only in a folder of the user's own that nobody else can write to.
    Any trouble with it (unwritable, corrupt, foreign) just means parsing.
    """
    import hashlib
    import pickle

    from kpitrack import __version__

    folder = cache / CACHE_FORMAT / hashlib.sha256("\0".join(place).encode()).hexdigest()[:32]
    digest = hashlib.sha256(__version__.encode() + b"\0" + data).hexdigest()
    entry = folder / f"{digest}.pickle"
    if _private(cache):
        try:
            target = pickle.loads(entry.read_bytes())
            if isinstance(target, Target):
                return target
        except Exception:  # absent, unreadable or corrupt: parse instead
            pass
    target = parse()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _private(cache):
            for old in folder.glob("*.pickle"):  # the entries of this file's earlier versions
                old.unlink(missing_ok=True)
            temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(target, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, entry)
    except OSError:
        pass  # a cache that cannot be written is no cache, not an error
    return target


def _private(folder: Path) -> bool:
    """Whether `folder` is the user's own and no one else may write to it."""
    try:
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022
