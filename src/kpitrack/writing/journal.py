"""The journal of write operations (add, fix, remove, import), kept in the workspace's `.kpitrack/`
folder so that `kpitrack undo` can take back the last one. Records older than KEEP_DAYS go."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitrack.files.digest import sha256_hex
from kpitrack.domain.errors import KpitrackError, Sentence, Worded
from kpitrack.words.i18n import N_, os_reason
from kpitrack.files.state import STATE_FOLDER, confined, read_state, state_folder, unreadable
from kpitrack.writing.write import Appended, undo_append, write_private

if TYPE_CHECKING:  # rewrites are journalled by fix and remove; add imports only what appends
    from kpitrack.domain.model import Entry
    from kpitrack.writing.rewrite import Replaced

JOURNAL_FILE = "journal.json"
KEEP_DAYS = 30
KEEP_RECORDS = 50


def _digest(data: bytes) -> str:
    return sha256_hex(data)


OPERATIONS = ("add", "fix", "remove", "import")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_COPY = r"journal-[0-9a-f]{20}\.before"  # compiled (and kept by `re`) for a rewrite's record only


def journal_path(root: Path) -> Path:
    return root / STATE_FOLDER / JOURNAL_FILE


def _read(root: Path) -> list[dict[str, Any]]:
    """The journal's records, every one checked (see _checked); a journal that is not ours, not of
    its shape or naming a file outside the workspace is a KpitrackError naming it: nothing is undone,
    nothing written, no traceback. Write commands read it before they write (see `ready`)."""
    path = journal_path(root)
    data = read_state(path)
    if data is None:
        return []
    try:
        records = json.loads(data.decode("utf-8"))
        _checked(records, root)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        reason = unreadable(error)
        raise KpitrackError(N_("the undo journal cannot be read ({reason}); delete it to go on "
                               "(only the chance to undo earlier changes is lost)"), path, reason=reason) from None
    return records


def _checked(records: Any, root: Path) -> None:
    """Worded (a ValueError) unless `records` is a list of records as `record` writes them."""
    if not isinstance(records, list):
        raise Worded(N_("not a list of records"))
    inside: set[str] = set()  # the paths found inside the workspace: records name the same few files again and again
    for number, kept in enumerate(records, 1):
        def refuse(message: str, **fields) -> Worded:
            return Worded(N_("record {number}: {problem}"), number=number, problem=Sentence(message, **fields))

        if not isinstance(kept, dict) or not {"time", "operation", "summary", "files"} <= kept.keys():
            raise refuse(N_("not an object with time, operation, summary and files"))
        if not all(isinstance(kept[key], str) for key in ("time", "operation", "summary")):
            raise refuse(N_("time, operation and summary must be text"))
        try:
            datetime.fromisoformat(kept["time"])
        except ValueError:
            raise refuse(N_("time is not a date and time")) from None
        if kept["operation"] not in OPERATIONS:
            raise refuse(N_("unknown operation {operation!r}"), operation=kept["operation"])
        ids = kept.get("ids", [])
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            raise refuse(N_("ids must be a list of target ids"))
        if not isinstance(kept["files"], list) or not kept["files"]:
            raise refuse(N_("files must be a list of changes"))
        for change in kept["files"]:
            if not isinstance(change, dict) or not isinstance(change.get("digest"), str) or not _DIGEST.fullmatch(
                    change["digest"]):
                raise refuse(N_("a change without its digest"))
            path = change.get("path")
            if not (isinstance(path, str) and path in inside):
                confined(path, root)
                inside.add(path)
            append, before = change.get("append"), change.get("before")
            if (append is None) == (before is None):
                raise refuse(N_("a change is either an append or a rewrite"))
            if append is not None and not (isinstance(append, list) and len(append) == 2 and all(
                    type(offset) is int for offset in append) and 0 <= append[0] <= append[1]):
                raise refuse(N_("an append must be [start, end]"))
            if before is not None and not (isinstance(before, str) and re.fullmatch(_COPY, before)):
                raise refuse(N_("a rewrite must name its copy (journal-….before)"))


def revision(target_id: str, summary: str, day, old: Entry, new: Entry) -> dict[str, str]:
    """What a revision journals for report --since: the target, its date, the figure before and after
    (exact decimals, or done/undone), and the command's summary."""
    return {"id": target_id, "summary": summary, "date": day.isoformat(), "old": _figure_text(old),
            "new": _figure_text(new)}


