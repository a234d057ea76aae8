"""The journal of write operations (add, fix, remove, import), kept in the workspace's `.kpitrack/`
folder so that `kpitrack undo` can take back the last one. Records older than KEEP_DAYS go."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitrack.files.digest import sha256_hex
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _
from kpitrack.files.workspace import state_folder
from kpitrack.writing.write import Appended, undo_append, write_file

if TYPE_CHECKING:  # rewrites are journalled by fix and remove; add imports only what appends
    from kpitrack.writing.rewrite import Replaced

JOURNAL_FILE = "journal.json"
KEEP_DAYS = 30
KEEP_RECORDS = 50


def _digest(data: bytes) -> str:
    return sha256_hex(data)


def _read(root: Path) -> list[dict[str, Any]]:
    path = state_folder(root) / JOURNAL_FILE
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        return records if isinstance(records, list) else []
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return []  # a damaged journal loses only the chance to undo; the files are untouched


def _write(root: Path, records: list[dict[str, Any]]) -> None:
    # ASCII: a path in another encoding (GBK bytes from a zip) is kept as \udcb9 escapes, read back the same
    write_file(state_folder(root) / JOURNAL_FILE, json.dumps(records))


def journal_records(root: Path) -> list[dict[str, Any]]:
    """The journalled operations, oldest first (for `report --since`)."""
    return _read(root) if (root / ".kpitrack").is_dir() else []


def record(root: Path, operation: str, summary: str, changes: list[Appended | Replaced]) -> None:
    """Remember a write operation: for an append, where the file grew and a digest of what was added;
    for a rewrite, the whole file before and a digest of the file after."""
    now = datetime.now(timezone.utc)
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
            write_file(state_folder(root) / kept_as, change.before.decode("utf-8"))
            files.append({"path": relative, "before": kept_as, "digest": _digest(change.after)})
    cutoff = (now - timedelta(days=KEEP_DAYS)).isoformat()
    records = [kept for kept in _read(root) if kept.get("time", "") >= cutoff][-(KEEP_RECORDS - 1):]
    records.append({"time": now.isoformat(), "operation": operation, "summary": summary, "files": files})
    try:
        _write(root, records)
        _tidy(root, records)
    except (KpitrackError, OSError):
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
        raise KpitrackError(_("nothing to undo: no add, fix, remove or import in the last {days} days").format(
            days=KEEP_DAYS))
    last = records[-1]
    plans = []
    for change in last["files"]:
        path = root / change["path"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise KpitrackError(_("cannot read: {reason}; nothing was undone").format(reason=error.strerror),
                                path) from None
        if "append" in change:
            start, end = change["append"]
            if len(data) != end or _digest(data[start:end]) != change["digest"]:
                raise KpitrackError(_("changed since the last {operation}; nothing was undone: use `kpitrack fix` "
                                      "or `kpitrack remove`").format(operation=last["operation"]), path)
        elif _digest(data) != change["digest"]:
            raise KpitrackError(_("changed since the last {operation}; nothing was undone").format(
                operation=last["operation"]), path)
        if "before" in change:
            try:
                change = dict(change, before=(state_folder(root) / change["before"]).read_bytes())
            except OSError:
                raise KpitrackError(_("the copy kept for undo is gone; nothing was undone"), path) from None
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
