"""Revisions by import: a returned row giving another figure for a date already recorded replaces
that entry (as `kpitrack fix` does), not a second entry; two figures for one date in one import are
refused naming both rows. Applied with the import's appends, all or none, journalled for `undo`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kpitrack.domain.errors import KpitrackError, Listed
from kpitrack.domain.model import Entry, Target
from kpitrack.files.entrycheck import is_figure  # the figure of a date: one rule with add and validate
from kpitrack.domain.model import Workspace
from kpitrack.words.i18n import N_, _
from kpitrack.writing.lock import Waiting
from kpitrack.writing.writeahead import Batch, append_all


def recorded_figure(target: Target, entry: Entry) -> Entry | None:
    """The one recorded figure `entry` would revise (same date, same kind of figure, another value or
    wording: 近60 revises 60, 60（预计） an actual 60: as import_ledger.nothing_new compares them), or None.
    Several recorded for the date: a KpitrackError (as `fix` refuses them)."""
    if not is_figure(target, entry):
        return None
    same = [old for old in target.entries if old.date == entry.date and is_figure(target, old)
            and old.total == entry.total and old.node == entry.node]
    if not same or any(as_worded(old) == as_worded(entry) for old in same):
        return None
    if len(same) > 1:
        raise KpitrackError(N_("{count} entries dated {date} (lines {lines}); remove the extra one first with "
                               "`kpitrack remove {id} --date {date}`"), count=len(same), date=entry.date,
                              lines=Listed(old.line for old in same), id=target.id)
    return same[0]


def as_worded(entry: Entry) -> tuple:
    """A figure as worded: its value, its wording (近, 超, 约) and whether it is an estimate."""
    return entry.value, entry.qualifier, entry.estimate


def where(row) -> str:
    """Where a row was read, as a message names it: file:line (file[sheet]:line for a sheet of several)."""
    return f"{row.where.name if row.where else ''}:{row.line}".lstrip(":")


def second_in_import(rows: dict[tuple[str, date], object], target: Target, row) -> str | None:
    """A second, different figure for one target's date within this import, naming both rows."""
    if not is_figure(target, row.entry):
        return None
    first = rows.setdefault((target.id, row.entry.date, row.entry.total), row)
    if first is row or first.entry.value == row.entry.value:
        return None
    return _("two figures for {date} in this import: {first} at {at} and {second} at {here}; keep one").format(
        date=row.entry.date, first=first.entry.value, at=where(first), second=row.entry.value, here=where(row))


def apply_revisions(workspace_root: Path, revisions: dict, paths: dict[str, Path]) -> list:
    """Rewrite each revised entry (see rewrite_entry); on a failure, every file rewritten so far is put
    back and the error raised. Returns the Replaced of each file (before the first, after the last)."""
    from kpitrack.writing.rewrite import Replaced, rewrite_entry

    done: dict[Path, Replaced] = {}
    try:
        for target_id, items in revisions.items():
            path = paths[target_id]
            for row, old in items:
                def pick(target, old=old):
                    match = next((entry for entry in target.entries if entry.line == old.line
                                  and entry.date == old.date and entry.value == old.value), None)
                    if match is None:
                        raise KpitrackError(N_("changed since it was read; nothing was imported: import again"), path)
                    return match

                def make(target, old_entry, row=row):
                    return row.entry._replace(note=row.entry.note if row.entry.note is not None else old_entry.note,
                                              source=row.entry.source if row.entry.source is not None
                                              else old_entry.source, repeat=old_entry.repeat, line=None)

                replaced, _old, _new = rewrite_entry(path, workspace_root, pick, make)
                first = done.get(path)
                done[path] = replaced if first is None else Replaced(path, first.before, replaced.after, first.target)
    except BaseException:
        undo_revisions(workspace_root, list(done.values()))
        raise
    return list(done.values())


def undo_revisions(workspace_root: Path, replaced: list) -> None:
    from kpitrack.writing.rewrite import restore_file

    for change in replaced:
        try:
            restore_file(change.path, workspace_root, change.after, change.before)
        except KpitrackError:
            pass


def apply_import(workspace: Workspace, plan, name: str = "", waiting: Waiting | None = None) -> int:
    """Revise the entries planned as revisions (rewritten as `fix` does), then append the planned
    entries, one write per target, all or none (journalled, see kpitrack.writing.writeahead); rows
    recorded meanwhile by another writer are skipped, as decided under the locks. Recorded for
    `undo` as one operation. Returns how many entries were added."""
    from kpitrack.writing.rewrite import Replaced

    paths = {target.id: target.path for target in workspace.targets}
    batches = [Batch(paths[target_id], [row.entry for row in rows]) for target_id, rows in plan.additions.items()]
    from kpitrack.writing.journal import ready
    ready(workspace.root)  # a journal the import could not be recorded in is refused before it writes
    rewritten = apply_revisions(workspace.root, plan.revisions, paths)
    try:
        done = append_all(workspace.root, batches, name or "a CSV file", waiting)
    except BaseException:
        undo_revisions(workspace.root, rewritten)
        raise
    # a file both revised and appended to is journalled as one rewrite: before the first change, after the last
    grown = {item.path for item in rewritten}
    changes = [Replaced(item.path, item.before, item.path.read_bytes(), item.target) for item in rewritten]
    changes += [item for item in done if item.path not in grown]
    if changes:
        from kpitrack.writing.journal import record, revision
        changed = {item.path for item in changes}
        record(workspace.root, "import", f"import {name}", changes,
               [target_id for target_id in {**plan.revisions, **plan.additions} if paths[target_id] in changed],
               [revision(target_id, f"import {name}", row.entry.date, old, row.entry)
                for target_id, items in plan.revisions.items() for row, old in items])
    return sum(appended.added for appended in done)
