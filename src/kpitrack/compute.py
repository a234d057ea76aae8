"""The figures of a target as of a date: pure arithmetic, no clock, no files, no printing."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from operator import attrgetter

from kpitrack.model import Entry, Kind, Settings, Status, Target

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12: the average calendar month


@dataclass(frozen=True)
class Figures:
    """Where a target stands as of a date. Percentages are on a 0-100 scale, rounded to 0.01."""

    as_of: date
    current: Decimal
    last_update: date | None  # the date of the latest entry as of `as_of`
    completion: Decimal
    planned: Decimal | None
    lag: Decimal | None  # planned - completion, in points: positive = behind the calendar
    lag_days: int | None  # positive = the plan reached today's figure that many days ago
    projected: Decimal | None  # the figure at due, at the pace so far
    required_per_month: Decimal | None  # the pace needed from now on to finish on time
    status: Status
    stale: bool = False  # its latest figure is older than its cadence (plus grace) allows


Others = Mapping[str, Target]  # the workspace's targets by id, where a parent finds its parts


def figures(target: Target, as_of: date, settings: Settings = Settings(), others: Others | None = None) -> Figures:
    """Compute every figure of `target` as of the end of the day `as_of`."""
    if adds_up_parts(target, others):
        last_update, current = last_update_of(target, as_of, others), current_figure(target, as_of, others)
    else:  # the entries as of the day, sorted once for both
        entries = entries_as_of(target, as_of)
        last_update, current = entries[-1].date if entries else None, _figure_of(target, entries)
    exact_completion = completion_of(target, current)
    completion = to_cents(exact_completion, ROUND_DOWN)  # never shows 100 before it is done
    if target.kind is Kind.MILESTONE:
        status = _status(target, as_of, completion, None, settings)
        stale = _stale(target, as_of, last_update, status, settings, others)
        return Figures(as_of, current, last_update, completion, None, None, None, None, None, status, stale)
    planned = to_cents(planned_percent(target, as_of))
    lag = planned - completion  # of the figures as shown, so that readers can check the subtraction
    return Figures(
        as_of=as_of,
        current=current,
        last_update=last_update,
        completion=completion,
        planned=planned,
        lag=lag,
        lag_days=_lag_days(target, as_of, exact_completion),
        projected=_projected(target, as_of, current),
        required_per_month=_required_per_month(target, as_of, current, exact_completion),
        status=(status := _status(target, as_of, completion, lag, settings)),
        stale=_stale(target, as_of, last_update, status, settings, others),
    )


def _stale(target: Target, as_of: date, last_update: date | None, status: Status, settings: Settings,
           others: Others | None) -> bool:
    """A roll-up is stale when any of its parts is: one district that stopped reporting is enough."""
    if adds_up_parts(target, others) and status not in (Status.DONE, Status.NOT_STARTED):
        return any(figures(others[part_id], as_of, settings, others).stale for part_id in target.parts)
    return is_stale(target, as_of, last_update, status, settings)


def is_stale(target: Target, as_of: date, last_update: date | None, status: Status, settings: Settings) -> bool:
    """Whether a new figure was due by now: the latest entry (or the start, before any) plus the
    cadence plus the grace days lies before `as_of`. Done and not-started targets are never stale."""
    cadence = target.cadence if target.cadence is not None else settings.cadence
    if cadence is None or status in (Status.DONE, Status.NOT_STARTED):
        return False
    from dateutil.relativedelta import relativedelta

    steps = {"weekly": relativedelta(weeks=1), "monthly": relativedelta(months=1),
             "quarterly": relativedelta(months=3), "yearly": relativedelta(years=1)}
    step = steps[cadence] if isinstance(cadence, str) else relativedelta(days=cadence)
    expected_by = (last_update or target.start) + step + relativedelta(days=settings.stale_grace_days)
    return as_of > expected_by


def entries_as_of(target: Target, as_of: date) -> list[Entry]:
    """The entries dated on or before `as_of`, oldest first; on one day, increments before totals,
    since a running total as of a day includes that day's increments."""
    known = [entry for entry in target.entries if entry.date <= as_of]
    return sorted(known, key=BY_DATE_INCREMENTS_FIRST)


