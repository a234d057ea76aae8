"""催报: which targets have not reported (未报送) for the last ended period of their cadence, per
responsible unit (责任单位), built once for every format. The rule itself is the domain's
(domain/periods.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kpitrack.domain.compute import adds_up_parts
from kpitrack.domain.model import Status, Workspace
from kpitrack.domain.periods import has_figure_in, period_due
from kpitrack.reports.report import Item, by_unit

MISSING_FIELDS = ("owner", "role", "id", "title", "period", "period_start", "period_end", "last_update")


def missing_items(workspace: Workspace, items: list[Item], as_of: date) -> list[tuple[Item, Any]]:
    """The items, with their period, that have no figure dated in the last ended period of their
    cadence: under way (not done, not yet started), with a cadence, and not a roll-up of parts
    (its parts are chased)."""
    others = workspace.by_id()
    found = []
    for target, result in items:
        if result.status in (Status.DONE, Status.NOT_STARTED) or result.verdict is not None \
                or adds_up_parts(target, others):
            continue
        period = period_due(target, workspace.settings_for(target), as_of)
        if period is not None and not has_figure_in(target, period):
            found.append(((target, result), period))
    return found


def missing_rows(workspace: Workspace, items: list[Item], as_of: date) -> list[dict[str, Any]]:
    """Per unit (sorted; a target under its lead and each co-unit), the targets not reported for
    their period: id, title, role (lead/co), the period and the last figure's date."""
    return [{"owner": unit, "targets": [{
        "id": target.id, "title": target.title, "role": "co" if unit in target.co_owners else "lead",
        "period": period.label, "period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
        "last_update": result.last_update.isoformat() if result.last_update else None}
        for target, (result, period) in pairs]}
        for unit, pairs in by_unit((target, (result, period))
                                   for (target, result), period in missing_items(workspace, items, as_of))]


def missing_flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-unit rows as one row per (unit, target), for the grid formats."""
    return [{"owner": row["owner"], **target} for row in rows for target in row["targets"]]
