"""What a format reads about one target beyond its Figures, decided here in the report layer, so
that no format calls the arithmetic (compute, timeline, qualifiers) on its own: the entries known
as of the date, the latest entries, a chart's series, the qualifier and its tolerance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kpitrack.domain.compute import Figures, own_plan  # noqa: F401  (for formats)
from kpitrack.domain.timeline import entries_as_of, last_entries_as_of
from kpitrack.domain.model import Entry, Plan, Target, Workspace
from kpitrack.domain.qualifiers import qualifier_of, tolerance_of
from kpitrack.domain.timeline import latest_entries
from kpitrack.reports.report import Item, by_group, changes_since, evaluate, ordered, owner_rows

if TYPE_CHECKING:
    from kpitrack.reports.series import Series

_FROM_SERIES = ("Series", "figure_on", "planned_on")  # for formats; reports.series (and calendar) only when charted


def __getattr__(name: str):
    if name in _FROM_SERIES:
        from kpitrack.reports import series

        return getattr(series, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Figures", "Report", "build_report", "known_entries", "last_known_entries", "let_go", "latest", "recorded_by", "chart_series", "chart_fields", "qualifier_terms"]


def known_entries(target: Target, figures: Figures) -> list[Entry]:
    """The entries dated on or before the figures' as-of day, in date order."""
    return entries_as_of(target, figures.as_of)


def last_known_entries(target: Target, figures: Figures, count: int) -> list[Entry]:
    """The last `count` of known_entries, without reading the others where the cache can help."""
    return last_entries_as_of(target, figures.as_of, count)


def latest(target: Target, count: int | None, as_of: date) -> tuple[list[Entry], int, int]:
    """The last `count` entries dated on or before `as_of` (None: all), how many such there are, and
    how many are dated after it: a view as of a day lists what was known on it, as its figures count."""
    shown, total = latest_entries(target, count)
    if not shown or shown[-1].date <= as_of:  # the usual case: nothing after the day, nothing decoded
        return shown, total, 0
    known = [entry for entry in latest_entries(target, None)[0] if entry.date <= as_of]
    return (known if count is None else known[max(len(known) - count, 0):]), len(known), total - len(known)


def recorded_by(target: Target, as_of: date) -> list[Entry]:
    """Every entry as written (estimates given way to included), in file order, dated on or before
    `as_of`: what a page or `show --format json` lists as of that day."""
    return [entry for entry in target.entries if entry.date <= as_of]


def let_go(target: Target) -> None:
    """Forget what was decoded of `target`'s entries for a page written (the entries, the timeline's
    states a chart asked for): the cache gives them again if asked. Entries read from the file stay."""
    release = getattr(target.entries, "release", None)  # files.stored.StoredEntries: a cache's entries
    if release is not None:
        release()


def chart_series(target: Target, figures: Figures, others=None) -> Series | None:
    """The one series every chart of `target` draws as of the figures' date (None: a milestone):
    the actual figure as steps (a parent's sums its parts, given `others`), the plan, the target."""
    from kpitrack.reports import series

    return series.chart_series(target, figures.as_of, others, figures.schedule, figures.pace)


def chart_fields(target: Target, figures: Figures, others=None) -> dict | None:
    """`show --format json`'s `chart`: the series exactly as drawn (None: a milestone)."""
    series = chart_series(target, figures, others)
    return None if series is None else series.fields()


def qualifier_terms(target: Target) -> tuple[str, Decimal | None]:
    """The target's qualifier (over, at-least, about, at-most) and, for `about`, its tolerance."""
    qualifier = qualifier_of(target).value
    return qualifier, tolerance_of(target) if qualifier == "about" else None


@dataclass(frozen=True)
class Report:
    """One report, built once by a reading command and handed whole to a format: the selected
    targets with their figures (in the order shown), the plans and the workspace's targets by id
    (where a parent finds its parts), and the optional sections (per owner, changes since a date)."""

    as_of: date
    items: tuple[Item, ...]
    plans: Mapping[str, Plan] = field(default_factory=dict)
    others: Mapping[str, Target] = field(default_factory=dict)
    owners: tuple[dict[str, Any], ...] | None = None
    since: date | None = None
    changes: tuple[dict[str, Any], ...] | None = None
    # what the reading commands (status, show, plans, check, export) add: the layout asked for, the
    # closed folders, the entries shown, the count checked, and for export the targets alone
    tree: bool = False
    wide: bool = False
    last: int | None = 20
    closed: frozenset[str] = frozenset()
    checked: int = 0
    skipped: int = 0
    targets: tuple[Target, ...] = ()
    office: str | None = None  # the workspace's `office`: the Word document's author
    missing: tuple[dict[str, Any], ...] | None = None  # status --missing: per unit, the targets not reported (chase.py)
    received: tuple[dict[str, Any], ...] | None = None  # figures received and revised since, per unit (review.py)
    received_in_git: bool = True  # False: outside git, where only journalled revisions are known

    @property
    def groups(self) -> list[tuple[str, list[Item]]]:
        return by_group(list(self.items))


def build_report(workspace: Workspace, as_of: date, tag: str | None = None, group: str | None = None,
                 owner: str | None = None, by_owner: bool = False, since: date | None = None,
                 missing: bool = False) -> Report:
    """The report of `workspace` as of `as_of` over the selection, with its sections asked for."""
    from kpitrack.reports.chase import missing_rows
    from kpitrack.git.history import in_repository
    from kpitrack.reports.review import figure_changes

    items = ordered(evaluate(workspace, as_of, tag, group, owner=owner))
    return Report(as_of, tuple(items), workspace.plans, workspace.by_id(),
                  tuple(owner_rows(items)) if by_owner else None, since,
                  tuple(changes_since(workspace, items, since)) if since else None,
                  received=tuple(figure_changes(workspace, items, since)) if since else None,
                  received_in_git=in_repository(workspace.root) if since else True,
                  office=workspace.settings.office,
                  missing=tuple(missing_rows(workspace, items, as_of)) if missing else None)
