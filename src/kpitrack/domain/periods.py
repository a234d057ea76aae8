"""Reporting periods (催报): the last period of a target's cadence that has ended as of a day, and
whether the target has a figure dated in it. The one rule `status --missing`, `check --fail-on
missing` and the reports' 未报送 section use."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from kpitrack.domain.model import Cadence, Kind, Settings, Target


class Period(NamedTuple):
    """A reporting period, first and last day included; `label` names it (2025-07, 2025-Q2, 2024,
    2025-W31, or the first day for a cadence in days)."""

    start: date
    end: date
    label: str


def cadence_of(target: Target, settings: Settings) -> Cadence | None:
    """How often `target` is expected to report: its own cadence, else its plan's or the
    workspace's. A milestone is chased only by a cadence its file or plan.toml sets, not
    kpitrack.toml's (a milestone without nodes is not chased monthly by default)."""
    if target.cadence is not None:
        return target.cadence
    return settings.plan_cadence if target.kind is Kind.MILESTONE else settings.cadence


def last_ended_period(cadence: Cadence, as_of: date) -> Period:
    """The last period of `cadence` that ended before `as_of`: as of 2025-08-05, July for monthly,
    the second quarter for quarterly, 2024 for yearly, the last whole Monday-to-Sunday week for
    weekly; a cadence of N days is the N days before `as_of`."""
    if cadence == "monthly":
        end = as_of.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end, f"{end:%Y-%m}")
    if cadence == "quarterly":
        first_month = (as_of.month - 1) // 3 * 3 + 1
        end = as_of.replace(month=first_month, day=1) - timedelta(days=1)
        start = end.replace(month=end.month - 2, day=1)
        return Period(start, end, f"{end.year}-Q{(end.month - 1) // 3 + 1}")
    if cadence == "yearly":
        return Period(date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31), str(as_of.year - 1))
    if cadence == "weekly":
        end = as_of - timedelta(days=as_of.isoweekday())
        year, week, _ = end.isocalendar()
        return Period(end - timedelta(days=6), end, f"{year}-W{week:02d}")
    days = int(cadence)
    start = as_of - timedelta(days=days)
    return Period(start, as_of - timedelta(days=1), start.isoformat())


def has_figure_in(target: Target, period: Period) -> bool:
    """Whether an entry of `target` is dated within `period`."""
    return any(period.start <= entry.date <= period.end for entry in target.entries)


def period_due(target: Target, settings: Settings, as_of: date) -> Period | None:
    """The period `target` should have reported for as of `as_of`, or None when it is not chased:
    no cadence, or the period lies outside its start and due dates."""
    cadence = cadence_of(target, settings)
    if cadence is None:
        return None
    period = last_ended_period(cadence, as_of)
    if period.end < target.start or period.start > target.due:
        return None
    return period
