"""The period being collected (本期): the last reporting period of a cadence that has ended by an
as-of date (the end of that day). As of 2025-08-05 a monthly collection is July 2025, a quarterly
one the second quarter; as of 2025-07-31 the monthly one is July itself. One home for the rule: the
ledger states it, `import` holds a returned figure's date against it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple


class Period(NamedTuple):
    first: date
    last: date
    cadence: str | int  # monthly, quarterly, yearly, weekly, or a number of days

    def label(self) -> str:
        """The period in a form `read_period` reads back: 2025-07, 2025-Q2, 2025, 2025-07-21/2025-07-27."""
        if self.cadence == "monthly":
            return f"{self.first:%Y-%m}"
        if self.cadence == "quarterly":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.cadence == "yearly":
            return str(self.first.year)
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


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


_LABELS = (
    (re.compile(r"(\d{4})-(\d{2})"), lambda m: ("monthly", date(int(m[1]), int(m[2]), 1))),
    (re.compile(r"(\d{4})-Q([1-4])"), lambda m: ("quarterly", date(int(m[1]), int(m[2]) * 3 - 2, 1))),
    (re.compile(r"(\d{4})"), lambda m: ("yearly", date(int(m[1]), 1, 1))),
)


def read_period(text: str) -> Period | None:
    """A period's label (see Period.label) read back; None for anything else."""
    text = text.strip()
    for pattern, made in _LABELS:
        found = pattern.fullmatch(text)
        if found:
            try:
                cadence, first = made(found)
            except ValueError:
                return None
            return collected_period(_month_end(first.year, first.month + {"monthly": 0, "quarterly": 2,
                                                                          "yearly": 11}[cadence]), cadence)
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", text)
    if found:
        try:
            first, last = date.fromisoformat(found[1]), date.fromisoformat(found[2])
        except ValueError:
            return None
        return Period(first, last, "weekly" if (last - first).days == 6 else (last - first).days + 1) \
            if first <= last else None
    return None


def period_containing(day: date, cadence: str) -> Period:
    """The period of `cadence` (monthly, quarterly, yearly, weekly) that `day` falls in."""
    if cadence == "weekly":
        return collected_period(day + timedelta(days=6 - day.weekday()), cadence)
    month = {"monthly": day.month, "quarterly": (day.month - 1) // 3 * 3 + 3, "yearly": 12}[cadence]
    return collected_period(_month_end(day.year, month), cadence)
