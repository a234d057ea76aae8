"""The ledger (台账): one grid of cells per plan, for the HTML page, the workbook and the document."""

from __future__ import annotations

from typing import Any

from kpitrack.domain.compute import Figures
from kpitrack.domain.lights import LIGHT
from kpitrack.domain.model import Kind, Plan, Target
from kpitrack.reports.report import Item, by_group, summarize

LIGHTS = LIGHT  # the domain's one table of status → light


def ledger_row(number: int, target: Target, result: Figures) -> dict[str, Any]:
    """One line of the ledger: plain values (Decimals, dates, None for unknowns), its light, and
    whether a unit can fill in its figure (not for a milestone, nor a parent that sums its parts).
    `lag` here is the ledger's 进度差 as the terminal shows it: completion − plan, positive ahead
    (超序时进度), negative behind (低于序时进度); `target_words` is the target as worded (超5,000)."""
    from kpitrack.reports.pace import pace_class
    from kpitrack.words.display import target_value

    milestone = target.kind is Kind.MILESTONE
    return {
        "number": number, "id": target.id, "title": target.title, "owner": target.owner, "unit": target.unit,
        "target": None if milestone or target.kind is Kind.INDICATOR else target.target,
        "current": None if milestone or not result.last_update else result.current,
        "target_words": None if milestone or target.kind is Kind.INDICATOR else target_value(target),
        "completion": result.completion, "planned": result.planned,
        "gap": result.gap, "change": result.change,  # a growth rate's points, an indicator's change
        "lag": None if result.lag is None else -result.lag,
        "status": result.status.value, "stale": result.stale, "light": LIGHTS[result.status],
        "pace": pace_class(result),  # 超进度 / 达进度 / 欠进度 at the printed precision
        "last_update": result.last_update, "as_of": result.as_of,
        "fillable": not milestone and not (target.parts and not target.entries),
    }


def ledger(items: list[Item], plans: dict[str, Plan] | None = None) -> list[dict[str, Any]]:
    """Per plan (folder): its name, title, summary and ledger rows, numbered from 1."""
    sheets = []
    for group, members in by_group(items):
        plan = (plans or {}).get(group)
        sheets.append({"group": group, "title": plan.title if plan else None,
                       "summary": summarize([result for _, result in members]),
                       "rows": [ledger_row(index, *item) for index, item in enumerate(members, 1)],
                       "items": members})
    return sheets
