"""The ledger (台账): one grid of cells per plan, for the HTML page, the workbook and the document."""

from __future__ import annotations

import re
from typing import Any

from kpitrack.domain.compute import Figures
from kpitrack.domain.lights import LIGHT
from kpitrack.domain.model import Kind, Plan, Status, Target
from kpitrack.words.display import shown
from kpitrack.domain.periods import collected_period
from kpitrack.reports.report import Item, by_group, summarize


def ledger_row(number: int, target: Target, result: Figures) -> dict[str, Any]:
    """One line of the ledger: plain values (Decimals, dates, None for unknowns), its light, and
    whether a unit can fill in its figure (not for a milestone, nor a parent that sums its parts).
    `lag` here is the ledger's 进度差 as the terminal shows it: completion − plan, positive ahead
    (超序时进度), negative behind (低于序时进度); `target_words` is the target as worded (超5,000),
    `target_mark` its mark (超, 约, ≥, ≤ or ""); `current_mark` and `estimate` how the figure is worded (近,
    超, 约; 预计), so that a unit confirming it confirms it as worded; `node` the node a milestone's
    已完成 reports (the first not done)."""
    from kpitrack.domain.compute import latest_qualifier
    from kpitrack.domain.nodes import next_node
    from kpitrack.reports.pace import pace_class
    from kpitrack.words.display import READING_MARKS, TARGET_MARKS, current_cell, printed_gap, done_message, progress_cell, target_value, title_of

    milestone = target.kind is Kind.MILESTONE
    how = fill_in(target)
    period = collected_period(result.as_of, result.cadence)  # the cadence status --missing chases by
    known = None if milestone or not result.last_update else result.current
    seen = shown(result)
    worded = latest_qualifier(target, result.as_of) if known is not None else None
    return {
        "number": number, "id": target.id, "title": title_of(target), "owner": target.owner,
        "co_owners": "、".join(target.co_owners) or None, "unit": target.unit,
        "target": None if milestone or target.kind is Kind.INDICATOR else target.target,
        "current": known,  # the workbook puts it under 累计完成 or 读数, as `fill` says
        "current_mark": READING_MARKS[worded] if worded else "", "estimate": known is not None and result.estimate,
        "target_mark": TARGET_MARKS[target.qualifier] if target.qualifier else "",
        "node": next_node(target, result.as_of) if milestone else None,
        "progress": progress_cell(target, result) if milestone else None,  # 尚未完成, 1 / 2 nodes: as status words it
        "fill": how, "period": period, "note": None,
        "target_words": None if milestone or target.kind is Kind.INDICATOR else target_value(target),
        # before its start a target has no completion, plan or gap (`—`), in every format (display.shown)
        "completion": seen.completion, "planned": seen.planned,
        "stretch_target": target.stretch_target,  # 力争: the figure beyond the committed one, and its completion
        "stretch_completion": None if seen.completion is None else result.stretch_completion,
        "gap": result.gap, "change": result.change,  # a growth rate's points, an indicator's change
        "lag": printed_gap(seen),  # completion − plan as printed (display.printed_gap)
        "status": result.status.value, "stale": result.stale, "due_soon": result.due_soon, "light": LIGHT[result.status],
        "pace": pace_class(result),  # 超进度 / 达进度 / 欠进度 at the printed precision
        "done": done_message(target, result),  # how it ended (超额完成, 未完成…), shown in place of the status
        "late_nodes": result.late_nodes,  # a node plan's nodes past due and not done, flagged in the status cell
        # the figure as worded (近60, 超1,200, 预计): the number goes under 累计完成 or 读数
        "current_words": None if milestone else current_cell(target, result),
        "last_update": result.last_update,
        "as_of": period.last,  # 截至日期: the date a figure for this period is for, the period's last day
        "fillable": not milestone and not (target.parts and not target.entries),
    }


def row_status_words(row: dict[str, Any], lang: str) -> list[str]:
    """A ledger row's status cell in `lang` (pace.status_words of the row's fields): the page's, Word's
    and the workbook's, which each join its words their own way."""
    from kpitrack.reports.pace import status_words

    return status_words(Status(row["status"]), row["pace"], row["stale"], row["due_soon"], lang, row["done"],
                        row["late_nodes"])


def fill_in(target: Target) -> str:
    """What a unit fills in on the target's ledger row: `running` (累计完成, a running total, for a
    cumulative target), `reading` (读数: a level, a growth rate, an indicator), `done` (a milestone:
    已完成 in 读数 once done) or `nothing` (a parent that sums its parts)."""
    if target.parts and not target.entries:
        return "nothing"
    if target.kind is Kind.MILESTONE:
        return "done"
    return "running" if target.kind is Kind.CUMULATIVE else "reading"


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


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


def unit_file_name(unit: str, extension: str = "xlsx") -> str:
    """A responsible unit's ledger file name: no path separators, control or reserved characters,
    no leading dot, nothing Windows refuses (CON, NUL…), at most 100 characters before the extension."""
    name = _UNSAFE.sub("-", unit).strip(" .-")[:100].strip(" .") or "unit"
    if name.casefold() in _RESERVED:
        name = "_" + name
    return f"{name}.{extension}"


def by_unit(items: list[Item]) -> list[tuple[str, str, list[Item]]]:
    """Per responsible unit (lead or co-unit, each named once): its file name and the items it
    reports on. Two units whose names make the same file name are refused (a ledger sent to the
    wrong unit is worse than none); targets naming no unit are in no file."""
    from kpitrack.domain.errors import KpitrackError
    from kpitrack.words.i18n import N_

    units: dict[str, list[Item]] = {}
    for item in items:
        for unit in item[0].owners():
            units.setdefault(unit, []).append(item)
    files: dict[str, str] = {}
    for unit in sorted(units):
        name = unit_file_name(unit)
        if name.casefold() in files:
            raise KpitrackError(N_("units {first!r} and {second!r} would share the file {file}; rename one of "
                                   "them in the target files"), first=files[name.casefold()], second=unit, file=name)
        files[name.casefold()] = unit
    return [(unit, unit_file_name(unit), units[unit]) for unit in sorted(units)]
