"""The figures of a target as of a date: pure arithmetic, no clock, no files, no printing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

from kpitrack.domain.schedule import (completion_of, day_number, day_plan_reaches, period_days, planned_percent)
from kpitrack.domain.model import Entry, Kind, Settings, Status, Target, Verdict
from kpitrack.domain.periods import cadence_of
from kpitrack.domain.qualifiers import meets, shortfall
from kpitrack.domain.timeline import empty_figure, exact, met, state_at, timeline

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
LAST_CENT = HUNDRED - CENT  # the most a target not done shows: 99.99
ZERO = Decimal(0)
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12: the average calendar month


@dataclass(frozen=True)
class Figures:
    """Where a target stands as of a date. Percentages are on a 0-100 scale, rounded half up to 0.01."""

    as_of: date
    current: Decimal
    last_update: date | None  # the date of the latest entry as of `as_of`
    completion: Decimal | None  # None: an indicator or a growth rate, or no figure reported yet (no-data)
    planned: Decimal | None  # None: a milestone, a reading kind, or a schedule of "none"
    lag: Decimal | None  # planned - completion, in points: positive = behind the calendar
    lag_days: int | None  # positive = the daily plan reached today's figure that many days ago
    projected: Decimal | None  # the figure at due, at the pace so far
    required_per_month: Decimal | None  # the pace needed from now on to finish on time
    status: Status
    stale: bool = False  # its latest figure is older than its cadence (plus grace) allows
    schedule: str = "daily"  # how its plan advances: daily, monthly, quarterly or none
    gap: Decimal | None = None  # a growth rate: reading - target, in percentage points
    change: Decimal | None = None  # reading kinds: the latest reading - the one before
    stretch_completion: Decimal | None = None  # completion of the 力争 figure (stretch_target)
    estimate: bool = False  # the figure counts an estimate (预计)
    # The year-end verdict, filled in by `report.assess` from `verdicts` (None: none yet).
    verdict: Verdict | None = None
    done_on: date | None = None
    exceeded_by: Decimal | None = None  # the final figure past the target, in its unit
    exceeded_points: Decimal | None = None  # completion - 100
    plan_completion: Decimal | None = None  # completion as a share of planned (完成序时计划的 108.89 %)
    pace: Decimal | None = None  # the pace its calendar plan was taken at (None: 100 %)
    due_soon: bool = False  # 临期: not done, and its due date within warn_days
    nodes: tuple[tuple[str, date, date | None], ...] = ()  # a node plan: (name, due, done on or None)
    late_nodes: tuple[str, ...] = ()  # its nodes past due and not done (the target is behind)
    cadence: str | int | None = None  # how often it is to report (periods.cadence_of): the ledger's 本期


Others = Mapping[str, Target]  # the workspace's targets by id, where a parent finds its parts
_FIGURES_FIELDS = frozenset(Figures.__dataclass_fields__)
_FIGURES_DEFAULTS = {name: field.default for name, field in Figures.__dataclass_fields__.items()
                     if field.default is not MISSING}
_FIGURES_REQUIRED = _FIGURES_FIELDS - _FIGURES_DEFAULTS.keys()


def made(fields: dict) -> Figures:
    """`Figures(**fields)` without its frozen __init__'s setattr a field (every target of a status
    makes one): Figures' __init__ only sets its fields, so they are set at once."""
    if not _PLAIN_INIT:  # a __post_init__, a default_factory or slots: its own __init__
        return Figures(**fields)
    every = {**_FIGURES_DEFAULTS, **fields}
    if every.keys() != _FIGURES_FIELDS:  # a field missing, or one unknown
        raise TypeError(f"Figures needs {sorted(_FIGURES_REQUIRED - fields.keys())}, has no "
                        f"{sorted(fields.keys() - _FIGURES_FIELDS)}")
    result = object.__new__(Figures)
    object.__setattr__(result, "__dict__", every)  # its fields at once, past the frozen __setattr__
    return result


_PLAIN_INIT = (not hasattr(Figures, "__post_init__") and not hasattr(Figures, "__slots__")
               and all(field.init and field.default_factory is MISSING for field in Figures.__dataclass_fields__.values()))


def figures(target: Target, as_of: date, settings: Settings = Settings(), others: Others | None = None) -> Figures:
    """Compute every figure of `target` as of the end of the day `as_of`."""
    return made(figure_fields(target, as_of, settings, others))


