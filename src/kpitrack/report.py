"""Reports: which targets, in what order and groups; roll-ups, summaries, the attention list and
every status sentence, built once as plain records for every format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

from kpitrack.compute import HUNDRED, Figures, disagreements, entries_as_of, figures, to_cents
from kpitrack.display import entry_value, lag_cell, progress_cell, visible, with_unit
from kpitrack.errors import KpitrackError
from kpitrack.model import Kind, Plan, Status, Target, Workspace
from kpitrack.schema import target_warnings


@dataclass(frozen=True)
class Summary:
    """How a group of targets stands: counts by status, and the share on track (done or on-track)."""

    targets: int
    counts: dict[Status, int]
    stale: int
    on_track_share: Decimal | None  # percent; None for no targets
    done_share: Decimal | None = None


def summarize(results: list[Figures]) -> Summary:
    counts = {status: sum(1 for result in results if result.status is status) for status in Status}

    def share(count: int) -> Decimal | None:
        return to_cents(Decimal(count) * HUNDRED / len(results)) if results else None

    return Summary(len(results), counts, sum(1 for result in results if result.stale),
                   share(counts[Status.DONE] + counts[Status.ON_TRACK]), share(counts[Status.DONE]))


def worst_lagging(items: list[tuple[Target, Figures]]) -> tuple[Target, Figures] | None:
    """The target furthest behind the calendar (largest positive lag) among those under way and not
    done; None when none is behind."""
    lagging = [item for item in items if item[1].lag is not None and item[1].lag > 0
               and item[1].status not in (Status.DONE, Status.NOT_STARTED)]
    return max(lagging, key=lambda item: item[1].lag, default=None)


ATTENTION = (Status.AT_RISK, Status.BEHIND, Status.OVERDUE)


def is_flagged(result: Figures, statuses: tuple[Status, ...], stale: bool) -> bool:
    """Whether `result` has one of `statuses`, or is stale when `stale` is asked for."""
    return result.status in statuses or (stale and result.stale)


Item = tuple[Target, Figures]
SORT_KEYS = ("id", "lag", "due")


def evaluate(workspace: Workspace, as_of: date, tag: str | None = None, group: str | None = None,
             statuses: tuple[Status, ...] = (), stale: bool = False) -> list[Item]:
    """(target, figures) of every target of the workspace that passes the filters, in file order;
    with `statuses` (or `stale`), only the targets flagged so."""
    others = workspace.by_id()
    items = [(target, figures(target, as_of, workspace.settings, others)) for target in workspace.targets
             if (tag is None or tag in target.tags) and (group is None or in_group(target.group, group))]
    if statuses or stale:
        items = [item for item in items if is_flagged(item[1], statuses, stale)]
    return items


def in_group(target_group: str, wanted: str) -> bool:
    """Whether a target's folder is `wanted` or lies below it."""
    wanted = wanted.strip("/")
    return target_group == wanted or target_group.startswith(wanted + "/")


def ordered(items: list[Item], sort: str = "id") -> list[Item]:
    """Grouped by folder; within each, by id, by lag (most behind first, no lag last) or by due date."""
    def key(item: Item):
        target, result = item
        if sort == "lag":
            return (target.group, result.lag is None, -(result.lag or 0), target.id)
        if sort == "due":
            return (target.group, target.due, target.id)
        return (target.group, target.id)
    return sorted(items, key=key)


def workspace_warnings(workspace: Workspace) -> list[KpitrackError]:
    """What is allowed but probably a slip: entries outside their period, and parents whose own
    figures disagree with the sum of their parts."""
    others = workspace.by_id()
    warnings = []
    for target in workspace.targets:
        warnings += target_warnings(target)
        warnings += [KpitrackError(f"warning: {own} on {entry.date}, but its parts add up to {summed}",
                                   target.path, entry.line)
                     for entry, own, summed in disagreements(target, others)]
    return warnings


# The documented JSON/CSV fields of a status row, in order.
STATUS_FIELDS = (
    "id", "title", "group", "unit", "kind", "direction", "baseline", "target", "current",
    "completion", "planned", "lag", "lag_days", "projected", "required_per_month", "status",
    "stale", "start", "due", "last_update",
)


def status_row(target: Target, figures: Figures) -> dict[str, Any]:
    """The figures of one target as plain values: Decimals, ints, ISO dates, None for unknowns."""
    milestone = target.kind is Kind.MILESTONE
    return {
        "id": target.id,
        "title": target.title,
        "group": target.group,
        "unit": target.unit,
        "kind": target.kind.value,
        "direction": target.direction.value,
        "baseline": target.baseline,
        "target": target.target,
        "current": figures.current,
        "completion": figures.completion,
        "planned": figures.planned,
        "lag": figures.lag,
        "lag_days": figures.lag_days,
        "projected": None if milestone else figures.projected,
        "required_per_month": figures.required_per_month,
        "status": figures.status.value,
        "stale": figures.stale,
        "start": target.start.isoformat(),
        "due": target.due.isoformat(),
        "last_update": figures.last_update.isoformat() if figures.last_update else None,
    }


