"""How a target ended, beside its status: the year-end verdict (提前完成, 按时完成, 逾期完成, 未完成,
未报送), the day it was met, and by how much it was exceeded. Pure, above `compute`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kpitrack.domain.compute import HUNDRED, Others, adds_up_parts, current_figure, final_reading, met_at, shown_percent
from kpitrack.domain.model import Kind, Target, Verdict
from kpitrack.domain.qualifiers import falls, meets
from kpitrack.domain.schedule import completion_of
from kpitrack.domain.timeline import entry_days, state_at


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict | None = None  # None: not yet due and not yet met, or an indicator
    done_on: date | None = None  # the date of the entry that met the target
    exceeded_by: Decimal | None = None  # the final figure past the target, in its unit (points for growth)
    exceeded_points: Decimal | None = None  # completion - 100, in points (not for growth rates)


def outcome(target: Target, as_of: date, others: Others | None = None) -> Outcome:
    """The verdict as of `as_of`: it exists from the end of the due date (an as-of date is the end
    of that day: the year-end report 截至12月31日 judges), or earlier once the target is met."""
    if target.kind is Kind.INDICATOR:
        return Outcome()
    if target.kind is Kind.GROWTH:
        return _growth_outcome(target, as_of)
    if not met_at(target, as_of, others):
        if as_of < target.due:
            return Outcome()
        reported = _entry_dates(target, as_of, others)  # a report by the end of due that it is not met: missed
        return Outcome(Verdict.MISSED if reported else Verdict.NOT_REPORTED)
    done_on = met_since(target, as_of, others) or target.start  # no entry: the baseline already meets it
    verdict = (Verdict.DONE_EARLY if done_on < target.due else Verdict.ON_TIME if done_on == target.due
               else Verdict.DONE_LATE)
    return Outcome(verdict, done_on, *_exceeded(target, as_of, others))


def met_since(target: Target, as_of: date, others: Others | None = None) -> date | None:
    """The date of the entry from which the target has stayed met up to `as_of` (for a reading, the
    latest decides), or None when the figure as of `as_of` does not meet it."""
    if not adds_up_parts(target, others):
        state = state_at(target, as_of)
        return state.met_since if state else None
    since = None
    for day in _entry_dates(target, as_of, others):
        since = (since or day) if met_at(target, day, others) else None
    return since


def _entry_dates(target: Target, as_of: date, others: Others | None) -> list[date]:
    if adds_up_parts(target, others):
        return sorted({day for part in target.parts for day in _entry_dates(others[part], as_of, others)})
    return entry_days(target, as_of)


def _exceeded(target: Target, as_of: date, others: Others | None) -> tuple[Decimal | None, Decimal | None]:
    if target.kind is Kind.MILESTONE:
        return None, None
    current = current_figure(target, as_of, others)
    amount = target.target - current if falls(target) else current - target.target
    # from the completion as shown (half up to 0.01): 99.51% done is 0.49 points short, never 0.48
    return amount, shown_percent(completion_of(target, current), True) - HUNDRED


def _growth_outcome(target: Target, as_of: date) -> Outcome:
    """A growth rate is judged on the reading dated on its due date (the full year); from the end
    of the due date, until it exists, the verdict is not-reported."""
    if as_of < target.due:
        return Outcome()
    reading = final_reading(target, as_of)
    if reading is None:
        return Outcome(Verdict.NOT_REPORTED)
    if not meets(target, reading.figure, reading.wording):
        return Outcome(Verdict.MISSED)
    amount = target.target - reading.figure if falls(target) else reading.figure - target.target
    return Outcome(Verdict.ON_TIME, target.due, amount)
