"""The parse cache: targets parsed before, kept by the bytes they were parsed from. Only ever a cache.

Plain JSON (never pickle: reading it cannot run code), one file per target file, in the
workspace's `.kpitrack/cache/` (see workspace.cache_folder). Each entry is keyed by the SHA-256
of the target file's bytes and a hash of the code that builds targets, so any change to either
makes a new key; anything odd about an entry (corrupt, foreign, another shape) just means parsing.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.model import Checkpoint, Direction, Entry, Kind, Qualifier, ReadingQualifier, Target

CACHE_FORMAT = "json-1"
_ENUMS = {"Kind": Kind, "Direction": Direction, "Qualifier": Qualifier, "ReadingQualifier": ReadingQualifier}
_code_hash: str | None = None


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


def cached(cache: Path, place: tuple[str, ...], data: bytes, parse: Callable[[], Target]) -> Target:
    """`parse()`, or what it gave before for exactly these bytes at this place (see the module)."""
    import hashlib
    import json

    entry = cache / f"{hashlib.sha256(chr(0).join(place).encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.json"
    key = hashlib.sha256(code_hash().encode() + b"\0" + data).hexdigest()
    try:
        with open(entry, encoding="utf-8") as handle:
            stored = json.load(handle)
        if isinstance(stored, dict) and stored.get("key") == key:
            target = _decode(stored["target"])
            if isinstance(target, Target):
                return target
    except Exception:  # absent, unreadable, corrupt or foreign: parse instead
        pass
    target = parse()
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"key": key, "target": _encode(target)}, ensure_ascii=False),
                             encoding="utf-8")
        os.replace(temporary, entry)  # each file keeps only its latest entry
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written is no cache, not an error
    return target


def _encode(value: Any) -> Any:
    """Every value of a Target, tagged by type so that it comes back exactly (a Decimal as its digits)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, Entry):
        return {"entry": [_encode(item) for item in value]}
    if isinstance(value, (Checkpoint, Target)):
        return {type(value).__name__: {field.name: _encode(getattr(value, field.name))
                                       for field in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise ValueError("untagged list")
        return value
    (tag, inner), = value.items() if len(value) == 1 else (("enum", value),)
    if tag == "decimal":
        return Decimal(inner)
    if tag == "date":
        return date.fromisoformat(inner)
    if tag == "enum":
        return _ENUMS[inner["enum"]](inner["value"])
    if tag == "path":
        return Path(inner)
    if tag == "entry":
        return Entry(*(_decode(item) for item in inner))
    if tag == "tuple":
        return tuple(_decode(item) for item in inner)
    kind = {"Checkpoint": Checkpoint, "Target": Target}[tag]
    names = {field.name for field in dataclasses.fields(kind)}
    if set(inner) != names:
        raise ValueError("another shape")
    return kind(**{name: _decode(item) for name, item in inner.items()})