BY_DATE_INCREMENTS_FIRST = attrgetter("date", "total")  # (date, total): False (an increment) sorts first


def adds_up_parts(target: Target, others: Others | None) -> bool:
    """A parent without entries of its own takes its figure from its parts."""
    return bool(target.parts) and not target.entries and others is not None


def current_figure(target: Target, as_of: date, others: Others | None = None) -> Decimal:
    """The figure as of `as_of`: baseline plus progress (cumulative), the latest reading (level),
    1 for a milestone done and 0 otherwise, or the exact sum of its parts' figures (a parent)."""
    if adds_up_parts(target, others):
        return parts_sum(target, as_of, others)
    return _figure_of(target, entries_as_of(target, as_of))


def _figure_of(target: Target, entries: list[Entry]) -> Decimal:
    """The figure of a target (not a parent adding up its parts) from its entries as of a day."""
    if target.kind is Kind.MILESTONE:
        return Decimal(1) if entries and entries[-1].done else Decimal(0)
    if target.kind is Kind.LEVEL:
        return entries[-1].value if entries else target.baseline
    progress = Decimal(0)
    for entry in entries:
        progress = entry.value if entry.total else progress + entry.value
    return target.baseline + progress


def parts_sum(target: Target, as_of: date, others: Others) -> Decimal:
    """The parts' figures as of `as_of`, each converted exactly to the parent's unit, added up."""
    return _added(target, [(others[part_id], current_figure(others[part_id], as_of, others))
                           for part_id in target.parts])


def summed(parent: Target, parts: list[Target], figure: str) -> Decimal:
    """The parts' `figure` ("target" or "baseline"), each converted exactly to the parent's unit, added up."""
    return _added(parent, [(part, getattr(part, figure)) for part in parts])


def _added(parent: Target, figures: list[tuple[Target, Decimal]]) -> Decimal:
    from kpitrack.units import conversion, tidy

    return tidy(sum((value * conversion(part.unit, parent.unit) for part, value in figures), Decimal(0)))


def last_update_of(target: Target, as_of: date, others: Others | None = None) -> date | None:
    """The date of the latest entry as of `as_of`: of its parts, for a parent that adds them up."""
    if adds_up_parts(target, others):
        return max(filter(None, (last_update_of(others[part_id], as_of, others) for part_id in target.parts)),
                   default=None)
    entries = entries_as_of(target, as_of)
    return entries[-1].date if entries else None


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
        summed = _added(target, [(part, figure_at(entry.date)) for part, figure_at in parts_at])
        if own != summed:
            found.append((entry, own, summed))
    return found


def completion_of(target: Target, current: Decimal) -> Decimal:
    """How much of the way from baseline to target `current` has come, in percent."""
    return (current - target.baseline) / (target.target - target.baseline) * HUNDRED


def day_number(target: Target, day: date) -> int:
    """Days of the period elapsed at the end of `day`: 1 at the end of `start`, 0 before it."""
    return (day - target.start).days + 1


def period_days(target: Target) -> int:
    return day_number(target, target.due)


def planned_path(target: Target) -> list[tuple[int, Decimal]]:
    """The plan as (day number, planned percent) points from the beginning of start to the end of due."""
    points = [(0, Decimal(0))]
    points += [(day_number(target, cp.date), completion_of(target, cp.value)) for cp in target.checkpoints]
    points.append((period_days(target), HUNDRED))
    return points


def planned_percent(target: Target, as_of: date) -> Decimal:
    """The share of the target the plan expects by the end of `as_of`, 0..100."""
    elapsed = day_number(target, as_of)
    points = planned_path(target)
    if elapsed <= 0:
        return Decimal(0)
    for (day_a, pct_a), (day_b, pct_b) in zip(points, points[1:]):
        if elapsed <= day_b:
            return pct_a + (pct_b - pct_a) * (elapsed - day_a) / (day_b - day_a)
    return HUNDRED


