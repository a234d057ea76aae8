"""What an import says row by row: the revisions it made, and (with --dry-run) every row that would
land, each with its figure as understood in its target's unit."""

from __future__ import annotations

from kpitrack.words.display import entry_value, figure_as_understood
from kpitrack.words.i18n import _, pgettext
from kpitrack.writing.import_revise import where


def revision_lines(workspace, plan) -> list[str]:
    """`revised u0 2025-07-31: 50 → 55`, one line per revised entry."""
    return [_("revised {id} {date}: {old} → {new}").format(id=target_id, date=row.entry.date,
                                                             old=entry_value(old), new=entry_value(row.entry))
            for target_id, items in plan.revisions.items() for row, old in items]


def landing_lines(workspace, plan) -> list[str]:
    """Each row of the import in file order: where it was read, the target, the figure as understood,
    its date, and new, revised (old → new) or unchanged."""
    targets = workspace.by_id()
    rows = [(row, pgettext("import", "new")) for rows in plan.additions.values() for row in rows]
    rows += [(row, _("revised ({old} → {new})").format(old=entry_value(old), new=entry_value(row.entry)))
             for items in plan.revisions.values() for row, old in items]
    rows += [(row, _("unchanged")) for row in plan.unchanged]
    rows.sort(key=lambda item: (str(item[0].where or ""), item[0].line))
    return [f"{where(row)}  {row.target_id}  "
            f"{figure_as_understood(targets[row.target_id], row.entry)}  {row.entry.date}  {state}"
            for row, state in rows]
