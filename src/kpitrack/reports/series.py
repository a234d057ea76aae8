"""A target's chart as data, the one series every chart draws (the page, `show`, the Word pictures,
`show --format json`): the actual figure as steps on the days it changed and on the as-of day, the
plan as a line through the days it bends, and the target line, so that every picture agrees."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kpitrack.domain.compute import HUNDRED, Others, adds_up_parts, figure_function, to_cents
from kpitrack.domain.model import Kind, Target
from kpitrack.domain.schedule import STEP_MONTHS, planned_percent
from kpitrack.domain.timeline import timeline

Points = tuple[tuple[date, Decimal], ...]
DAY = timedelta(days=1)
NEAR = Decimal("1e-20")


@dataclass(frozen=True)
class Series:
    """What a chart draws from `start` to `end` (the later of due and the as-of day). `actual`
    holds each point's figure until the next (steps; its last point is the as-of day with the
    current figure); `planned` is joined by straight lines (a growth rate's is flat at its target,
    an indicator has none); `target` is the target line (None: an indicator)."""

    start: date
    end: date
    due: date
    as_of: date
    target: Decimal | None
    actual: Points
    planned: Points
    readings: bool  # an indicator or growth rate: readings, not a figure burning up

    def fields(self) -> dict:
        """The series for `show --format json`: exactly what is drawn."""
        return {"start": self.start, "end": self.end, "due": self.due, "as_of": self.as_of,
                "target": self.target,
                "actual": [{"date": day, "value": value} for day, value in self.actual],
                "planned": [{"date": day, "value": value} for day, value in self.planned]}


def chart_series(target: Target, as_of: date, others: Others | None = None, schedule: str = "daily",
                 pace: Decimal | None = None) -> Series | None:
    """The chart of `target` as of `as_of` (None: a milestone, which has no chart)."""
    if target.kind is Kind.MILESTONE:
        return None
    end = max(target.due, as_of)
    schedule = schedule if schedule in STEP_MONTHS else "daily"  # "none": the daily line, for the eye
    readings = target.kind in (Kind.INDICATOR, Kind.GROWTH)
    return Series(target.start, end, target.due, as_of, None if target.kind is Kind.INDICATOR else target.target,
                  _actual(target, as_of, others, readings), _planned(target, end, schedule, pace), readings)


def _change_days(target: Target, as_of: date, others: Others | None) -> set[date]:
    """The days up to `as_of` the figure may change on: the target's entries' days, or its parts'."""
    if adds_up_parts(target, others):
        return set().union(*(_change_days(others[part], as_of, others) for part in target.parts))
    return set(timeline(target).days_until(as_of))


def _actual(target: Target, as_of: date, others: Others | None, readings: bool) -> Points:
    if as_of < target.start:
        return ()
    figure_at = figure_function(target, others)
    changes = {day for day in _change_days(target, as_of, others) if target.start <= day <= as_of}
    if readings:  # no reading yet is no figure, not 0
        known = sorted(changes | ({target.start} if timeline(target).at(target.start) else set()))
        return tuple((day, figure_at(day)) for day in known + ([as_of] if known and known[-1] != as_of else []))
    return tuple((day, figure_at(day)) for day in sorted(changes | {target.start, as_of}))


def _planned(target: Target, end: date, schedule: str, pace: Decimal | None) -> Points:
    if target.kind is Kind.INDICATOR:
        return ()
    if target.kind is Kind.GROWTH:  # a rate is never prorated: the bar holds from the first day
        return ((target.start, target.target), (end, target.target))
    days = {target.start, target.due - DAY, target.due, end}
    for point in (*target.checkpoints, *target.period_plan):
        days |= {point.date - DAY, point.date, point.date + DAY}
    if schedule != "daily" or target.period_plan:  # steps: the plan moves on a month's last day
        month = date(target.start.year, target.start.month, 1)
        while month <= target.due:
            last = month.replace(day=monthrange(month.year, month.month)[1])
            days |= {last - DAY, last}
            month = last + DAY
    share = target.target - target.baseline
    points = [(day, target.baseline + planned_percent(target, day, schedule, pace) * share / HUNDRED)
              for day in sorted(day for day in days if target.start <= day <= end)]
    return _without_straight(points)


def _without_straight(points: list[tuple[date, Decimal]]) -> Points:
    """The points where the line bends: a middle point on the straight line of its neighbours is left out."""
    kept: list[tuple[date, Decimal]] = []
    for index, point in enumerate(points):
        if 0 < index < len(points) - 1 and kept:
            (day_a, value_a), (day_b, value_b) = kept[-1], points[index + 1]
            left = (point[1] - value_a) * (day_b - day_a).days
            right = (value_b - value_a) * (point[0] - day_a).days
            if abs(left - right) <= NEAR * (abs(left) + abs(right) + 1):  # the same but for the 28th digit
                continue
        kept.append(point)
    return tuple((day, to_cents(value)) for day, value in kept)  # drawn and given to 0.01


def figure_on(points: Points, day: date) -> Decimal | None:
    """The actual figure a step chart shows on `day` (None: before its first point)."""
    value = None
    for point_day, point_value in points:
        if point_day > day:
            break
        value = point_value
    return value


def planned_on(points: Points, day: date) -> Decimal | None:
    """The planned line's figure on `day`, between its points."""
    for (day_a, value_a), (day_b, value_b) in zip(points, points[1:]):
        if day_a <= day <= day_b:
            span = (day_b - day_a).days
            return value_a if not span else value_a + (value_b - value_a) * (day - day_a).days / span
    return points[-1][1] if points and day >= points[-1][0] else None


__all__ = ["Series", "chart_series", "figure_on", "planned_on"]