def entry_fields(entry) -> dict[str, Any]:
    """One progress entry as plain values, as `show --format json` and `export` give it."""
    return {"date": entry.date, "value": entry.value, "total": entry.total, "done": entry.done,
            "note": entry.note, "source": entry.source}


ENTRY_FIELDS = ("id", "group", "unit", "date", "value", "total", "done", "note", "source")


def entry_rows(targets: list[Target]) -> Iterator[dict[str, Any]]:
    """Every entry of every target, one row each, made as they are read (export streams them)."""
    return ({"id": target.id, "group": target.group, "unit": target.unit, **entry_fields(entry)}
            for target in targets for entry in target.entries)


def tree_order(items: list[Item]) -> list[tuple[Item, int]]:
    """Items with their depth: each parent followed by its parts (indented), the rest as they come."""
    by_id = {target.id: (target, figures) for target, figures in items}
    part_ids = {part for target, _ in items for part in target.parts if part in by_id}
    ordered: list[tuple[Item, int]] = []
    placed: set[str] = set()

    def place(item: Item, depth: int) -> None:
        if item[0].id in placed:
            return
        placed.add(item[0].id)
        ordered.append((item, depth))
        for part in item[0].parts:
            if part in by_id:
                place(by_id[part], depth + 1)

    for item in items:
        if item[0].id not in part_ids:
            place(item, 0)
    for item in items:  # parts whose parents were filtered out
        place(item, 0)
    return ordered


def by_group(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Items in runs of one folder each, in the order given."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item[0].group, []).append(item)
    return list(groups.items())


def summary_line(summary: Summary) -> str:
    """`12 targets: 3 done, 5 on-track, 4 behind; 66.67% on track; 2 stale`."""
    counts = ", ".join(f"{count} {status.value}" for status, count in summary.counts.items() if count)
    share = f"; {summary.on_track_share}% on track (done or on-track)" if summary.on_track_share is not None else ""
    stale = f"; {summary.stale} stale" if summary.stale else ""
    noun = "target" if summary.targets == 1 else "targets"
    return f"{summary.targets} {noun}: {counts}{share}{stale}"


def attention_items(items: list[Item]) -> list[Item]:
    return [item for item in items if is_flagged(item[1], ATTENTION, stale=True)]


def attention_text(target: Target, figures: Figures, last: int = 3) -> str:
    """A few lines on a target that needs attention: where it stands, the pace needed, its last entries."""
    status = figures.status.value + (", stale" if figures.stale else "")
    lines = [f"{target.id} ({status}): {visible(target.title)}",
             f"  {progress_cell(target, figures)}, {figures.completion}% done"
             + (f", planned {figures.planned}%, lag {lag_cell(figures, ', ')}" if figures.planned is not None else "")]
    if figures.required_per_month:
        lines.append(f"  needs {with_unit(figures.required_per_month, target.unit)} a month "
                     f"to finish by {target.due.isoformat()}")
    known = entries_as_of(target, figures.as_of)
    for entry in known[-last:]:
        note = f" ({visible(entry.note)})" if entry.note else ""
        lines.append(f"  {entry.date.isoformat()}: {entry_value(entry)}{' (total)' if entry.total else ''}{note}")
    if not known:
        lines.append("  no entries yet")
    return "\n".join(lines)


def plan_rows(items: list[Item], plans: dict[str, Plan]) -> list[dict[str, Any]]:
    """One row per folder of targets: its plan, counts by status, shares done and on track, and
    the pledge furthest behind."""
    rows = []
    for group, members in by_group(sorted(items, key=lambda item: item[0].group)):
        summary = summarize([figures for _, figures in members])
        worst = worst_lagging(members)
        plan = plans.get(group)
        rows.append({
            "group": group, "title": plan.title if plan else None, "issuer": plan.issuer if plan else None,
            "date": plan.date.isoformat() if plan and plan.date else None,
            "period": plan.period if plan else None, "source": plan.source if plan else None,
            "targets": summary.targets,
            "counts": {status.value: count for status, count in summary.counts.items()},
            "stale": summary.stale, "done_share": summary.done_share, "on_track_share": summary.on_track_share,
            "worst": {"id": worst[0].id, "lag": worst[1].lag} if worst else None,
        })
    return rows
