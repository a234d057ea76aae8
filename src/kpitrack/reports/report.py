"""Reports: which targets, in what order and groups; roll-ups, summaries, the attention list and
every status sentence, built once as plain records for every format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from kpitrack.domain.compute import HUNDRED, Figures, disagreements, figure_fields, figures, made, to_cents
from kpitrack.domain.timeline import entries_as_of
from kpitrack.words.display import (CHANGE, COMPLETION, DIFFERENCE, done_cell, exceeded, done_label, entry_value, lag_cell, lag_points, percent, printed_lag, progress_cell, shown,
                              title_of, visible, with_stretch, with_unit)
from kpitrack.domain.errors import KpitrackError, KpitrackWarning
from kpitrack.words.i18n import N_, _, language, ngettext
from kpitrack.domain.model import Kind, Plan, Settings, Status, Target, Verdict, Workspace
from kpitrack.domain.verdicts import outcome
from kpitrack.reports.pace import cell_words
from kpitrack.words.typed import EXCEEDED_CODE


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

    pledges = len(results) - counts[Status.TRACKED]  # an indicator is watched, not on or off track

    def share(count: int) -> Decimal | None:
        return to_cents(Decimal(count) * HUNDRED / pledges) if pledges else None

    return Summary(len(results), counts, sum(1 for result in results if result.stale),
                   share(counts[Status.DONE] + counts[Status.ON_TRACK]), share(counts[Status.DONE]))


def worst_lagging(items: list[tuple[Target, Figures]]) -> tuple[Target, Figures] | None:
    """The target furthest behind the calendar (largest positive lag) among those under way and not
    done; None when none is behind."""
    lagging = [item for item in items if item[1].lag is not None and item[1].lag > 0
               and item[1].status not in (Status.DONE, Status.NOT_STARTED)]
    return max(lagging, key=lambda item: item[1].lag, default=None)


ATTENTION = (Status.AT_RISK, Status.BEHIND, Status.OVERDUE)
DUE_SOON = "due-soon"  # the code that asks for targets flagged 临期, beside statuses and verdicts


def is_flagged(result: Figures, statuses: tuple[Status | Verdict, ...], stale: bool) -> bool:
    """Whether `result` has one of `statuses` (or verdicts), or is stale when `stale` is asked for."""
    return (result.status in statuses or result.verdict in statuses or (stale and result.stale)
            or (result.due_soon and DUE_SOON in statuses) or (EXCEEDED_CODE in statuses and exceeded(result)))


def assess(target: Target, as_of: date, settings: Settings = Settings(), others=None) -> Figures:
    """The figures of `target` as of `as_of`, with its year-end verdict. A target with a verdict is
    judged, and an indicator past its period is over: neither is stale any more (the verdict says
    whether it was reported)."""
    fields = figure_fields(target, as_of, settings, others)
    found = outcome(target, as_of, others)
    over = found.verdict is not None or (target.kind is Kind.INDICATOR and as_of >= target.due)
    fields.update(verdict=found.verdict, done_on=found.done_on, exceeded_by=found.exceeded_by,
                  exceeded_points=found.exceeded_points, stale=fields["stale"] and not over)
    return made(fields)


Item = tuple[Target, Figures]


def evaluate(workspace: Workspace, as_of: date, tag: str | None = None, group: str | None = None,
             statuses: tuple[Status | Verdict, ...] = (), stale: bool = False, owner: str | None = None,
             closed: bool = True) -> list[Item]:
    """(target, figures) of every target of the workspace that passes the filters, in file order;
    with `statuses` (or `stale`), only the targets flagged so. Without `closed`, the targets of
    closed plans are left out, unless `group` names them. The workspace's scope (--dir into a
    plan's folder) limits it like a group."""
    others = workspace.by_id()
    shut = set() if closed or group is not None else closed_groups(workspace, as_of)
    by_group: dict[str, Settings] = {}  # a plan.toml's settings over the workspace's: made once a folder
    settings_of = lambda target: by_group.get(target.group) or by_group.setdefault(  # noqa: E731
        target.group, workspace.settings_for(target))
    items = [(target, assess(target, as_of, settings_of(target), others)) for target in workspace.targets
             if (tag is None or tag in target.tags) and (group is None or in_group(target.group, group))
             and (not workspace.scope or in_group(target.group, workspace.scope))
             and (owner is None or any(owner.casefold() in unit.casefold() for unit in target.owners()))
             and target.group not in shut]
    if statuses or stale:
        items = [item for item in items if is_flagged(item[1], statuses, stale)]
    return items


def closed_groups(workspace: Workspace, as_of: date) -> set[str]:
    """The folders whose plan is closed as of `as_of`: its plan.toml says `closed = true`, or (unless
    it says `closed = false`) its last due date lies more than close_after_days before. Targets at
    the workspace root belong to no plan: they close only when a root plan.toml says so."""
    from datetime import timedelta

    last_due: dict[str, date] = {}
    for target in workspace.targets:
        last_due[target.group] = max(last_due.get(target.group, target.due), target.due)
    shut = set()
    for group, due in last_due.items():
        plan = workspace.plans.get(group)
        said = plan.closed if plan else None
        if said or (said is None and group and as_of > due + timedelta(days=workspace.settings.close_after_days)):
            shut.add(group)
    return shut


