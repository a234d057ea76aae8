"""Review (report --since): the figures received and revised since a date, per responsible unit.
What changed is read from git when the workspace is a repository (the target files as their last
commit before the date held them, against the files now); outside git, from the journal of `fix`
(revisions only, 30 days). One definition for every format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.domain.model import Entry, ReadingQualifier, Workspace
from kpitrack.words.display import entry_value
from kpitrack.reports.journalled import revisions
from kpitrack.reports.report import Item, by_unit


def _key(date_: Any, total: Any, node: Any = None) -> tuple[str, bool, str | None]:
    return str(date_), bool(total), None if node is None else str(node)


def _entry(table: dict) -> Entry | None:
    """An entry as a file held it in git (untrusted, never checked since): what it said, to compare
    and show; None where it is not one."""
    try:
        value, done, qualifier, node = (table.get(key) for key in ("value", "done", "qualifier", "node"))
        return Entry(date=table.get("date"), value=None if value is None else Decimal(str(value)),
                     done=done if isinstance(done, bool) else None,
                     qualifier=ReadingQualifier(qualifier) if qualifier in READINGS else None,
                     estimate=table.get("estimate") is True, node=None if node is None else str(node))
    except (ArithmeticError, ValueError, TypeError):
        return None


READINGS = {qualifier.value for qualifier in ReadingQualifier}


def _plain(entry: Entry | None) -> str | None:
    """An entry's figure for scripts (JSON): its digits, or done / undone."""
    if entry is None:
        return None
    if entry.value is not None:
        return format(entry.value, "f")
    return None if entry.done is None else ("done" if entry.done else "undone")


def _said(entry: Entry | None) -> tuple | None:
    """What a figure says, to tell a revision: the figure or done, and how it is worded (近60 is not 60)."""
    return None if entry is None else (entry.value, entry.done, entry.qualifier, entry.estimate)


def figure_changes(workspace: Workspace, items: list[Item], since: date) -> list[dict[str, Any]]:
    """Per unit (sorted; a target under its lead and each co-unit), the figures received (an entry
    for a date not there before) and revised (a date's figure changed: old → new) since `since`."""
    from kpitrack.git.history import entries_at

    found: list[dict[str, Any]] = []
    journal = None
    for target, _result in items:
        then = entries_at(target.path, since) if target.path else None
        if then is None:  # outside git: the journal's revisions
            if journal is None:
                journal = revisions(workspace.root, since)
            found += [{"target": target, "change": "revised", "date": record["date"], "old": record["old"],
                       "new": record["new"] if record["new"] else record["summary"]}
                      for record in journal if record["id"] == target.id]
            continue
        before = {_key(table.get("date"), table.get("total"), table.get("node")): _entry(table)
                  for table in then if isinstance(table, dict)}
        for entry in sorted(target.entries, key=lambda entry: entry.date):  # by date, as every list
            key = _key(entry.date, entry.total, entry.node)
            if key not in before:
                found.append({"target": target, "change": "received", "date": entry.date.isoformat(),
                              "old": None, "new": _plain(entry), "words": (None, entry_value(entry))})
            elif _said(before[key]) != _said(entry):
                old = before[key]
                found.append({"target": target, "change": "revised", "date": entry.date.isoformat(),
                              "old": _plain(old), "new": _plain(entry),
                              "words": ("?" if old is None else entry_value(old), entry_value(entry))})
    return [{"owner": unit, "figures": [{"id": target.id, "title": target.title, "unit": target.unit, **row}
                                        for target, row in pairs]}
            for unit, pairs in by_unit((row.pop("target"), row) for row in found)]