def figure_fields(target: Target, as_of: date, settings: Settings, others: Others | None = None) -> dict:
    """The fields of `figures` as a dict, for a caller to add to (report.assess: the verdict) before
    they are `made` into Figures: one Figures a target, not one and then a changed copy."""
    fields = _figures(target, as_of, settings, others)
    fields["cadence"] = cadence_of(target, settings)
    fields["due_soon"] = due_soon(target, as_of, fields["status"], settings)
    return fields


def _figures(target: Target, as_of: date, settings: Settings, others: Others | None) -> dict:
    """The fields of `figures` but its cadence and due_soon."""
    last_update = last_update_of(target, as_of, others)
    current = current_figure(target, as_of, others)
    if target.kind in (Kind.INDICATOR, Kind.GROWTH):
        return _reading_figures(target, as_of, settings, current, last_update)
    exact_completion = completion_of(target, current)
    completion = shown_percent(exact_completion, done := met_at(target, as_of, others))
    schedule = target.schedule or settings.schedule
    if target.kind is Kind.MILESTONE:
        status = _status(target, as_of, done, None, settings, False)
        stale = _stale(target, as_of, last_update, status, settings, others)
        if target.nodes:
            return _node_figures(target, as_of, current, last_update, completion, status, stale, schedule)
        return _unplanned(as_of, current, last_update, completion, None, status, stale, schedule)
    pace = pace_of(target, settings)
    exact_planned = (None if schedule == "none" and not target.period_plan
                     else planned_percent(target, as_of, schedule, pace))
    planned = None if exact_planned is None else to_cents(exact_planned)
    if has_no_data(target, as_of, others):
        status = _status(target, as_of, done, None, settings, True)
        return _unplanned(as_of, current, last_update, None, planned, status,
                          _stale(target, as_of, last_update, status, settings, others), schedule)
    lag = None if planned is None else planned - completion  # of the figures as shown, so readers can check
    status = _status(target, as_of, done, lag, settings, False)
    elapsed, days = day_number(target, as_of), period_days(target)
    return {
        "as_of": as_of,
        "current": current,
        "last_update": last_update,
        "completion": completion,
        "planned": planned,
        "lag": lag,
        "lag_days": None if planned is None else _lag_days(target, elapsed, days, HUNDRED if done
                                                           else min(exact_completion, LAST_CENT)),
        "projected": _projected(target, elapsed, days, current),
        "required_per_month": ZERO if done else _required_per_month(target, elapsed, days, current, exact_completion),
        "status": status,
        "stale": _stale(target, as_of, last_update, status, settings, others),
        "schedule": schedule,
        "change": _change(target, as_of) if target.kind is Kind.LEVEL else None,
        "stretch_completion": (to_cents(completion_of(target, current, target.stretch_target), ROUND_DOWN)
                               if target.stretch_target is not None else None),
        "estimate": counts_estimate(target, as_of),
        "pace": pace,
        "plan_completion": (to_cents(exact_completion / exact_planned * HUNDRED)
                            if exact_planned is not None and exact_planned > 0 else None),
    }


def _unplanned(as_of: date, current: Decimal, last_update: date | None, completion: Decimal | None,
               planned: Decimal | None, status: Status, stale: bool, schedule: str) -> dict:
    """The fields of a target with no lag, pace or projection: a milestone, or one with no data."""
    return {"as_of": as_of, "current": current, "last_update": last_update, "completion": completion,
            "planned": planned, "lag": None, "lag_days": None, "projected": None, "required_per_month": None,
            "status": status, "stale": stale, "schedule": schedule}


def _node_figures(target: Target, as_of: date, current: Decimal, last_update: date | None, completion: Decimal,
                  status: Status, stale: bool, schedule: str) -> dict:
    """A milestone's node plan: completion the share of nodes done, planned the share due; a node
    past due and not done makes it behind."""
    from kpitrack.domain.nodes import done_dates, late_nodes, planned_share

    done = done_dates(target, as_of) if as_of >= target.start else {node.name: None for node in target.nodes}
    late = late_nodes(target, as_of, done) if status is not Status.NOT_STARTED else ()
    planned = to_cents(planned_share(target, as_of)) if status is not Status.NOT_STARTED else None
    if late and status is Status.ON_TRACK:
        status = Status.BEHIND
    fields = _unplanned(as_of, current, last_update, completion, planned, status, stale, schedule)
    fields.update(lag=None if planned is None else planned - completion, late_nodes=late,
                  nodes=tuple((node.name, node.due, done[node.name]) for node in target.nodes))
    return fields