def in_group(target_group: str, wanted: str) -> bool:
    """Whether a target's folder is `wanted` or lies below it."""
    wanted = wanted.strip("/")
    return not wanted or target_group == wanted or target_group.startswith(wanted + "/")


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
    """What is allowed but probably a slip: entries outside their period, identical entries and two
    totals on one day, and parents whose own figures disagree with the sum of their parts."""
    from kpitrack.files.entrycheck import entry_doubts  # validate and check, not status
    from kpitrack.files.schema import target_warnings

    others = workspace.by_id()
    warnings = []
    for target in workspace.targets:
        warnings += target_warnings(target)
        warnings += [KpitrackWarning(doubt, target.path, entry.line)
                     for entry, doubt in entry_doubts(target)]
        warnings += [KpitrackWarning(N_("{own} on {date}, but its parts add up to {summed}"), target.path, entry.line,
                                     own=own, date=entry.date, summed=summed)
                     for entry, own, summed in disagreements(target, others)]
    return warnings


def tree_order(items: list[Item]) -> list[tuple[Item, int]]:
    """Items with their depth: each parent followed by its parts (indented), the rest as they come."""
    by_id = {target.id: (target, result) for target, result in items}
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


def summary_line(items: list[Item], share: bool = True, stale: bool = True, zeros: bool = True) -> str:
    """`12 targets: 3 done (1 exceeded), 5 on-track, 1 at-risk, 2 behind, 1 no-data; 66.67% on track
    (done or on-track); 2 stale` (in Chinese with the lights: 绿灯 5，黄灯 1，红灯 2): the rows counted
    by what their status cells say (pace.cell_counts), so the line names only what its rows do."""
    from kpitrack.reports.pace import cell_counts, count_phrase

    summary = summarize([result for _, result in items])
    parts = [count_phrase(count) for count in cell_counts(items, zeros=zeros)]
    # One rule for every format: the count is of the rows below it, pledges and indicators alike.
    line = _("{targets}: {counts}").format(
        targets=ngettext("{count} target", "{count} targets", summary.targets).format(count=summary.targets),
        counts=_(", ").join(parts))
    if summary.on_track_share is not None and share:
        line += _("; ") + _("{share} on track (done or on-track)").format(share=percent(summary.on_track_share))
    if summary.stale and stale:
        line += _("; ") + _("{count} stale").format(count=summary.stale)
    return line


def attention_items(items: list[Item]) -> list[Item]:
    return [item for item in items if is_flagged(item[1], ATTENTION, stale=True)]


def lag_sentence(result: Figures, days: bool = True) -> str:
    """`lag +7.33 pt, +22 d` in English; in Chinese the offices' own words at the printed precision,
    no spaces: `低于序时进度7.33个百分点`, `超序时进度7.33个百分点`, or `与序时进度持平` when the
    gap prints as zero (达进度). Without `days`, the English one gives points only (the Chinese never
    gives days)."""
    if result.lag is None:
        return ""
    if language() == "en":
        return _("lag {lag}").format(lag=lag_cell(result, ", ") if days else lag_points(result))
    lag = printed_lag(result)
    if lag > 0:
        return _("below plan by {points} points").format(points=lag)
    if lag.is_zero():
        return _("level with plan")
    return _("ahead of plan by {points} points").format(points=-lag)


# A target's completion in a phrase; a growth rate's difference from its target, an indicator's change
DONE_PHRASES = {COMPLETION: N_("{completion} done"), DIFFERENCE: N_("{completion} against the target"),
                CHANGE: N_("{completion} since the previous reading")}


def done_phrase(result: Figures) -> str:
    """`79.17% done` (`完成率 79.17%`, with a 力争 pledge's stretch completion), `与目标相差 -1.9个百分点`
    for a growth rate, `较上期-2.9` for an indicator, as `show` names them: the attention lines and
    `check`'s lines."""
    label = done_label(result)
    completion = (with_stretch(percent(result.completion), result.stretch_completion)
                  if result.completion is not None else done_cell(result))
    if label is CHANGE:  # 较上期-2.9, as `show` words it
        completion = f"{result.change:+}"
    return _(DONE_PHRASES[label]).format(completion=completion)


def attention_lines(target: Target, result: Figures, last: int = 3) -> list[str]:
    """A few lines on a target that needs attention: its id and title, then, indented, its status cell
    and where it stands, the pace needed and its last entries."""
    status = _(", ").join(cell_words(target, result))  # as its status cell says
    lines = [f"{target.id}: {visible(title_of(target))}",
             "  " + status + _("; ") + progress_cell(target, result) + _(", ") + done_phrase(result)
             + (_(", ") + _("planned {planned}").format(planned=percent(result.planned))
                + (_(", ") + lag_sentence(result) if result.lag is not None else "")
                if result.planned is not None else "")]
    if result.required_per_month:
        lines.append("  " + _("needs {pace} a month to finish by {due}").format(
            pace=with_unit(result.required_per_month, target.unit), due=target.due.isoformat()))
    known = entries_as_of(target, result.as_of)
    for entry in known[-last:]:
        note = f" ({visible(entry.note)})" if entry.note else ""
        total = _(" (total)") if entry.total else ""
        lines.append(f"  {entry.date.isoformat()}: {entry_value(entry)}{total}{note}")
    if not known:
        lines.append("  " + _("no entries yet"))
    return lines


