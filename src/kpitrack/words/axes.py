"""A chart's axes as people read them: round figures at its ends, dates that do not print over each other."""

from __future__ import annotations

from decimal import Decimal

DATE_LABEL_ROOM = 70  # the width two dates' labels need side by side, at a chart's 8-point type (in its units)


def date_ticks(days, place, room: float = DATE_LABEL_ROOM) -> list:
    """The days a chart labels below its axis: its first and last always, the one between (the as-of
    day) only where its label has room beside both (`place`: a day's x): 2026-11-05 beside 2026-12-31
    was printed over it. Its red line still marks it."""
    ticks = sorted(set(days))
    if len(ticks) == 3 and min(place(ticks[1]) - place(ticks[0]), place(ticks[2]) - place(ticks[1])) < room:
        del ticks[1]
    return ticks


def axis_range(values: list) -> tuple[Decimal, Decimal]:
    """The lowest and highest figures of an axis, rounded out to a round step (a tenth of the
    range's order of magnitude), so that its labels read as numbers, not 2,739.726027…"""
    values = [value for value in values if value is not None]
    low, high = min(values), max(values)
    if low == high:  # one figure: in the middle of the axis
        return low - 1, high + 1
    step = Decimal(1).scaleb((high - low).adjusted() - 1)
    return (low / step).to_integral_value("ROUND_FLOOR") * step, (high / step).to_integral_value("ROUND_CEILING") * step
