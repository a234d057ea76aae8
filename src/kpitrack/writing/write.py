"""Writing target files safely: locked appends cut back on any failure, and whole files replaced atomically."""

from __future__ import annotations

import errno
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, NamedTuple

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, os_reason
from kpitrack.files.document import LineIndex, check_resolved, decode, key_lines, parse_toml, toml_document
from kpitrack.writing.lock import Locked, Waiting, locked_target  # noqa: F401  (locked_target: part of this API)
from kpitrack.domain.model import Entry, Target, identity
from kpitrack.files.blocks import HEADER, first_entry, span_around, table_entry
from kpitrack.files.schema import ID_PATTERN, check_id, check_text, name_problem, entry_from_table, entry_problem, target_from_document
from kpitrack.files.workspace import inside, plan_period, target_files
from kpitrack.files.state import MAX_FILE_BYTES

from kpitrack.writing.temporaries import sweep_temporaries


def toml_number(value: Decimal) -> int | Decimal:
    """1200 as a TOML integer, 18.5 as 18.5: tomli-w writes every Decimal as a float (1200.0)."""
    return int(value) if value.as_tuple().exponent >= 0 else value


def entry_block(entry: Entry) -> str:
    """The TOML block of one progress entry, as `kpitrack add` appends it.

    `date` is written LAST: a block cut short at any byte (a power cut, a kill) then has no
    date, or a prefix of one (`2025-06-3`, `2025`), which is refused; so no torn block ever
    reads as a different figure (`value = 26` from `2600`, an increment without its
    `total = true`). Hand-written blocks may keep their keys in any order.
    """
    lines = ["", HEADER]
    if entry.value is not None:
        lines.append(f"value = {plain(entry.value)}")
    if entry.total:
        lines.append("total = true")
    if entry.done is not None:
        lines.append(f"done = {'true' if entry.done else 'false'}")
    for key in ("node", "note", "source"):
        if getattr(entry, key):
            import tomli_w  # only a note or a source needs TOML's string escapes

            lines.append(tomli_w.dumps({key: getattr(entry, key)}).rstrip("\n"))
    if entry.qualifier is not None:
        lines.append(f'qualifier = "{entry.qualifier.value}"')
    if entry.estimate:
        lines.append("estimate = true")
    if entry.repeat:
        lines.append(f"repeat = {int(entry.repeat)}")
    lines.append(f"date = {entry.date.isoformat()}")
    return "\n".join(lines) + "\n"


# The keys `add` writes in a block, in this order; `date` always last (see entry_block): what the repair
# of a torn append knows as a block cut short.
APPENDED_KEYS = ("value", "total", "done", "node", "note", "source", "qualifier", "estimate", "repeat")


def plain(value: Decimal) -> str:
    """A figure in plain notation, as typed: 1200, 18.50, 0.0000001 (never 1E-7 or 1.2E+3)."""
    text = format(value, "f")
    return "0" if text in ("-0", "+0") else text


class Appended(NamedTuple):
    """Where an append put its bytes: the file grew from `start` to `end`."""

    path: Path
    start: int
    end: int
    target: Target  # the target as it was before the append
    added: int = 0  # entries written (fewer than asked when some were already recorded)


def append_entry(path: Path, root: Path, entry: Entry,
                 check: Callable[[Target], str | None] | None = None, waiting: Waiting | None = None) -> Appended:
    """Add one entry at the end of a target file; see append_entries."""
    return append_entries(path, root, [entry], check, waiting=waiting)


def append_entries(path: Path, root: Path, entries: list[Entry],
                   check: Callable[[Target], str | None] | None = None, skip_recorded: bool = False,
                   waiting: Waiting | None = None) -> Appended:
    """Add `entries` at the end of the target file at `path`, in one write, under an exclusive lock
    on the inode the path names once the lock is held (see kpitrack.writing.lock).

    The file is validated first (a broken or torn file is refused, never repaired by
    dropping data); only the new blocks are written, so comments and layout survive; the
    appended bytes are read back and checked, and on any failure the file is cut back
    to its old length. `check` may refuse the entries once the target is known (by returning why);
    with `skip_recorded`, entries already in the file (read under the lock) are left out.
    """
    with locked_target(path, root, waiting) as locked:
        target, payload, kept = prepare_append(locked, root, entries, check, skip_recorded)
        append_raw(locked, payload, kept)
    return Appended(path, locked.size, locked.size + len(payload), target, len(kept))