def plan_rows(items: list[Item], plans: dict[str, Plan], closed: set[str] = frozenset()) -> list[dict[str, Any]]:
    """One row per folder of targets: its plan, whether it is closed (its tally then final), counts
    by status, shares done and on track, and the pledge furthest behind."""
    rows = []
    for group, members in by_group(sorted(items, key=lambda item: item[0].group)):
        summary = summarize([result for _, result in members])
        worst = worst_lagging(members)
        plan = plans.get(group)
        rows.append({
            "group": group, "title": plan.title if plan else None, "issuer": plan.issuer if plan else None,
            "date": plan.date.isoformat() if plan and plan.date else None,
            "period": plan.period if plan else None, "source": plan.source if plan else None,
            "closed": group in closed, "targets": summary.targets,
            "pledges": summary.targets - summary.counts[Status.TRACKED],  # done_share's whole: indicators are not pledged
            "counts": {status.value: count for status, count in summary.counts.items()},
            "stale": summary.stale, "done_share": summary.done_share, "on_track_share": summary.on_track_share,
            "verdicts": verdict_counts(members),
            "worst": {"id": worst[0].id, "lag": worst[1].lag, "vs_plan": shown(worst[1]).vs_plan} if worst else None,
        })
    return rows


def verdict_counts(items: list[Item]) -> dict[str, int]:
    """How many pledges ended each way (met early, on time, late; missed; not reported), and how many
    have no verdict yet (not due, or indicators)."""
    counts = {verdict.value: 0 for verdict in Verdict}
    counts["none"] = 0
    for _target, result in items:
        counts[result.verdict.value if result.verdict else "none"] += 1
    return counts


RED = (Status.BEHIND, Status.OVERDUE)
NO_OWNER = "(no owner)"


def by_unit(pairs: Iterable[tuple[Target, Any]]) -> list[tuple[str, list[tuple[Target, Any]]]]:
    """(unit, its pairs) for each responsible unit (责任单位), sorted: a target is under its lead
    unit and under each co-unit it names, under NO_OWNER when it names none."""
    units: dict[str, list[tuple[Target, Any]]] = {}
    for target, value in pairs:
        for unit in target.owners() or (NO_OWNER,):
            units.setdefault(unit, []).append((target, value))
    return sorted(units.items())


def owner_rows(items: list[Item]) -> list[dict[str, Any]]:
    """Per owner (责任单位), for the monthly 催报: how many pledges, how many red (behind or
    overdue), and which have not reported (未报送: no figure yet, though under way) or are stale."""
    rows = []
    for owner, pairs in by_unit((item[0], item) for item in items):
        members = [item for _, item in pairs]
        rows.append({
            "owner": owner, "targets": len(members),
            "red": sum(1 for _, result in members if result.status in RED),
            "unreported": [target.id for target, result in members
                           if result.status is Status.NO_DATA or result.verdict is Verdict.NOT_REPORTED],  # 未报送
            "stale": [target.id for target, result in members if result.stale and result.last_update is not None],
            "co": [target.id for target, _ in members if owner in target.co_owners],  # 配合; the rest 牵头
        })
    return rows


def changes_since(workspace: Workspace, items: list[Item], since: date) -> list[dict[str, Any]]:
    """What changed between `since` and the items' as-of day, by the one rule (reports.changes): newly
    done (any target), turned red (from outside the red statuses: a move from behind to overdue is not
    news to a report), recovered; and figures revised (by `kpitrack fix`, as its journal in .kpitrack/
    remembers, 30 days)."""
    from kpitrack.reports.journalled import revision_words, revisions

    others = workspace.by_id()
    rows = []
    for target, now in items:
        then = figures(target, since, workspace.settings_for(target), others)
        change = since_change(then.status.value, now.status.value)
        if change:
            rows.append({"id": target.id, "title": target.title, "change": change,
                         "was": then.status.value, "now": now.status.value})
    listed = {target.id for target, _ in items}
    for record in revisions(workspace.root, since):
        if record["id"] in listed:
            rows.append({"id": record["id"], "title": others[record["id"]].title, "change": "revised",
                         "was": None, "now": revision_words(record)})
    return rows


def since_change(was: str, now: str) -> str | None:
    """What a report tells of a move of status since a date (reports.changes.status_change against
    the red statuses): newly done, turned red, recovered, or None."""
    from kpitrack.reports.changes import DONE, RECOVERED, TURNED, status_change

    red = {status.value for status in RED}
    kind = status_change(was, now, red)
    return {DONE: "newly done", RECOVERED: "recovered"}.get(kind) or (
        "turned red" if kind == TURNED and was not in red else None)
