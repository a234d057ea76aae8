"""Review (report --since): the figures received and revised since a date, per responsible unit.
What changed is read from git when the workspace is a repository (the target files as their last
commit before the date held them, against the files now); outside git, from the journal of `fix`
(revisions only, 30 days). One definition for every format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.domain.model import Workspace
from kpitrack.reports.journalled import revisions
from kpitrack.reports.report import Item, by_unit


def _key(date_: Any, total: Any) -> tuple[str, bool]:
    return str(date_), bool(total)


def _figure(value: Any, done: Any) -> Decimal | str | None:
    """An entry's figure, comparable whatever the file wrote (500, 500.0): its value, or done/undone."""
    if value is not None:
        return Decimal(str(value))
    return None if done is None else ("done" if done else "undone")


def _shown(figure: Decimal | str | None) -> str | None:
    return format(figure, "f") if isinstance(figure, Decimal) else figure


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
        before = {_key(table.get("date"), table.get("total")): _figure(table.get("value"), table.get("done"))
                  for table in then}
        for entry in target.entries:
            key = _key(entry.date, entry.total)
            new = _figure(entry.value, entry.done)
            if key not in before:
                found.append({"target": target, "change": "received", "date": entry.date.isoformat(),
                              "old": None, "new": _shown(new)})
            elif before[key] != new:
                found.append({"target": target, "change": "revised", "date": entry.date.isoformat(),
                              "old": _shown(before[key]), "new": _shown(new)})
    return [{"owner": unit, "figures": [{"id": target.id, "title": target.title, "unit": target.unit, **row}
                                        for target, row in pairs]}
            for unit, pairs in by_unit((row.pop("target"), row) for row in found)]
