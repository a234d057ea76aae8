"""Reporting periods, one rule for sending, taking back and chasing: the period being collected
(本期) is the last period of a cadence that has ended by an as-of date (the end of that day). As of
2025-08-05 a monthly collection is July 2025, a quarterly one the second quarter, a yearly one 2024;
as of 2025-07-31 the monthly one is July itself. The ledger states it, `import` holds a returned
figure's date against it, and `status --missing`, `check --fail-on missing` and the reports' 未报送
section ask whether a target has a figure dated in it (催报)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from kpitrack.domain.model import Cadence, Kind, Settings, Target


class Period(NamedTuple):
    first: date
    last: date
    cadence: str | int  # monthly, quarterly, yearly, weekly, or a number of days

    @property
    def start(self) -> date:
        return self.first

    @property
    def end(self) -> date:
        return self.last

    @property
    def label(self) -> str:
        """The period's name for scripts: 2025-07, 2025-Q2, 2024, 2025-W31, or a span's first day."""
        if self.cadence == "monthly":
            return f"{self.first:%Y-%m}"
        if self.cadence == "quarterly":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.cadence == "yearly":
            return str(self.first.year)
        if self.cadence == "weekly":
            year, week, _ = self.last.isocalendar()
            return f"{year}-W{week:02d}"
        return self.first.isoformat()


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def collected_period(as_of: date, cadence: str | int | None) -> Period:
    """The last period of `cadence` (monthly when unset) that has ended by the end of `as_of`."""
    cadence = cadence or "monthly"
    if cadence in ("monthly", "quarterly", "yearly"):
        months = {"monthly": 1, "quarterly": 3, "yearly": 12}[cadence]
        start_month = (as_of.month - 1) // months * months + 1  # the period as_of falls in
        last = _month_end(as_of.year, start_month + months - 1)
        if last != as_of:  # not ended yet: the one before it
            start_month -= months
        year = as_of.year + (start_month - 1) // 12
        start_month = (start_month - 1) % 12 + 1
        return Period(date(year, start_month, 1), _month_end(year, start_month + months - 1), cadence)
    if cadence == "weekly":
        last = as_of if as_of.weekday() == 6 else as_of - timedelta(days=as_of.weekday() + 1)
        return Period(last - timedelta(days=6), last, cadence)
    return Period(as_of - timedelta(days=int(cadence) - 1), as_of, int(cadence))


def period_containing(day: date, cadence: str) -> Period:
    """The period of `cadence` (monthly, quarterly, yearly, weekly) that `day` falls in."""
    if cadence == "weekly":
        return collected_period(day + timedelta(days=6 - day.weekday()), cadence)
    month = {"monthly": day.month, "quarterly": (day.month - 1) // 3 * 3 + 3, "yearly": 12}[cadence]
    return collected_period(_month_end(day.year, month), cadence)


def cadence_of(target: Target, settings: Settings) -> Cadence | None:
    """How often `target` is expected to report: its own cadence, else its plan's or the
    workspace's. A milestone is chased only by a cadence its file or plan.toml sets, not
    kpitrack.toml's (a milestone without nodes is not chased monthly by default)."""
    if target.cadence is not None:
        return target.cadence
    return settings.plan_cadence if target.kind is Kind.MILESTONE else settings.cadence


def last_ended_period(cadence: Cadence, as_of: date) -> Period:
    """The last period of `cadence` that has ended by the end of `as_of` (the one rule above)."""
    return collected_period(as_of, cadence)


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