def day_plan_reaches(target: Target, completion: Decimal) -> int:
    """The first day number by whose end the plan expects `completion` (capped at due)."""
    points = planned_path(target)
    if completion <= 0:
        return 0
    for (day_a, pct_a), (day_b, pct_b) in zip(points, points[1:]):
        if pct_a < completion <= pct_b:
            exact = day_a + (completion - pct_a) * (day_b - day_a) / (pct_b - pct_a)
            return math.ceil(exact)
    return period_days(target)


def _lag_days(target: Target, as_of: date, completion: Decimal) -> int | None:
    elapsed = day_number(target, as_of)
    if elapsed <= 0:
        return None
    if completion >= HUNDRED:  # done: ahead by the days left to due, never behind
        return min(elapsed - period_days(target), 0)
    return elapsed - day_plan_reaches(target, completion)


def _projected(target: Target, as_of: date, current: Decimal) -> Decimal | None:
    elapsed = min(day_number(target, as_of), period_days(target))
    if elapsed <= 0:
        return None
    pace = (current - target.baseline) / elapsed
    return to_cents(target.baseline + pace * period_days(target))


def _required_per_month(target: Target, as_of: date, current: Decimal, completion: Decimal) -> Decimal | None:
    if completion >= HUNDRED:
        return Decimal(0)
    days_left = period_days(target) - max(day_number(target, as_of), 0)
    if days_left <= 0:
        return None
    return to_cents((target.target - current) * DAYS_PER_MONTH / days_left)


def _status(target: Target, as_of: date, completion: Decimal, lag: Decimal | None,
            settings: Settings) -> Status:
    if as_of < target.start:
        return Status.NOT_STARTED
    if completion >= HUNDRED:
        return Status.DONE
    if as_of > target.due:
        return Status.OVERDUE
    if lag is None:  # a milestone: on track until its due day ends without it
        return Status.BEHIND if as_of == target.due else Status.ON_TRACK
    if lag <= 0:
        return Status.ON_TRACK
    return Status.AT_RISK if lag < settings.at_risk_band else Status.BEHIND


def to_cents(number: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    # Extra precision so that a 28-digit figure still has room for its two decimals.
    with localcontext(prec=100):
        rounded = number.quantize(CENT, rounding=rounding)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # no "-0.00"


def burnup_series(target: Target, as_of: date, points: int,
                  others: Others | None = None) -> list[tuple[date, Decimal, Decimal]]:
    """(date, planned figure, actual figure) at `points` evenly spaced days from start to the later
    of due and `as_of`: the data of a burn-up chart."""
    from datetime import timedelta

    last = max(target.due, as_of)
    span = (last - target.start).days
    figure_at = figure_function(target, others)
    series = []
    for index in range(points):
        day = target.start + timedelta(days=round(span * index / max(points - 1, 1)))
        planned = target.baseline + planned_percent(target, day) * (target.target - target.baseline) / HUNDRED
        series.append((day, planned, figure_at(min(day, as_of))))
    return series


def figure_function(target: Target, others: Others | None = None) -> Callable[[date], Decimal]:
    """`current_figure(target, day, others)` as a function of the day, for many days: one pass over
    the sorted entries, then a bisection per day (the same sums, added in the same order)."""
    if adds_up_parts(target, others):
        parts = [(others[part_id], figure_function(others[part_id], others)) for part_id in target.parts]
        return lambda day: _added(target, [(part, figure_of(day)) for part, figure_of in parts])
    entries = sorted(target.entries, key=BY_DATE_INCREMENTS_FIRST)
    dates = [entry.date for entry in entries]
    if target.kind is Kind.MILESTONE:
        done = [Decimal(1) if entry.done else Decimal(0) for entry in entries]
        return lambda day: done[count - 1] if (count := bisect_right(dates, day)) else Decimal(0)
    if target.kind is Kind.LEVEL:
        return lambda day: entries[count - 1].value if (count := bisect_right(dates, day)) else target.baseline
    running, progress = [], Decimal(0)
    for entry in entries:
        progress = entry.value if entry.total else progress + entry.value
        running.append(target.baseline + progress)
    empty = target.baseline + Decimal(0)
    return lambda day: running[count - 1] if (count := bisect_right(dates, day)) else empty
