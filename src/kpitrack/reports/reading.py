"""The report values of the reading commands (status, show, plans, check, export): each built
once, from the workspace, the selection and the as-of date, and handed whole to a format of
formats.registry, which renders it and decides nothing."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, Sequence

from kpitrack.domain.model import Status, Target, Verdict, Workspace
from kpitrack.reports.build import Report
from kpitrack.words.display import exact_digits
from kpitrack.reports.report import (assess, closed_groups, evaluate, in_group, is_flagged, ordered,
                                     owner_rows)


def status_report(workspace: Workspace, as_of: date, tag: str | None = None, group: str | None = None,
                  statuses: tuple[Status | Verdict, ...] = (), stale: bool = False, owner: str | None = None,
                  closed: bool = True, sort: str = "id", by_owner: bool = False, tree: bool = False,
                  wide: bool = False) -> Report:
    """`status`: the selected targets in the order asked for (or, by owner, the owners' rows)."""
    items = tuple(ordered(evaluate(workspace, as_of, tag, group, statuses, stale, owner=owner, closed=closed), sort))
    return Report(as_of, items, workspace.plans, owners=tuple(owner_rows(list(items))) if by_owner else None,
                  tree=tree, wide=wide)


def show_report(workspace: Workspace, target: Target, as_of: date, last: int | None) -> Report:
    """`show`: one target with its figures, beside the workspace's targets (a parent's parts)."""
    others = workspace.by_id()
    return Report(as_of, ((target, assess(target, as_of, workspace.settings_for(target), others)),),
                  workspace.plans, others, last=last)


def plans_report(workspace: Workspace, as_of: date) -> Report:
    """`plans`: every target in file order, the plans, and which of their folders are closed."""
    return Report(as_of, tuple(evaluate(workspace, as_of)), workspace.plans,
                  closed=frozenset(closed_groups(workspace, as_of)))


def check_report(workspace: Workspace, as_of: date, statuses: tuple, stale: bool, tag: str | None = None,
                 group: str | None = None, owner: str | None = None, closed: bool = False) -> Report:
    """`check`: the flagged targets, how many were checked and how many left out."""
    checked = evaluate(workspace, as_of, tag, group, owner=owner, closed=closed)
    flagged = tuple(item for item in checked if is_flagged(item[1], statuses, stale))
    return Report(as_of, flagged, workspace.plans, checked=len(checked),
                  skipped=len(workspace.targets) - len(checked))


def export_report(workspace: Workspace) -> Report:
    """`export`: the targets in the workspace's scope, their entries streamed by the format
    (a target's `entry_columns` at a time)."""
    return Report(date.min, (), workspace.plans,
                  targets=tuple(target for target in workspace.targets if in_group(target.group, workspace.scope)))


class EntryColumns(NamedTuple):
    """A target's entries as `export` prints them, a column per field of ENTRY_FIELDS (the rows of
    `entry_rows`, made a target at a time): the target's id, folder and unit, then each entry's
    date as its ISO text, figure as its exact digits (None for a milestone's), total, done, note,
    source, qualifier as its word, estimate and node. Text ready to print, no Decimal or date to
    make: export prints 100,000 of them and computes nothing."""

    id: str
    group: str
    unit: str
    dates: Sequence[str]
    values: Sequence[str | None]
    totals: Sequence[bool]
    done: Sequence[bool | None]
    notes: Sequence[str | None]
    sources: Sequence[str | None]
    qualifiers: Sequence[str | None]
    estimates: Sequence[bool]
    nodes: Sequence[str | None]


def entry_columns(target: Target) -> EntryColumns:
    """`target`'s EntryColumns: from the cache's text when it keeps the entries (no entry is made),
    else from the entries, printed as `entry_values` gives them."""
    from kpitrack.files.stored import StoredEntries  # sqlite: only where a cache was read

    entries = target.entries
    columns = entries.printed_columns() if isinstance(entries, StoredEntries) else None
    if columns is None:
        columns = _printed(entries)
    day, value, total, done, note, source, _line, qualifier, estimate, _repeat, node = columns
    return EntryColumns(target.id, target.group, target.unit, day, value, total, done, note, source, qualifier,
                        estimate, node)


def _printed(entries: Sequence) -> tuple[tuple, ...]:
    """Entries as columns of Entry's fields, dates, figures and qualifiers as they print."""
    if not entries:
        return ((),) * 11
    day, value, total, done, note, source, line, qualifier, estimate, repeat, node = zip(*entries)
    return (tuple(map(date.isoformat, day)), tuple(None if figure is None else exact_digits(figure) for figure in value),
            total, done, note, source, line, tuple(word and word.value for word in qualifier), estimate, repeat, node)
