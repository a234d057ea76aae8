"""The documented plain rows of status and export (JSON, CSV, Markdown): a target's figures and an
entry as plain values, Decimals, ints, ISO dates and None for unknowns."""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Iterator, Sequence

from kpitrack.domain.applies import APPLIES
from kpitrack.domain.compute import Figures, latest_qualifier
from kpitrack.domain.model import Direction, Kind, Qualifier, ReadingQualifier, Status, Target, Verdict
from kpitrack.domain.qualifiers import qualifier_of, tolerance_of
from kpitrack.files.stored import iso_day as iso  # a day's ISO text, cached: a workspace has few distinct days
from kpitrack.reports.pace import pace_class
from kpitrack.words.display import shown

# The documented JSON/CSV fields of a status row, in order.
STATUS_FIELDS = (
    "id", "title", "group", "unit", "kind", "direction", "baseline", "target", "current",
    "completion", "planned", "lag", "vs_plan", "lag_days", "projected", "required_per_month", "status",
    "stale", "start", "due", "last_update", "schedule",
    "qualifier", "tolerance", "stretch_target", "stretch_completion", "gap", "change", "estimate",
    "verdict", "done_on", "exceeded_by", "exceeded_points", "plan_completion", "due_soon", "nodes", "pace_class", "owners",
    "current_qualifier",  # added last (stop 32): a script reading columns by position reads the others where they were
)


# The code each member is written as (its value), looked up seven times faster than Enum.value: the
# members are str, hashed as their text (members of two kinds with one text have the one code).
CODES = {member: member.value for kind in (Kind, Direction, Status, Qualifier, ReadingQualifier, Verdict)
         for member in kind}


def status_row(target: Target, result: Figures) -> dict[str, Any]:
    """The figures of one target as plain values: Decimals, ints, ISO dates, None for unknowns."""
    return status_rows([(target, result)])[0]


def status_rows(items: Sequence[tuple[Target, Figures]]) -> list[dict[str, Any]]:
    """`status_row` of each item: a row of `status_columns`."""
    return [dict(zip(STATUS_FIELDS, row)) for row in zip(*status_columns(items).values())]


def status_columns(items: Sequence[tuple[Target, Figures]]) -> dict[str, list]:
    """The items' status rows a column at a time, by field in STATUS_FIELDS' order: each value made
    in one pass over the targets (status --format json writes 1,000 rows a column at a time)."""
    targets, results = [target for target, _ in items], [result for _, result in items]
    applying = [APPLIES[target.kind] for target in targets]
    seen = [shown(result) for result in results]  # none before its start, as every table shows `—`
    code = CODES.__getitem__

    def of(name: str, values: list) -> list:
        return list(map(attrgetter(name), values))

    return {
        "id": of("id", targets),
        "title": of("title", targets),
        "group": of("group", targets),
        "unit": of("unit", targets),
        "kind": [code(target.kind) for target in targets],
        "direction": [code(target.direction) for target in targets],
        "baseline": of("baseline", targets),
        "target": [target.target if "target" in kinds else None for target, kinds in zip(targets, applying)],
        "current": [result.current if target.kind is Kind.MILESTONE or result.last_update else None  # no data is not 0
                    for target, result in items],
        "completion": of("completion", seen),
        "planned": of("planned", seen),
        "lag": of("lag", seen),
        "vs_plan": of("vs_plan", seen),  # completion − planned, as the tables' "vs plan" (进度差): negative behind
        "lag_days": of("lag_days", results),
        "projected": [result.projected if "projected" in kinds else None for result, kinds in zip(results, applying)],
        "required_per_month": of("required_per_month", results),
        "status": [code(result.status) for result in results],
        "stale": of("stale", results),
        "start": [iso(target.start) for target in targets],
        "due": [iso(target.due) for target in targets],
        "last_update": [result.last_update and iso(result.last_update) for result in results],
        "schedule": [result.schedule if "schedule" in kinds else None for result, kinds in zip(results, applying)],
        "qualifier": [code(qualifier_of(target)) if "qualifier" in kinds else None
                      for target, kinds in zip(targets, applying)],
        "tolerance": [tolerance_of(target) if target.qualifier is Qualifier.ABOUT else None for target in targets],
        "stretch_target": of("stretch_target", targets),
        "stretch_completion": of("stretch_completion", results),
        "gap": of("gap", results),
        "change": of("change", results),
        "estimate": of("estimate", results),
        "verdict": [result.verdict and code(result.verdict) for result in results],
        "done_on": [result.done_on and iso(result.done_on) for result in results],
        "exceeded_by": of("exceeded_by", results),
        "exceeded_points": of("exceeded_points", results),
        "plan_completion": of("plan_completion", results),
        "due_soon": of("due_soon", results),
        "nodes": [[{"name": name, "due": iso(due), "done": done and iso(done), "late": name in result.late_nodes}
                   for name, due, done in result.nodes] or None for result in results],
        "pace_class": [pace_class(result) for result in results],  # ahead / at / behind as printed (reports/pace.py)
        "owners": [list(target.owners()) for target in targets],  # 责任单位: the lead (牵头单位) first, then 配合单位
        # how the current figure was published: nearly (近), over (超), about (约); None for an exact one
        "current_qualifier": [CODES.get(latest_qualifier(target, result.as_of)) if result.last_update
                              and target.kind is not Kind.MILESTONE else None for target, result in items],
    }


def entry_fields(entry) -> dict[str, Any]:
    """One progress entry as plain values, as `show --format json` and `export` give it."""
    return dict(zip(ENTRY_FIELDS[3:], entry_values(entry)))


def entry_values(entry) -> tuple:
    """The values of `entry_fields`, in ENTRY_FIELDS' order: date, value (a Decimal or None),
    total, done (None but for a milestone), note, source, qualifier (text or None), estimate, node
    (the milestone node it marks, or None)."""
    day, value, total, done, note, source, _, qualifier, estimate, _, node = entry
    return day, value, total, done, note, source, qualifier and qualifier.value, estimate, node


ENTRY_FIELDS = ("id", "group", "unit", "date", "value", "total", "done", "note", "source", "qualifier", "estimate",
                "node")


def entry_rows(targets: list[Target]) -> Iterator[dict[str, Any]]:
    """Every entry of every target, one row each, made as they are read (export streams them)."""
    return ({"id": target.id, "group": target.group, "unit": target.unit, **entry_fields(entry)}
            for target in targets for entry in target.entries)
