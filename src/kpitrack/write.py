"""Writing target files safely: locked appends cut back on any failure, and whole files replaced atomically."""

from __future__ import annotations

import fcntl
import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.errors import KpitrackError
from kpitrack.document import LineIndex, decode, key_lines, parse_toml
from kpitrack.model import Entry, Target
from kpitrack.schema import ID_PATTERN, check_id, check_text, entry_from_table, entry_problem, target_from_document
from kpitrack.workspace import SETTINGS_FILE, inside, target_files


def toml_number(value: Decimal) -> int | Decimal:
    """1200 as a TOML integer, 18.5 as 18.5: tomli-w writes every Decimal as a float (1200.0)."""
    return int(value) if value.as_tuple().exponent >= 0 else value


def render_entry(entry: Entry) -> str:
    """The TOML block of one progress entry, as `kpitrack add` appends it."""
    import tomli_w

    fields: dict[str, Any] = {"date": entry.date}
    if entry.value is not None:
        fields["value"] = toml_number(entry.value)
    if entry.total:
        fields["total"] = True
    if entry.done is not None:
        fields["done"] = entry.done
    for key in ("note", "source"):
        if getattr(entry, key):
            fields[key] = getattr(entry, key)
    return "\n[[progress]]\n" + tomli_w.dumps(fields)


@dataclass(frozen=True)
class Appended:
    """Where an append put its bytes: the file grew from `start` to `end`."""

    path: Path
    start: int
    end: int
    target: Target  # the target as it was before the append


def append_entry(path: Path, root: Path, entry: Entry,
                 check: Callable[[Target], str | None] | None = None) -> Appended:
    """Add one entry at the end of a target file; see append_entries."""
    return append_entries(path, root, [entry], check)


def append_entries(path: Path, root: Path, entries: list[Entry],
                   check: Callable[[Target], str | None] | None = None) -> Appended:
    """Add `entries` at the end of the target file at `path`, in one write, under an exclusive lock.

    The file is validated first (a broken or torn file is refused, never repaired by
    dropping data); only the new blocks are written, so comments and layout survive; the
    appended bytes are read back and checked, and on any failure the file is cut back
    to its old length. `check` may refuse the entries once the target is known (by returning why).
    """
    for entry in entries:
        check_text(entry.note, "note")
        check_text(entry.source, "source")
    block = "".join(render_entry(entry) for entry in entries)
    try:
        handle = open(inside(path, root), "r+b")
    except OSError as error:
        raise KpitrackError(f"cannot write: {error.strerror}; nothing was written", path) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        old = handle.read()
        text = decode(old, path)
        target, lines = _read_for_append(text, path, root)
        if (None, 0, "progress") in lines:
            raise KpitrackError("progress is written inline (progress = [...]); rewrite its entries as "
                                "[[progress]] blocks so that new ones can be appended", path,
                                lines[(None, 0, "progress")])
        problem = next(filter(None, (entry_problem(target, entry) for entry in entries)), None)
        problem = problem or (check(target) if check else None)
        if problem:
            raise KpitrackError(problem, path)
        payload = (b"" if not old or old.endswith(b"\n") else b"\n") + block.encode("utf-8")
        try:
            handle.seek(len(old))
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            handle.seek(len(old))
            if handle.read() != payload or _read_back(payload) != entries:
                raise OSError(0, "what was written does not read back as the entry")
        except OSError as error:
            handle.truncate(len(old))
            handle.flush()
            os.fsync(handle.fileno())
            raise KpitrackError(f"could not add the entry ({error.strerror}); the file is unchanged",
                                path) from None
    return Appended(path, len(old), len(old) + len(payload), target)