MILESTONE_WARN_DAYS = 30


def due_soon(target: Target, as_of: date, status: Status, settings: Settings) -> bool:
    """临期预警: under way, not done, and due within warn_days (the target's, its plan's or the
    workspace's; without one, 30 days for a milestone and never for the rest)."""
    days = target.warn_days if target.warn_days is not None else settings.warn_days
    if days is None:
        days = MILESTONE_WARN_DAYS if target.kind is Kind.MILESTONE else None
    if days is None or status in (Status.DONE, Status.NOT_STARTED, Status.TRACKED, Status.OVERDUE) \
            or as_of > target.due:
        return False
    return (target.due - as_of).days <= days


def own_plan(target: Target, result: Figures) -> bool:
    """Whether the target's plan is its own ([planned] or a pace), so that the share of it done
    (plan_completion) is worth a line of its own beside completion and planned."""
    return result.plan_completion is not None and (bool(target.period_plan) or result.pace is not None)


def pace_of(target: Target, settings: Settings) -> Decimal | None:
    """The pace the calendar rule is taken at: the target's, else its plan's or the workspace's."""
    return target.pace if target.pace is not None else settings.pace


def shown_percent(exact: Decimal, done: bool) -> Decimal:
    """A percentage as shown: half up to 0.01, except that a target not done (short of its figure,
    or at it when the pledge says 超 or the reading 近) never shows 100."""
    shown = to_cents(exact)
    return min(shown, LAST_CENT) if not done and shown >= HUNDRED else shown


def has_no_data(target: Target, as_of: date, others: Others | None = None) -> bool:
    """Under way with nothing reported (未报送): a cumulative or level target past its start with no
    entry by `as_of` and no `baseline` in its file; a parent when all its parts are. Never a milestone."""
    if target.kind is Kind.MILESTONE or as_of < target.start:
        return False
    if adds_up_parts(target, others):
        return all(has_no_data(others[part_id], as_of, others) for part_id in target.parts)
    return not target.baseline_given and state_at(target, as_of) is None


def _reading_figures(target: Target, as_of: date, settings: Settings, current: Decimal,
                     last_update: date | None) -> dict:
    """An indicator is tracked; a growth rate is judged on its latest year-to-date reading, the bar
    from the first month: nothing is prorated, and the difference is in percentage points."""
    known = state_at(target, as_of) is not None
    change = _change(target, as_of)
    estimate = counts_estimate(target, as_of)
    if target.kind is Kind.INDICATOR:
        status = Status.NOT_STARTED if as_of < target.start else Status.TRACKED
        gap = None
    else:
        gap = current - target.target if known else None
        status = growth_status(target, as_of, settings)
    fields = _unplanned(as_of, current, last_update, None, None, status,
                        is_stale(target, as_of, last_update, status, settings), _FIGURES_DEFAULTS["schedule"])
    fields.update(gap=gap, change=change, estimate=estimate)
    return fields


def growth_status(target: Target, as_of: date, settings: Settings) -> Status:
    """Met (its qualifier counted) while the latest reading meets the target; short of it, at-risk
    under `growth_red` points and behind beyond; the reading dated on the due date decides."""
    known = state_at(target, as_of)
    final = final_reading(target, as_of)
    if as_of < target.start:
        return Status.NOT_STARTED
    if as_of >= target.due and not final:
        return Status.OVERDUE
    if not known:
        return Status.NO_DATA  # no reading yet: nothing to judge (未报送)
    latest = final or known
    if meets(target, latest.figure, latest.wording):
        return Status.DONE if final else Status.ON_TRACK
    if as_of >= target.due:
        return Status.OVERDUE
    return Status.AT_RISK if shortfall(target, latest.figure) < settings.growth_red else Status.BEHIND


def final_reading(target: Target, as_of: date):
    """The state at the end of the due date, when an entry is dated on it and `as_of` has reached
    it (a growth rate's full-year reading); else None."""
    if as_of < target.due:
        return None
    final = state_at(target, target.due)
    return final if final is not None and final.day == target.due else None


