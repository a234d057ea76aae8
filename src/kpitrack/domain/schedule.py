"""The calendar plan (序时进度): the share of a target planned by a date, counted by day, by
month or by quarter, with checkpoints; pure arithmetic."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, getcontext

from kpitrack.domain.model import Target

HUNDRED = Decimal(100)


def completion_of(target: Target, current: Decimal, figure: Decimal | None = None) -> Decimal:
    """How much of the way from baseline to the target (or `figure`) `current` has come, in percent."""
    goal = target.target if figure is None else figure
    return (current - target.baseline) / (goal - target.baseline) * HUNDRED


def day_number(target: Target, day: date) -> int:
    """Days of the period elapsed at the end of `day`: 1 at the end of `start`, 0 before it."""
    return (day - target.start).days + 1


def period_days(target: Target) -> int:
    return day_number(target, target.due)


def planned_path(target: Target, schedule: str = "daily") -> list[tuple[int, Decimal]]:
    """The plan as (steps elapsed, planned percent) points from the beginning of start to the end of
    due; a step is a day, a month or a quarter. A checkpoint counts in the step that contains it.
    The list is shared: do not change it."""
    if not target.checkpoints:  # the same for every target of the same period: made once
        key = (target.start, target.due, schedule)
        path = _plain_paths.get(key)
        if path is None:
            if len(_plain_paths) >= 4096:  # a long-lived process does not keep every period it met
                _plain_paths.clear()
            path = _plain_paths[key] = [(0, Decimal(0)), (period_steps(target, schedule), HUNDRED)]
        return path
    end = period_steps(target, schedule)
    reached: dict[int, Decimal] = {0: Decimal(0)}
    for checkpoint in target.checkpoints:
        reached[min(step_number(target, checkpoint.date, schedule), end)] = completion_of(target, checkpoint.value)
    reached[end] = HUNDRED
    return sorted(reached.items())


STEP_MONTHS = {"monthly": 1, "quarterly": 3}


def _step_of(day: date, months: int) -> int:
    return (day.year * 12 + day.month - 1) // months


def step_number(target: Target, day: date, schedule: str) -> int:
    """The number of the step (1 for the first) containing `day`: a day, a month or a quarter."""
    if schedule == "daily":
        return day_number(target, day)
    months = STEP_MONTHS[schedule]
    return _step_of(day, months) - _step_of(target.start, months) + 1


def period_steps(target: Target, schedule: str = "daily") -> int:
    """Days, or the calendar months or quarters that [start, due] touches (a part counts as one)."""
    return step_number(target, target.due, schedule)


def steps_elapsed(target: Target, as_of: date, schedule: str) -> int:
    """Steps over by the end of `as_of`: a month (or quarter) is over on the earlier of its last day and due."""
    if schedule == "daily":
        return day_number(target, as_of)
    if as_of < target.start:
        return 0
    if as_of >= target.due:
        return period_steps(target, schedule)
    from datetime import timedelta

    months = STEP_MONTHS[schedule]
    over = _step_of(as_of + timedelta(days=1), months) != _step_of(as_of, months)  # its last day
    return step_number(target, as_of, schedule) - (0 if over else 1)


def planned_percent(target: Target, as_of: date, schedule: str = "daily", pace: Decimal | None = None) -> Decimal:
    """The share of the target the plan expects by the end of `as_of`: the target's own period plan
    ([planned]) where it has one, else the calendar rule times `pace` per cent (capped at 100)."""
    if target.period_plan:
        return period_planned(target, as_of)
    calendar = calendar_percent(target, as_of, schedule)
    return calendar if pace is None else min(calendar * pace / HUNDRED, HUNDRED)


def period_planned(target: Target, as_of: date) -> Decimal:
    """The plan of the last listed period that has ended by the end of `as_of`, as a share of the
    target; before the first, 0. No interpolation: 按月分解 plans are read as written."""
    ended = [point.value for point in target.period_plan if point.date <= as_of]
    return completion_of(target, ended[-1]) if ended else Decimal(0)


def calendar_percent(target: Target, as_of: date, schedule: str = "daily") -> Decimal:
    """The share of the target the calendar rule (序时进度) expects by the end of `as_of`, 0..100;
    without checkpoints the same for every target of the same period, worked out once."""
    if target.checkpoints:
        return _calendar_percent(target, as_of, schedule)
    context = getcontext()  # a division: its digits are the context's
    key = (target.start, target.due, as_of, schedule, context.prec, context.rounding)
    share = _plain_shares.get(key)
    if share is None:
        if len(_plain_shares) >= 4096:
            _plain_shares.clear()
        share = _plain_shares[key] = _calendar_percent(target, as_of, schedule)
    return share


_plain_paths: dict[tuple, list[tuple[int, Decimal]]] = {}  # (start, due, schedule) -> planned_path
_plain_shares: dict[tuple, Decimal] = {}  # (start, due, as_of, schedule, precision) -> calendar_percent


def _calendar_percent(target: Target, as_of: date, schedule: str) -> Decimal:
    elapsed = steps_elapsed(target, as_of, schedule)
    points = planned_path(target, schedule)
    if elapsed <= 0:
        return Decimal(0)
    for (step_a, pct_a), (step_b, pct_b) in zip(points, points[1:]):
        if elapsed <= step_b:
            return pct_a + (pct_b - pct_a) * (elapsed - step_a) / (step_b - step_a)
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