_PROGRESS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*progress[ \t]*\]\][ \t]*(?:#.*)?$", re.MULTILINE)


def _read_for_append(text: str, path: Path, root: Path) -> tuple[Target, LineIndex]:
    """The target's definition, checked, and the line index of its top-level keys.

    An append must cost no more on a file of ten thousand entries than on one of ten, so this
    reads the definition (all before the first [[progress]]) and the last entry (where a crash
    would have torn the file), not every entry between; `validate` and `status` read those.
    A file laid out otherwise, or one with a problem, is read whole, for the exact message.
    """
    first = _PROGRESS_HEADER.search(text)
    last = None
    if first:
        last_start = text.rfind("[[", first.start())
        last = _PROGRESS_HEADER.search(text, text.rfind("\n", 0, last_start) + 1)
    if first and last:
        try:
            head, tail = text[:first.start()], text[last.start():]
            lines = key_lines(head)
            target = target_from_document(tomllib.loads(head, parse_float=Decimal), path, root, lines)
            document = tomllib.loads(tail, parse_float=Decimal)
            if list(document) == ["progress"] and len(document["progress"]) == 1:
                entry_from_table(document["progress"][0], 0, target, path, {})
                return target, lines
        except (tomllib.TOMLDecodeError, KpitrackError):
            pass  # read whole below, for the exact message
    lines = key_lines(text)
    return target_from_document(parse_toml(text, path), path, root, lines), lines


def undo_append(appended: Appended) -> None:
    """Cut a file back to where it was before `appended`, unless it has grown since (then another
    writer's entry would go too, so it is left alone and the error says so)."""
    with open(appended.path, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        size = os.fstat(handle.fileno()).st_size
        if size != appended.end:
            raise KpitrackError("changed by another writer meanwhile; its new entries were kept: "
                                "check them by hand", appended.path)
        handle.truncate(appended.start)
        handle.flush()
        os.fsync(handle.fileno())


def _read_back(payload: bytes) -> list[Entry]:
    tables = tomllib.loads(payload.decode("utf-8"), parse_float=Decimal)["progress"]
    return [Entry(date=table["date"], value=Decimal(table["value"]) if "value" in table else None,
                  total=table.get("total", False), done=table.get("done"),
                  note=table.get("note"), source=table.get("source")) for table in tables]


NEW_FILE_ORDER = ("title", "unit", "target", "baseline", "start", "due", "kind", "direction", "owner", "source",
                  "tags", "stretch", "cadence", "parts")


def new_target_document(fields: dict[str, Any]) -> dict[str, Any]:
    """The TOML fields of a new target's file in the documented order; unset ones (None, empty,
    false) are left out."""
    return {key: toml_number(value) if isinstance(value, Decimal) else value
            for key in NEW_FILE_ORDER if (value := fields.get(key)) not in (None, "", [], (), False)}


def create_target(root: Path, target_id: str, group: str, fields: dict[str, Any]) -> Path:
    """Write a new target file from its fields, checked by the very rules that read it; refuses to
    replace any file. Returns its path."""
    import tomli_w

    check_id(target_id)
    for name in ("title", "unit", "owner", "source"):
        check_text(fields.get(name), name)
    for tag in fields.get("tags") or ():
        check_text(tag, "tag")
    for existing in target_files(root):
        if existing.stem == target_id:
            raise KpitrackError(f"id {target_id!r} is already used by {existing}; choose another id")
    folder = root / group if group else root
    if group and any(part in ("", ".", "..") or not ID_PATTERN.fullmatch(part) for part in group.split("/")):
        raise KpitrackError(f"group {group!r}: use folder names of lower-case letters, digits, - and _")
    path = folder / f"{target_id}.toml"
    text = tomli_w.dumps(new_target_document(fields))
    try:  # the same checks as reading, reported without the file that was not written
        target_from_document(parse_toml(text, path), path, root, key_lines(text))
    except KpitrackError as problem:
        raise KpitrackError(problem.message) from None
    inside(folder, root)  # a linked folder must not lead out of the workspace
    _make_folder(folder)
    write_new_file(path, text)
    return path


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KpitrackError(f"cannot make the folder: {error.strerror}", folder) from None


def write_new_file(path: Path, text: str) -> None:
    """Create `path` with `text`, never replacing a file that exists (os.link refuses to)."""
    _write_whole(path, text, os.link)


def _write_whole(path: Path, text: str | bytes, place: Callable[[Path, Path], None]) -> None:
    """Write a temporary file beside `path`, flush it to disk, then `place` it (link or rename) at
    `path`: a crash or a full disk leaves the old file or none, never half of the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        place(temporary, path)
    except FileExistsError:
        raise KpitrackError("already exists; nothing was written", path) from None
    except OSError as error:
        raise KpitrackError(f"cannot write: {error.strerror}; nothing was written", path) from None
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


SETTINGS_TEMPLATE = """\
# kpitrack workspace settings.
# Lag (planned % minus completion %, in points) from which a target counts as "behind";
# below it, but above 0, a target is "at-risk".
at_risk_band = 10
# How often new figures are expected, for targets that set no `cadence` of their own:
# "weekly", "monthly", "quarterly", "yearly" or a number of days. Without it, nothing is stale.
# cadence = "monthly"
# Days a figure may be late past its cadence before the target is flagged stale.
stale_grace_days = 7
"""


EXAMPLE_TEMPLATE = """\
# An example target: edit it, or delete it once you have your own.
# Each target is one file; its id is the file name. Folders group targets by plan.
title = "新增小升规工业企业 (example: new above-scale industrial firms)"
unit = "firms"
target = 1200
baseline = 0                # where the figure stood at start (optional, default 0)
start = {year}-01-01
due = {year}-12-31
kind = "cumulative"         # cumulative | level | milestone
direction = "increase"      # increase | decrease
owner = "Industry bureau"
source = "Where the pledge was made: document, date, link"
tags = ["industry"]

# Optional planned path; without checkpoints the plan is a straight line from start to due.
# [[checkpoint]]
# date = {year}-06-30
# value = 500

# Progress entries: `kpitrack add example 310 --date {year}-03-31` appends one like this.
# [[progress]]
# date = {year}-03-31
# value = 310
# note = "Q1 statistics bulletin"
"""


def init_workspace(folder: Path, year: int) -> list[Path]:
    """Make a workspace with settings and an example target; never overwrites a file."""
    if (folder / SETTINGS_FILE).exists():
        raise KpitrackError(f"{folder} is already a kpitrack workspace ({SETTINGS_FILE} exists)")
    _make_folder(folder)
    written = []
    for name, text in ((SETTINGS_FILE, SETTINGS_TEMPLATE), ("example.toml", EXAMPLE_TEMPLATE.format(year=year))):
        if not (folder / name).exists():
            write_new_file(folder / name, text)
            written.append(folder / name)
    return written


def write_file(path: Path, text: str | bytes) -> None:
    """Write a whole file (a report; bytes for a workbook or a document), replacing it atomically:
    readers see the old or the new one."""
    _write_whole(path, text, os.replace)