def _figure_text(entry: Entry) -> str:
    if entry.value is not None:
        return format(entry.value, "f")
    return "done" if entry.done else "undone"


def ready(root: Path) -> None:
    """Refuse, before a write, a journal this write could not add its record to (see _read)."""
    if (root / STATE_FOLDER).is_dir():
        _read(root)


def _write(root: Path, records: list[dict[str, Any]]) -> None:
    # ASCII: a path's undecodable bytes (a GBK folder name, kept as lone surrogates) come back as they were
    write_private(state_folder(root) / JOURNAL_FILE, json.dumps(records))


def journal_records(root: Path) -> list[dict[str, Any]]:
    """The journalled operations, oldest first (for `report --since`)."""
    return _read(root) if (root / ".kpitrack").is_dir() else []


def record(root: Path, operation: str, summary: str, changes: list[Appended | Replaced],
           ids: list[str] | None = None, revised: list[dict[str, str]] | None = None) -> None:
    """Remember a write operation: for an append, where the file grew and a digest of what was added;
    for a rewrite, the whole file before and a digest of the file after. `ids`: the targets it
    changed (default: the files' names), a field of the record, so that nobody reads them out of the
    summary. Never raises: the change is made, only `undo` of it can be lost."""
    now = datetime.now(timezone.utc)
    try:
        files = []
        for change in changes:
            relative = os.path.relpath(change.path, root)
            if isinstance(change, Appended):
                with open(change.path, "rb") as handle:
                    handle.seek(change.start)
                    added = handle.read(change.end - change.start)
                files.append({"path": relative, "append": [change.start, change.end], "digest": _digest(added)})
            else:
                kept_as = f"journal-{_digest(change.before)[:20]}.before"  # kept beside, the journal stays small
                write_private(state_folder(root) / kept_as, change.before)
                files.append({"path": relative, "before": kept_as, "digest": _digest(change.after)})
        cutoff = (now - timedelta(days=KEEP_DAYS)).isoformat()
        records = [kept for kept in _read(root) if kept["time"] >= cutoff][-(KEEP_RECORDS - 1):]
        records.append({"time": now.isoformat(), "operation": operation, "summary": summary,
                        "ids": ids if ids is not None else [change.path.stem for change in changes], "files": files}
                       | ({"revised": revised} if revised else {}))  # an import's revisions, for report --since
        _write(root, records)
        _tidy(root, records)
    except (KpitrackError, OSError, ValueError):
        pass  # the change is made; only `undo` of it is lost


def _tidy(root: Path, records: list[dict[str, Any]]) -> None:
    """Delete the copies of files that no journal record needs any more."""
    needed = {change["before"] for kept in records for change in kept["files"] if "before" in change}
    for copy in state_folder(root).glob("journal-*.before"):
        if copy.name not in needed:
            copy.unlink(missing_ok=True)


def undo_last(root: Path) -> dict[str, Any]:
    """Take back the last journalled operation; returns its record. Refused, with nothing changed,
    when a file has changed since."""
    records = _read(root)
    if not records:
        raise KpitrackError(N_("nothing to undo: no add, fix, remove or import in the last {days} days"),
                            days=KEEP_DAYS)
    last = records[-1]
    plans = []
    for change in last["files"]:
        path = root / change["path"]  # confined to the workspace by _read
        try:
            data = path.read_bytes()
        except OSError as error:
            raise KpitrackError(N_("cannot read: {reason}; nothing was undone"), path, reason=os_reason(error)) from None
        if "append" in change:
            start, end = change["append"]
            if len(data) != end or _digest(data[start:end]) != change["digest"]:
                raise KpitrackError(N_("changed since the last {operation}; nothing was undone: use `kpitrack fix` "
                                       "or `kpitrack remove`"), path, operation=last["operation"])
        elif _digest(data) != change["digest"]:
            raise KpitrackError(N_("changed since the last {operation}; nothing was undone"), path,
                                operation=last["operation"])
        if "before" in change:
            copy = read_state(state_folder(root) / change["before"])
            if copy is None:
                raise KpitrackError(N_("the copy kept for undo is gone; nothing was undone"), path)
            change = dict(change, before=copy)
        plans.append((path, change, data))
    from kpitrack.writing.rewrite import restore_file

    for path, change, data in plans:
        if "append" in change:
            start, end = change["append"]
            undo_append(Appended(path, start, end, None))  # type: ignore[arg-type]
        else:
            restore_file(path, root, data, change["before"])
    _write(root, records[:-1])
    _tidy(root, records[:-1])
    return last
