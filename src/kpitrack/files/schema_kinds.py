"""The rules of the kinds and qualifiers of a target file: which keys each kind takes, and how a
qualifier, tolerance and 力争 figure must fit the target; and the quick reading of a progress table
that is plainly right, with the bounds of every value. Called by `schema`, which parses the values."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kpitrack.domain.parse import LAST_YEAR
from kpitrack.domain.errors import KpitrackError, Sentence
from kpitrack.words.i18n import N_, _
from kpitrack.files.fields import PROGRESS_FIELDS, names
from kpitrack.files.names import MAX_TEXT
from kpitrack.domain.model import Direction, Entry, Kind, Qualifier, ReadingQualifier, Target
from kpitrack.domain.parse import size_problem

if TYPE_CHECKING:  # built when first used: see the end of kpitrack.domain.model
    from kpitrack.domain.plans import Checkpoint, Node

Where = Callable[[str], "int | None"]

NOT_FOR = {
    Kind.MILESTONE: ("qualifier", "tolerance", "stretch_target", "planned", "pace", "yellow", "red"),
    Kind.INDICATOR: ("target", "baseline", "checkpoint", "parts", "qualifier", "tolerance", "stretch_target",
                     "planned", "pace", "yellow", "red"),
    Kind.GROWTH: ("baseline", "checkpoint", "parts", "planned", "pace"),
}
WHY = {
    Kind.MILESTONE: N_("it is done or not"),
    Kind.INDICATOR: N_("an indicator (监测指标) is tracked, not completed"),
    Kind.GROWTH: N_("a growth rate is the bar from the first month, nothing is prorated or added up"),
}


def check_direction(baseline: Decimal, target: Decimal, direction: Direction, path: Path, line: int | None) -> None:
    if target == baseline:
        raise KpitrackError(N_("target equals baseline ({target}): there is nothing to do"), path, line, target=target)
    if direction is Direction.INCREASE and target < baseline:
        raise KpitrackError(N_("target {target} is below baseline {baseline}; "
                               "set direction = \"decrease\" if the figure must fall"), path, line, target=target,
                            baseline=baseline)
    if direction is Direction.DECREASE and target > baseline:
        raise KpitrackError(N_("target {target} is above baseline {baseline} but direction is \"decrease\""),
                            path, line, target=target, baseline=baseline)


def check_kind_keys(document: dict[str, Any], kind: Kind, path: Path, where: Where) -> None:
    """Refuse the keys a kind has no use for, before their values are read."""
    for key in NOT_FOR.get(kind, ()):
        if key in document:
            raise KpitrackError(N_("an {kind} target has no {key!r}: {why}; remove the key") if kind.value[0] in "aeiou"
                                else N_("a {kind} target has no {key!r}: {why}; remove the key"), path, where(key),
                                kind=kind.value, key=key, why=Sentence(WHY[kind]))
    if kind is Kind.GROWTH and document.get("unit") != "%":
        raise KpitrackError(N_('a growth target is a rate in per cent: set unit = "%"'), path, where("unit") or 1)
    if kind is Kind.GROWTH and "target" not in document:
        raise KpitrackError(N_("missing key 'target' (the growth rate to reach, in per cent)"), path, 1)


def check_kind_fields(document: dict[str, Any], target: Target, path: Path, where: Where) -> None:
    """How the qualifier, tolerance and 力争 figure fit the target."""
    decrease = target.direction is Direction.DECREASE
    if target.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST) and decrease:
        raise KpitrackError(N_("qualifier {qualifier!r} is for a figure that must rise; "
                               "a decrease target takes \"at-most\" (以内, 不超过) or \"about\""), path, where("qualifier"),
                            qualifier=target.qualifier.value)
    if target.qualifier is Qualifier.AT_MOST and not decrease and target.kind is not Kind.GROWTH:
        raise KpitrackError(N_('qualifier "at-most" (以内, 不超过) is for a figure that must fall: '
                               'set direction = "decrease"'), path, where("qualifier"))
    if target.tolerance is not None:
        if target.qualifier is not Qualifier.ABOUT:
            raise KpitrackError(N_('tolerance is only for qualifier = "about" (左右, 约)'), path, where("tolerance"))
        if target.tolerance <= 0:
            raise KpitrackError(N_("tolerance must be above 0 (in the target's unit), not {tolerance}"),
                                path, where("tolerance"), tolerance=target.tolerance)
    if target.stretch_target is not None:
        if target.stretch:
            raise KpitrackError(N_("a file is either a 力争 target of its own (stretch = true) or carries "
                                   "stretch_target, not both"), path, where("stretch_target"))
        beyond = target.stretch_target < target.target if not decrease else target.stretch_target > target.target
        if beyond or target.stretch_target == target.target:
            raise KpitrackError(N_("stretch_target {stretch} must be above the committed target {target} (力争 asks "
                                   "more than 确保)") if not decrease else N_("stretch_target {stretch} must be below the "
                                "committed target {target} (力争 asks more than 确保)"), path, where("stretch_target"),
                                stretch=target.stretch_target, target=target.target)


PERIOD_KEY = re.compile(r"(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))")


def period_plan_of(raw: Any, target: Target, path: Path, line: int | None, number_of) -> tuple[Checkpoint, ...]:
    """[planned]: "2024-03" = 13.5 (or "2024-Q1"): the cumulative figure planned by the end of
    each period, in the target's unit, as a point on its last day; in order and never against
    the direction, between baseline and target."""
    if raw is None:
        return ()
    import calendar  # only a file with [planned] pays for it

    from kpitrack.domain.plans import Checkpoint
    if not isinstance(raw, dict) or not raw:
        raise KpitrackError(N_('planned must be a table of periods, like [planned] "2024-03" = 13.5'), path, line)
    points: list[Checkpoint] = []
    for key, value in raw.items():
        found = PERIOD_KEY.fullmatch(key)
        if not found:
            raise KpitrackError(N_("planned period {key!r} is not a month (2024-03) or a quarter (2024-Q1)"), path, line,
                                key=key)
        year, month = int(found[1]), int(found[2]) if found[2] else int(found[3]) * 3
        first, end = date(year, month - (0 if found[2] else 2), 1), date(year, month, calendar.monthrange(year, month)[1])
        number = number_of(value, f"planned {key}", path, line)
        if end < target.start or first > target.due:  # the period must overlap [start, due]
            raise KpitrackError(N_("planned period {key} is outside the period {start} to {due}"),
                                path, line, key=key, start=target.start, due=target.due)
        points.append(Checkpoint(min(end, target.due), number))
    sign = 1 if target.direction is Direction.INCREASE else -1
    previous = target.baseline
    for before, point in zip([None, *points], points):
        if before is not None and point.date <= before.date:
            raise KpitrackError(N_("planned periods must be in order, one each"), path, line)
        if sign * (point.value - previous) < 0 or sign * (target.target - point.value) < 0:
            raise KpitrackError(N_("planned value {value} must lie between the previous period's (or the "
                                   "baseline) {previous} and the target {target}"), path, line, value=point.value,
                                previous=previous, target=target.target)
        previous = point.value
    return tuple(points)


def pace_number(raw: Any, path: Path, line: int | None, number_of) -> Decimal:
    pace = number_of(raw, "pace", path, line)
    if not 0 < pace <= 1000:
        raise KpitrackError(N_("pace must be a per cent of the calendar plan above 0 (120 for 120 %), not {pace}"),
                            path, line, pace=pace)
    return pace


def own_bands(document: dict[str, Any], path: Path, where, number_of) -> dict[str, Decimal]:
    """A target's or plan's own `yellow` and `red`, each in 0..100 points, yellow <= red when both."""
    bands = {key: number_of(document[key], key, path, where(key)) for key in ("yellow", "red") if key in document}
    if any(not 0 <= band <= 100 for band in bands.values()) or bands.get("red") == 0 or (
            len(bands) == 2 and bands["yellow"] > bands["red"]):
        raise KpitrackError(N_("bands must be 0 <= yellow <= red <= 100 with red above 0 (points of lag)"),
                            path, where("yellow") or where("red"))
    return bands


def owners_of(raw: Any, path: Path, line: int | None, text_of) -> dict[str, Any]:
    """`owner = "区发改局"`, or a list whose first is the lead unit (牵头) and the rest co-units (配合)."""
    if raw is None or isinstance(raw, str):
        return {"owner": None if raw is None else text_of(raw, "owner", path, line)}
    if not isinstance(raw, list) or not raw or not all(isinstance(unit, str) and unit.strip() for unit in raw) \
            or len(set(raw)) != len(raw):
        raise KpitrackError(N_('owner must be text, or a list of units, the lead first: owner = ["区发改局", "区统计局"]'),
                            path, line)
    return {"owner": text_of(raw[0], "owner", path, line), "co_owners": tuple(text_of(unit, "owner", path, line)
                                                                         for unit in raw[1:])}


def nodes_of(raw: Any, target: Target, path: Path, lines, text_of, date_of) -> tuple[Node, ...]:
    """[[node]] tables of a milestone: each a name (one each) and a due date within the period, in
    date order."""
    if raw is None:
        return ()
    if target.kind is not Kind.MILESTONE:
        raise KpitrackError(N_('[[node]] tables are for a milestone (kind = "milestone"), not a {kind} target: '
                               "set the kind or remove the nodes"), path, lines.get(("node", 0, None)),
                            kind=target.kind.value)
    if not isinstance(raw, list) or not raw or not all(isinstance(table, dict) for table in raw):
        raise KpitrackError(N_("node must be [[node]] tables of name and due"), path, lines.get((None, 0, "node")))
    from kpitrack.domain.plans import Node

    nodes: list[Node] = []
    for index, table in enumerate(raw):
        at = lines.get(("node", index, None))
        unknown = sorted(set(table) - {"name", "due"})
        if unknown or "name" not in table or "due" not in table:
            if unknown:
                raise KpitrackError(N_("a [[node]] takes a name and a due date, nothing else: remove {key!r}"), path,
                                    at, key=unknown[0])
            raise KpitrackError(N_("a [[node]] takes a name and a due date, nothing else"), path, at)
        node = Node(text_of(table["name"], "node name", path, at, True), date_of(table["due"], "node due", path, at))
        if any(node.name == other.name for other in nodes):
            raise KpitrackError(N_("node {name!r} is named twice: give each node a name of its own"), path, at,
                                name=node.name)
        if not target.start <= node.due <= target.due:
            raise KpitrackError(N_("node {name!r} is due {due}, outside the period {start} to {end}"), path, at,
                                name=node.name, due=node.due, start=target.start, end=target.due)
        if nodes and node.due < nodes[-1].due:
            raise KpitrackError(N_("node {name!r} is due {due}, before the node above it ({above}): list the nodes "
                                   "in date order"), path, at, name=node.name, due=node.due, above=nodes[-1].due)
        nodes.append(node)
    return tuple(nodes)


def whole_days(raw: Any, key: str, path: Path, line: int | None) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise KpitrackError(N_("{key} must be a whole number of days, 0 or more"), path, line, key=key)
    return raw


MAX_YEAR = LAST_YEAR  # 2999: dates past it leave no room for the next expected figure (a monthly cadence in 9999)


_PROGRESS_KEY_SET = frozenset(names(PROGRESS_FIELDS))
_READING_QUALIFIERS = {qualifier.value: qualifier for qualifier in ReadingQualifier}
_MISSING = object()
_sized: dict[int, Decimal] = {}  # figures already found within size_problem's bounds, by identity (held)


def plain_entries(tables: list[dict[str, Any]], at: list[int | None], target: Target,
                  problem: Callable[[Target, Entry], str | None]) -> list[Entry | None]:
    """The Entry of each progress table whose every key and value is plainly right and which fits
    `target` (no `problem`), built as `schema.entry_from_table` builds it, with `at[index]` as its
    line; None for any other, which that then checks key by key (so every message comes from one
    place). One loop, for the hundreds of thousands of entries a cold status reads."""
    keys, qualifiers, sized, new, missing = _PROGRESS_KEY_SET, _READING_QUALIFIERS, _sized, tuple.__new__, _MISSING
    entries: list[Entry | None] = []
    for table, line in zip(tables, at):
        entry = None
        get = table.get  # a key given as None (never in TOML) is told from a missing one: the slow path says why
        day, value = get("date"), get("value", missing)
        total, estimate, done = get("total", False), get("estimate", False), get("done", missing)
        note, source, qualifier, repeat = get("note", missing), get("source", missing), get("qualifier", missing), \
            get("repeat", missing)
        node = get("node", missing)
        if (type(day) is date and table.keys() <= keys and day.year <= MAX_YEAR
                and type(total) is bool and type(estimate) is bool and (done is missing or type(done) is bool)
                and (note is missing or (type(note) is str and len(note) <= MAX_TEXT))
                and (source is missing or (type(source) is str and len(source) <= MAX_TEXT))
                and (repeat is missing or (type(repeat) is int and repeat >= 2))
                and (node is missing or (type(node) is str and len(node) <= MAX_TEXT))):
            if value is missing:
                value = None
            elif sized.get(id(value)) is not value:
                value = _sized_figure(value)
            if qualifier is not missing:
                qualifier = qualifiers.get(qualifier, False) if type(qualifier) is str else False
            else:
                qualifier = None
            if value is not False and qualifier is not False:
                entry = new(Entry, (day, value, total, None if done is missing else done,
                                    None if note is missing else note, None if source is missing else source, line,
                                    qualifier, estimate, None if repeat is missing else repeat,
                                    None if node is missing else node))
                if problem(target, entry):
                    entry = None
        entries.append(entry)
    return entries


def _sized_figure(value: Any) -> Decimal | bool:
    """A figure as a Decimal within size_problem's bounds, or False."""
    if type(value) is int:
        value = Decimal(value)
    elif type(value) is not Decimal or not value.is_finite():
        return False
    if size_problem(value):
        return False
    if len(_sized) < 4096 and type(value) is Decimal:
        _sized[id(value)] = value  # held here, so no other object takes its id
    return value

def node_problem(target: Target, entry: Entry) -> str | None:
    """A milestone with nodes records each node done (or not); one without records itself."""
    names = [node.name for node in target.nodes]
    if entry.node is None and names:
        return _("this milestone has nodes: name the one done (node = \"{node}\", or add --node)").format(
            node=names[0])
    if entry.node is not None and entry.node not in names:
        if not names:
            return _("this milestone has no [[node]] tables: remove `node`, or list its nodes")
        return _("no node {node!r}: the nodes are {names}").format(node=entry.node, names=_(", ").join(names))
    return None
