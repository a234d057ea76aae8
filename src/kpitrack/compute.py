"""The figures of a target as of a date: pure arithmetic, no clock, no files, no printing."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from kpitrack.model import Entry, Kind, Settings, Status, Target

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12: the average calendar month


@dataclass(frozen=True)
class Figures:
    """Where a target stands as of a date. Percentages are on a 0-100 scale, rounded half up to 0.01."""

    as_of: date
    current: Decimal
    last_update: date | None  # the date of the latest entry as of `as_of`
    completion: Decimal | None  # None: no figure reported yet (no-data)
    planned: Decimal | None  # None: a milestone, or a schedule of "none"
    lag: Decimal | None  # planned - completion, in points: positive = behind the calendar
    lag_days: int | None  # positive = the daily plan reached today's figure that many days ago
    projected: Decimal | None  # the figure at due, at the pace so far
    required_per_month: Decimal | None  # the pace needed from now on to finish on time
    status: Status
    stale: bool = False  # its latest figure is older than its cadence (plus grace) allows
    schedule: str = "daily"  # how its plan advances: daily, monthly, quarterly or none


Others = Mapping[str, Target]  # the workspace's targets by id, where a parent finds its parts


def figures(target: Target, as_of: date, settings: Settings = Settings(), others: Others | None = None) -> Figures:
    """Compute every figure of `target` as of the end of the day `as_of`."""
    last_update = last_update_of(target, as_of, others)
    current = current_figure(target, as_of, others)
    exact_completion = completion_of(target, current)
    completion = shown_percent(exact_completion)
    schedule = target.schedule or settings.schedule
    if target.kind is Kind.MILESTONE:
        status = _status(target, as_of, exact_completion, None, settings, False)
        stale = _stale(target, as_of, last_update, status, settings, others)
        return Figures(as_of, current, last_update, completion, None, None, None, None, None, status, stale,
                       schedule)
    planned = None if schedule == "none" else to_cents(planned_percent(target, as_of, schedule))
    if has_no_data(target, as_of, others):
        status = _status(target, as_of, exact_completion, None, settings, True)
        return Figures(as_of, current, last_update, None, planned, None, None, None, None, status,
                       _stale(target, as_of, last_update, status, settings, others), schedule)
    lag = None if planned is None else planned - completion  # of the figures as shown, so readers can check
    status = _status(target, as_of, exact_completion, lag, settings, False)
    return Figures(
        as_of=as_of,
        current=current,
        last_update=last_update,
        completion=completion,
        planned=planned,
        lag=lag,
        lag_days=None if planned is None else _lag_days(target, as_of, exact_completion),
        projected=_projected(target, as_of, current),
        required_per_month=_required_per_month(target, as_of, current, exact_completion),
        status=status,
        stale=_stale(target, as_of, last_update, status, settings, others),
        schedule=schedule,
    )


def shown_percent(exact: Decimal) -> Decimal:
    """A percentage as shown: half up to 0.01, except that a target not done never shows 100."""
    shown = to_cents(exact)
    return min(shown, Decimal("99.99")) if exact < HUNDRED and shown >= HUNDRED else shown


def has_no_data(target: Target, as_of: date, others: Others | None = None) -> bool:
    """Under way with nothing reported (未报送): a cumulative or level target past its start with no
    entry by `as_of` and no `baseline` in its file; a parent when all its parts are. Never a milestone."""
    if target.kind is Kind.MILESTONE or as_of < target.start:
        return False
    if adds_up_parts(target, others):
        return all(has_no_data(others[part_id], as_of, others) for part_id in target.parts)
    return not target.baseline_given and not entries_as_of(target, as_of)


def _stale(target: Target, as_of: date, last_update: date | None, status: Status, settings: Settings,
           others: Others | None) -> bool:
    """A roll-up is stale when any of its parts is: one district that stopped reporting is enough."""
    if adds_up_parts(target, others) and status not in (Status.DONE, Status.NOT_STARTED, Status.NO_DATA):
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
    return sorted(known, key=lambda entry: (entry.date, entry.total))


def adds_up_parts(target: Target, others: Others | None) -> bool:
    """A parent without entries of its own takes its figure from its parts."""
    return bool(target.parts) and not target.entries and others is not None


def current_figure(target: Target, as_of: date, others: Others | None = None) -> Decimal:
    """The figure as of `as_of`: baseline plus progress (cumulative), the latest reading (level),
    1 for a milestone done and 0 otherwise, or the exact sum of its parts' figures (a parent)."""
    if adds_up_parts(target, others):
        return parts_sum(target, as_of, others)
    entries = entries_as_of(target, as_of)
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
    if not target.parts:
        return []
    found = []
    for entry in target.entries:
        own, summed = current_figure(target, entry.date), parts_sum(target, entry.date, others)
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


def planned_path(target: Target, schedule: str = "daily") -> list[tuple[int, Decimal]]:
    """The plan as (steps elapsed, planned percent) points from the beginning of start to the end of
    due; a step is a day, a month or a quarter. A checkpoint counts in the step that contains it."""
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


def planned_percent(target: Target, as_of: date, schedule: str = "daily") -> Decimal:
    """The share of the target the plan expects by the end of `as_of`, 0..100."""
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
            settings: Settings, no_data: bool) -> Status:
    """Done is decided on the exact completion, never on a rounded one."""
    if as_of < target.start:
        return Status.NOT_STARTED
    if no_data:
        return Status.NO_DATA
    if completion >= HUNDRED:
        return Status.DONE
    if as_of > target.due:
        return Status.OVERDUE
    if target.kind is Kind.MILESTONE:  # on track until its due day ends without it
        return Status.BEHIND if as_of == target.due else Status.ON_TRACK
    if lag is None or lag <= 0 or lag < settings.yellow:  # no calendar plan (schedule "none"), or not behind
        return Status.ON_TRACK
    return Status.AT_RISK if lag < settings.red else Status.BEHIND


def to_cents(number: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    # Extra precision so that a 28-digit figure still has room for its two decimals.
    with localcontext(prec=100):
        rounded = number.quantize(CENT, rounding=rounding)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # no "-0.00"


def burnup_series(target: Target, as_of: date, points: int, others: Others | None = None,
                  schedule: str = "daily") -> list[tuple[date, Decimal, Decimal]]:
    """(date, planned figure, actual figure) at `points` evenly spaced days from start to the later
    of due and `as_of`: the data of a burn-up chart."""
    from datetime import timedelta

    schedule = schedule if schedule in STEP_MONTHS else "daily"  # "none": the daily line, for the eye
    last = max(target.due, as_of)
    span = (last - target.start).days
    series = []
    for index in range(points):
        day = target.start + timedelta(days=round(span * index / max(points - 1, 1)))
        planned = target.baseline + planned_percent(target, day, schedule) * (target.target - target.baseline) / HUNDRED
        series.append((day, planned, current_figure(target, min(day, as_of), others)))
    return series