def _change(target: Target, as_of: date) -> Decimal | None:
    """The latest reading minus the one before it, for targets whose entries are readings."""
    state = state_at(target, as_of)
    return state.change if state else None


def counts_estimate(target: Target, as_of: date) -> bool:
    """Whether the figure as of `as_of` rests on an estimate: the latest reading is one, or, for a
    running sum, any entry since the latest total."""
    state = state_at(target, as_of)
    return state is not None and state.estimate


def latest_qualifier(target: Target, as_of: date, others: Others | None = None):
    """The wording (近, 超, 约) of the latest figure: it bounds the current figure."""
    if adds_up_parts(target, others):
        return None
    state = state_at(target, as_of)
    return state.wording if state else None


def met_at(target: Target, as_of: date, others: Others | None = None) -> bool:
    """Whether the figure as of `as_of` meets the target as worded (超, 以上, 左右, 以内): the state
    of its day knows (timeline.fold asks `met` of the figure and wording of every day), else the
    figure before any entry, or the sum of its parts, is asked."""
    if not adds_up_parts(target, others) and (state := state_at(target, as_of)) is not None:
        return state.met_since is not None
    return met(target)(current_figure(target, as_of, others), latest_qualifier(target, as_of, others))


def _stale(target: Target, as_of: date, last_update: date | None, status: Status, settings: Settings,
           others: Others | None) -> bool:
    """A roll-up is stale when any of its parts is: one district that stopped reporting is enough."""
    if adds_up_parts(target, others) and status not in (Status.DONE, Status.NOT_STARTED, Status.NO_DATA):
        return any(figures(others[part_id], as_of, settings, others).stale for part_id in target.parts)
    return is_stale(target, as_of, last_update, status, settings)


def is_stale(target: Target, as_of: date, last_update: date | None, status: Status, settings: Settings) -> bool:
    """Whether a new figure was due by now: the latest entry (or the start, before any: a target
    that never reported is stale once its first period and the grace are over) plus the cadence
    plus the grace days lies before `as_of`. Done and not-started targets are never stale; a
    milestone is chased only by a cadence its file or plan.toml sets, not kpitrack.toml's."""
    cadence = cadence_of(target, settings)  # a milestone: not monthly by default
    if cadence is None or status in (Status.DONE, Status.NOT_STARTED):
        return False
    from dateutil.relativedelta import relativedelta

    steps = {"weekly": relativedelta(weeks=1), "monthly": relativedelta(months=1),
             "quarterly": relativedelta(months=3), "yearly": relativedelta(years=1)}
    step = steps[cadence] if isinstance(cadence, str) else relativedelta(days=cadence)
    expected_by = (last_update or target.start) + step + relativedelta(days=settings.stale_grace_days)
    return as_of > expected_by


def adds_up_parts(target: Target, others: Others | None) -> bool:
    """A parent without entries of its own takes its figure from its parts."""
    return bool(target.parts) and not target.entries and others is not None


def current_figure(target: Target, as_of: date, others: Others | None = None) -> Decimal:
    """The figure as of `as_of`: baseline plus progress (cumulative), the latest reading (level),
    1 for a milestone done and 0 otherwise, or the exact sum of its parts' figures (a parent)."""
    if adds_up_parts(target, others):
        return parts_sum(target, as_of, others)
    state = state_at(target, as_of)
    return state.figure if state else empty_figure(target)


def parts_sum(target: Target, as_of: date, others: Others) -> Decimal:
    """The parts' figures as of `as_of`, each converted exactly to the parent's unit, added up."""
    return _added(target, [(others[part_id], _counted(others[part_id], current_figure(others[part_id], as_of, others)))
                           for part_id in target.parts])


def _counted(part: Target, figure: Decimal) -> Decimal:
    """A part's figure as its parent adds it up: a milestone (with or without nodes) counts 1 when done."""
    return figure if part.kind is not Kind.MILESTONE else Decimal(figure >= part.target)


def summed(parent: Target, parts: list[Target], figure: str) -> Decimal:
    """The parts' `figure` ("target" or "baseline"), each converted exactly to the parent's unit, added up."""
    return _added(parent, [(part, getattr(part, figure) if part.kind is not Kind.MILESTONE
                            else Decimal(figure == "target")) for part in parts])  # a milestone: one of them


