"""What a format reads about one target beyond its Figures, decided here in the report layer, so
that no format calls the arithmetic (compute, timeline, qualifiers) on its own: the entries known
as of the date, the latest entries, a chart's series, the qualifier and its tolerance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpitrack.domain.compute import Figures, burnup_series, entries_as_of
from kpitrack.domain.model import Entry, Target
from kpitrack.domain.qualifiers import qualifier_of, tolerance_of
from kpitrack.domain.timeline import latest_entries

__all__ = ["Figures", "known_entries", "latest", "chart_series", "qualifier_terms"]


def known_entries(target: Target, figures: Figures) -> list[Entry]:
    """The entries dated on or before the figures' as-of day, in date order."""
    return entries_as_of(target, figures.as_of)


def latest(target: Target, count: int | None) -> tuple[list[Entry], int]:
    """The last `count` entries (None: all) and how many there are."""
    return latest_entries(target, count)


def chart_series(target: Target, figures: Figures, points: int, others=None,
                 schedule: str = "daily") -> list[tuple[date, Decimal, Decimal]]:
    """(date, planned figure, actual figure) at `points` days from start to due: a burn-up's data
    (a parent's actual figure sums its parts, given `others`)."""
    return burnup_series(target, figures.as_of, points, others, schedule)


def qualifier_terms(target: Target) -> tuple[str, Decimal | None]:
    """The target's qualifier (over, at-least, about, at-most) and, for `about`, its tolerance."""
    qualifier = qualifier_of(target).value
    return qualifier, tolerance_of(target) if qualifier == "about" else None