def append_built(path: Path, root: Path, build: Callable[[Target, str], list[Entry]],
                 waiting: Waiting | None = None) -> Appended:
    """Add the entries `build(target, text)` makes, as append_entries does; `build` sees the file
    as it is under the lock and may refuse (raising KpitrackError)."""
    with locked_target(path, root, waiting) as locked:
        target, payload, kept = prepare_append(locked, root, build)
        append_raw(locked, payload, kept)
    return Appended(path, locked.size, locked.size + len(payload), target, len(kept))


def undo_append(appended: Appended, waiting: Waiting | None = None) -> None:
    """Cut a file back to where it was before `appended`, unless it has grown since (then another
    writer's entry would go too, so it is left alone and the error says so)."""
    with locked_target(appended.path, appended.path.parent, waiting) as locked:
        if locked.size != appended.end:
            raise KpitrackError(N_("changed by another writer meanwhile; its new entries were kept: "
                                   "check them by hand"), appended.path)
        problem = cut_back(locked, appended.start)
        if problem:
            raise KpitrackError(N_("cannot cut it back: {problem}"), appended.path, problem=problem)


def prepare_append(locked: Locked, root: Path, entries: list[Entry] | Callable[[Target, str], list[Entry]],
                   check: Callable[[Target], str | None] | None = None,
                   skip_recorded: bool = False) -> tuple[Target, bytes, list[Entry]]:
    """Under the lock: the target as the file holds it, the bytes to append and the entries they hold.
    `entries` may be a function of the target and the file's text as they are under the lock (so
    that `add` decides its door checks on what the file holds then), raising KpitrackError to refuse."""
    old = locked.read()
    text = decode(old, locked.path)
    check_resolved(text, locked.path)
    if skip_recorded:
        lines = key_lines(text)
        target = target_from_document(parse_toml(text, locked.path), locked.path, root, lines,
                                      plan_period(locked.path.parent, root))
        recorded = {identity(entry) for entry in target.entries}
        kept = []
        for entry in entries:
            if identity(entry) not in recorded:
                recorded.add(identity(entry))
                kept.append(entry)
        entries = kept
    else:
        target, lines = _read_for_append(text, locked.path, root)
    if callable(entries):
        entries = entries(target, text)
    for entry in entries:
        check_text(entry.note, "note")
        check_text(entry.source, "source")
    if (None, 0, "progress") in lines:
        raise KpitrackError(N_("progress is written inline (progress = [...]); rewrite its entries as "
                               "[[progress]] blocks so that new ones can be appended"), locked.path,
                            lines[(None, 0, "progress")])
    problem = next(filter(None, (entry_problem(target, entry) for entry in entries)), None)
    problem = problem or (check(target) if check else None)
    if problem:
        raise KpitrackError(problem, locked.path)
    block = "".join(entry_block(entry) for entry in entries)
    payload = (b"" if not old or old.endswith(b"\n") or not block else b"\n") + block.encode("utf-8")
    if len(old) + len(payload) > MAX_FILE_BYTES:  # what `add` and every reader refuse: no write makes such a file
        raise KpitrackError(N_("these entries would grow it past the {limit} MiB limit "
                               "for one target; split it (a target per year or per unit)"), locked.path,
                            limit=MAX_FILE_BYTES // (1024 * 1024))
    return target, payload, entries


def append_raw(locked: Locked, payload: bytes, entries: list[Entry] | None = None) -> None:
    """Write `payload` at the end of the locked file with os.write on its raw descriptor (no
    buffer to flush in an unknown order), fsync it, and read it back; on ANY failure (a full
    disk, a file-size limit, an interrupt) the file is cut back to its old length."""
    if not payload:
        return
    try:
        os.lseek(locked.fd, locked.size, os.SEEK_SET)
        view, written = memoryview(payload), 0
        while written < len(payload):
            count = os.write(locked.fd, view[written:])
            if count <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written += count
        os.fsync(locked.fd)
        os.lseek(locked.fd, locked.size, os.SEEK_SET)
        if os.read(locked.fd, len(payload) + 1) != payload or (
                entries is not None and _read_back(payload) != entries):
            raise OSError(0, "what was written does not read back as the entry")
    except BaseException as error:
        left = cut_back(locked, locked.size)
        if not isinstance(error, OSError):
            raise
        reason = os_reason(error)
        raise KpitrackError(N_("could not add the entry ({reason}); the file is unchanged") if not left else
                            N_("could not add the entry ({reason}); and could not cut it back ({left}): "
                               "run `kpitrack validate` and repair the file"), locked.path, reason=reason,
                            left=left) from None
    sweep_temporaries(locked.path.parent)


def cut_back(locked: Locked, size: int) -> str | None:
    """Cut the locked file back to `size` bytes, durably; why not, if it fails."""
    try:
        os.ftruncate(locked.fd, size)
        os.fsync(locked.fd)
        return None
    except OSError as error:
        return os_reason(error)


def _read_for_append(text: str, path: Path, root: Path) -> tuple[Target, LineIndex]:
    """The target's definition, checked, and the line index of its top-level keys.

    An append must cost no more on a file of ten thousand entries than on one of ten, so this
    reads the definition (all before the first [[progress]]) and the last entry (where a crash
    would have torn the file), not every entry between; `validate` and `status` read those.
    A file laid out otherwise, or one with a problem, is read whole, for the exact message.
    """
    first = first_entry(text)
    last = span_around(text, len(text)) if first else None
    if first and last and last.entry:
        try:
            head, tail = text[:first.start], text[last.start:]
            lines = key_lines(head)
            target = target_from_document(toml_document(head), path, root, lines,
                                          plan_period(path.parent, root))
            document = toml_document(tail)
            if list(document) == ["progress"] and len(document["progress"]) == 1:
                entry_from_table(document["progress"][0], 0, target, path, {})
                return target, lines
        except (ValueError, KpitrackError):  # ValueError: tomllib's TOMLDecodeError
            pass  # read whole below, for the exact message
    lines = key_lines(text)
    return target_from_document(parse_toml(text, path), path, root, lines, plan_period(path.parent, root)), lines


# --- rewriting a target file (for corrections) ------------------------------------------------
#
#     with locked_target(path, root, waiting) as locked:   # the lock, on the inode `path` names now
#         old = locked.read()
#         replace_locked(locked, new_bytes)                 # atomic: readers see old or new
#
# `locked_target` (from kpitrack.writing.lock, re-exported here) takes the exclusive lock and checks,
# under it, that the path still names the file it opened (an editor may have renamed a new file
# over it meanwhile); writers waiting for the lock find the inode changed after a replace and
# start again on the new file, so nothing is written into a replaced file.


def replace_locked(locked: Locked, data: bytes) -> None:
    """Replace the whole locked file with `data`, atomically and durably, while its lock is held:
    a temporary file beside it, flushed, renamed over it, the folder flushed."""
    temporary = locked.path.with_name(f".{locked.path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        mode = os.fstat(locked.fd).st_mode & 0o7777  # the file keeps its permissions
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.replace(temporary, locked.path)
        except PermissionError as error:
            if getattr(error, "winerror", None) not in WINDOWS_IN_USE:
                raise
            _rewrite_in_place(locked, data)  # Windows: a file open anywhere (ours: the lock) is not replaced
            temporary.unlink(missing_ok=True)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise KpitrackError(N_("cannot write: {reason}; the file is unchanged"), locked.path,
                            reason=os_reason(error)) from None
    sync_folder(locked.path.parent)
    sweep_temporaries(locked.path.parent)


WINDOWS_IN_USE = (5, 32)  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION: replacing a file that is open


def _rewrite_in_place(locked: Locked, data: bytes) -> None:
    """Write `data` over the locked file through its descriptor (where the file cannot be replaced
    while open), still under the lock; on an error the old bytes are put back."""
    before = locked.read()
    try:
        _write_at_start(locked.fd, data)
    except OSError:
        _write_at_start(locked.fd, before)
        raise


def _write_at_start(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _read_back(payload: bytes) -> list[Entry | None]:
    tables = toml_document(payload.decode("utf-8"))["progress"]
    return [table_entry(table) for table in tables]


NEW_FILE_ORDER = ("title", "unit", "target", "qualifier", "tolerance", "stretch_target", "baseline", "start", "due",
                  "kind", "direction", "owner", "source", "tags", "stretch", "cadence", "parts")


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
            raise KpitrackError(N_("id {id!r} is already used by {other}; choose another id"), id=target_id,
                                other=existing)
    folder = root / group if group else root
    if group and any(part in ("", ".", "..") or not ID_PATTERN.fullmatch(part) for part in group.split("/")):
        raise KpitrackError(N_("group {group!r}: use folder names of lower-case letters, digits, - and _"), group=group)
    for part in group.split("/") if group else ():
        problem = name_problem(part)
        if problem and part not in ("plan", "kpitrack"):  # a folder may be called plan; a file may not
            raise KpitrackError(N_("group: {problem}"), problem=problem)
    path = folder / f"{target_id}.toml"
    text = schema_line(path, root) + tomli_w.dumps(new_target_document(fields))
    try:  # the same checks as reading, reported without the file that was not written
        target_from_document(parse_toml(text, path), path, root, key_lines(text), plan_period(folder, root))
    except KpitrackError as problem:
        raise problem.elsewhere() from None
    inside(folder, root)  # a linked folder must not lead out of the workspace
    make_folder(folder)
    write_new_file(path, text)
    return path


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KpitrackError(N_("cannot make the folder: {reason}"), folder, reason=os_reason(error)) from None


def write_new_file(path: Path, text: str) -> None:
    """Create `path` with `text`, never replacing a file that exists (os.link refuses to)."""
    write_whole(path, text, os.link)


def write_whole(path: Path, text: str | bytes, place: Callable[[Path, Path], None], mode: int | None = None,
                 errors: str = "strict") -> None:
    """Write a temporary file beside `path`, flush it to disk, then `place` it (link or rename) at
    `path`: a crash or a full disk leaves the old file or none, never half of the new one."""
    # A name no earlier run can have left behind (an interrupted init leaves its .tmp; a stale one is
    # ignored by every command, as nothing reads *.tmp, and never blocks the next write). os.urandom
    # is what secrets.token_hex reads, without importing random, hmac and hashlib.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with open(temporary, "xb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(text.encode("utf-8", errors) if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        place(temporary, path)
    except FileExistsError:
        raise KpitrackError(N_("already exists; nothing was written"), path) from None
    except OSError as error:
        raise KpitrackError(N_("cannot write: {reason}; nothing was written"), path, reason=os_reason(error)) from None
    finally:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass  # a name too long to create was never made
    sync_folder(path.parent)
    sweep_temporaries(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename just made) to disk, where a folder can be opened: not
    on Windows (Access is denied), whose file system journals its folders itself."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot flush a folder; the file itself was flushed
    finally:
        os.close(descriptor)


def write_file(path: Path, text: str | bytes) -> None:
    """Write a whole file (a report; bytes for a workbook or a document), replacing it atomically:
    readers see the old or the new one."""
    write_whole(path, text, os.replace)


def write_private(path: Path, text: str | bytes) -> None:
    """write_file for kpitrack's own state under `.kpitrack/`: readable and writable by this user only."""
    write_whole(path, text, os.replace, 0o600)


SCHEMA_FOLDER = ".schema"  # the JSON Schemas that editors (taplo, Even Better TOML) check the files with


def schema_line(path: Path, root: Path, name: str = "target.schema.json") -> str:
    """The `#:schema` directive pointing an editor from the file at `path` to the workspace's
    copy of the schema; empty when the workspace has none (it was made before they existed)."""
    if not (root / SCHEMA_FOLDER / name).is_file():
        return ""
    relative = os.path.relpath(root / SCHEMA_FOLDER / name, path.parent)
    return f"#:schema {'' if relative.startswith('..') else './'}{Path(relative).as_posix()}\n"