def _added(parent: Target, figures: list[tuple[Target, Decimal]]) -> Decimal:
    from kpitrack.domain.units import conversion, tidy

    with exact():
        return tidy(sum((value * (1 if part.kind is Kind.MILESTONE else conversion(part.unit, parent.unit))
                         for part, value in figures), Decimal(0)))


def last_update_of(target: Target, as_of: date, others: Others | None = None) -> date | None:
    """The date of the latest entry as of `as_of`: of its parts, for a parent that adds them up."""
    if adds_up_parts(target, others):
        return max(filter(None, (last_update_of(others[part_id], as_of, others) for part_id in target.parts)),
                   default=None)
    state = state_at(target, as_of)
    return state.day if state else None


def disagreements(target: Target, others: Others) -> list[tuple[Entry, Decimal, Decimal]]:
    """For a parent with entries of its own: (entry, its figure, the parts' sum) on each entry's
    date where the two differ."""
    if not target.parts or not target.entries:
        return []
    own_at = figure_function(target)  # its own entries, as one pass: not a figure afresh per entry
    parts_at = [(others[part_id], figure_function(others[part_id], others)) for part_id in target.parts]
    found = []
    for entry in target.entries:
        own = own_at(entry.date)
        summed = _added(target, [(part, _counted(part, figure_at(entry.date))) for part, figure_at in parts_at])
        if own != summed:
            found.append((entry, own, summed))
    return found


# `elapsed` is day_number(target, as_of) and `days` period_days(target) in the three below: worked out once.

def _lag_days(target: Target, elapsed: int, days: int, completion: Decimal) -> int | None:
    if elapsed <= 0:
        return None
    if completion >= HUNDRED:  # done: ahead by the days left to due, never behind
        return min(elapsed - days, 0)
    return elapsed - day_plan_reaches(target, completion)


def _projected(target: Target, elapsed: int, days: int, current: Decimal) -> Decimal | None:
    elapsed = min(elapsed, days)
    if elapsed <= 0:
        return None
    pace = (current - target.baseline) / elapsed
    return to_cents(target.baseline + pace * days)


def _required_per_month(target: Target, elapsed: int, days: int, current: Decimal,
                        completion: Decimal) -> Decimal | None:
    if completion >= HUNDRED:
        return Decimal(0)
    days_left = days - max(elapsed, 0)
    if days_left <= 0:
        return None
    return to_cents((target.target - current) * DAYS_PER_MONTH / days_left)


def _status(target: Target, as_of: date, done: bool, lag: Decimal | None,
            settings: Settings, no_data: bool) -> Status:
    """Done is decided on the exact figures and the target's wording, never on a rounded one."""
    if as_of < target.start:
        return Status.NOT_STARTED
    if no_data:
        return Status.NO_DATA
    if done:
        return Status.DONE
    if as_of >= target.due:  # an as-of date is the end of that day: short of it on the due date is over
        return Status.OVERDUE
    if target.kind is Kind.MILESTONE:  # on track until its due day ends without it
        return Status.ON_TRACK
    yellow = target.yellow if target.yellow is not None else settings.yellow  # its own bands first
    red = target.red if target.red is not None else settings.red
    if lag is None or lag <= 0 or lag < yellow:  # no calendar plan (schedule "none"), or not behind
        return Status.ON_TRACK
    return Status.AT_RISK if lag < red else Status.BEHIND


def to_cents(number: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    # Extra precision so that a 28-digit figure still has room for its two decimals: a context of
    # its own (kpitrack sets no traps or flags of its own anywhere), not a localcontext a call.
    rounded = number.quantize(CENT, rounding, _CENTS)
    return rounded if rounded else rounded.copy_abs()  # no "-0.00"


_CENTS = Context(prec=100)


def figure_function(target: Target, others: Others | None = None) -> Callable[[date], Decimal]:
    """`current_figure(target, day, others)` as a function of the day, for many days: the target's
    timeline, looked up by day."""
    if adds_up_parts(target, others):
        parts = [(others[part_id], figure_function(others[part_id], others)) for part_id in target.parts]
        return lambda day: _added(target, [(part, _counted(part, figure_of(day))) for part, figure_of in parts])
    days, empty = timeline(target), empty_figure(target)
    return lambda day: state.figure if (state := days.at(day)) else empty
