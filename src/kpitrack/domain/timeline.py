"""Where a target's entries stand at the end of each day that has any: the one pass over the
entries from which every figure as of a date is taken. Pure; below `compute`.

The states depend only on the target's file (its entries and the fields in `fold_key`), so the
cache keeps them, indexed by day: a status then looks up one state per target instead of reading
every entry (see kpitrack.files.cache). Without a cache, or for a target whose fields changed after it
was read (a parent given the sum of its parts' targets), they are made here from the entries.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal, getcontext, localcontext
from operator import attrgetter
from typing import NamedTuple

from kpitrack.domain.model import Entry, Kind, ReadingQualifier, Target
from kpitrack.domain.qualifiers import meeting

READINGS = (Kind.LEVEL, Kind.INDICATOR, Kind.GROWTH)  # kinds whose entries are readings, not increments
BY_DATE_INCREMENTS_FIRST = attrgetter("date", "total")  # (date, total): False (an increment) sorts first


class DayState(NamedTuple):
    """A target as of the end of `day`, counting every entry dated on or before it."""

    day: date
    figure: Decimal  # baseline plus progress, the latest reading, or 1/0 for a milestone done or not
    wording: ReadingQualifier | None  # the wording (近, 超, 约) of the latest entry: it bounds the figure
    estimate: bool  # the figure rests on an estimate: the latest reading, or an entry since the latest total
    change: Decimal | None  # readings: the latest reading minus the one before it
    met_since: date | None  # the day from which the target has stayed met; None: not met


def exact():
    """A decimal context in which sums of accepted figures (28 significant digits at most, any
    number of them) never round; divisions outside it keep the default precision."""
    return localcontext(prec=200)


def counted(entries: list[Entry]) -> list[Entry]:
    """The entries that count: a final figure for the same date (and kind of figure) replaces an estimate."""
    if not any(entry.estimate for entry in entries):
        return entries
    finals = {(entry.date, entry.total) for entry in entries if not entry.estimate}
    return [entry for entry in entries if not (entry.estimate and (entry.date, entry.total) in finals)]


def ordered_entries(entries) -> list[Entry]:
    """The entries that count, oldest first; on one day, increments before totals, since a running
    total as of a day includes that day's increments."""
    return sorted(counted(list(entries)), key=BY_DATE_INCREMENTS_FIRST)


def empty_figure(target: Target) -> Decimal:
    """The figure before any entry: 0 for a milestone, else the baseline."""
    if target.kind is Kind.MILESTONE:
        return Decimal(0)
    return target.baseline if target.kind in READINGS else target.baseline + Decimal(0)


def met(target: Target):
    """Whether a figure so worded meets the target as the target words it (超, 以上, 左右, 以内), as
    a function of (figure, wording)."""
    goal = target.target  # 1, or a node plan's count of nodes
    return (lambda figure, wording: figure >= goal) if target.kind is Kind.MILESTONE else meeting(target)


def fold_key(target: Target) -> tuple:
    """The fields of a target besides its entries that its states depend on; figures as written
    (100 and 100.0 are equal, but a figure made from one is not written like one from the other)."""
    return (target.kind, target.direction, str(target.target), str(target.baseline), target.qualifier,
            None if target.tolerance is None else str(target.tolerance))


def fold(target: Target) -> list[DayState]:
    """The state at the end of every day with an entry, oldest first: one pass over the entries."""
    entries, meets = ordered_entries(target.entries), met(target)
    cumulative, readings, baseline = target.kind is Kind.CUMULATIVE, target.kind in READINGS, target.baseline
    states: list[DayState] = []
    progress, previous, estimate, since, change, last = Decimal(0), None, False, None, None, len(entries) - 1
    subtract = getcontext().subtract  # a change, at the usual precision: only sums are exact
    state = tuple.__new__  # a DayState of all its fields, without the named tuple's own __new__
    nodes: dict[str, bool] = {}  # a node plan: each node's latest done or not
    with exact():
        for index, (day, value, total, done, _, _, _, wording, is_estimate, _, node) in enumerate(entries):
            if node is not None:
                nodes[node] = bool(done)
                done = None
            if cumulative:
                progress = value if total else progress + value
                estimate = is_estimate if total else estimate or is_estimate
            else:
                estimate = is_estimate
            if readings:
                change = None if previous is None else subtract(value, previous)
                previous = value
            if index == last or entries[index + 1][0] != day:  # the day's last entry
                figure = (baseline + progress if cumulative else value if readings
                          else Decimal(sum(nodes.values())) if target.nodes else Decimal(1) if done else Decimal(0))
                since = (since or day) if meets(figure, wording) else None
                states.append(state(DayState, (day, figure, wording, estimate, change, since)))
    return states


class Timeline:
    """The states of a target's days, looked up by date."""

    def __init__(self, states: list[DayState]) -> None:
        self.states = states
        self.days = [state.day for state in states]

    def at(self, day: date) -> DayState | None:
        count = bisect_right(self.days, day)
        return self.states[count - 1] if count else None

    def days_until(self, day: date) -> list[date]:
        return self.days[:bisect_right(self.days, day)]


# Timelines made from entries, by target (held strongly, so that an id is never reused while kept).
_made: dict[int, tuple[Target, Timeline]] = {}


def timeline(target: Target):
    """The target's timeline: the cache's index where it holds one for exactly these fields, else
    made from the entries once per target."""
    index = getattr(target.entries, "timeline", None)
    if index is not None:
        if index.checked is target:  # a status asks several times a target
            return index
        if index.key == fold_key(target):
            index.checked = target
            return index
    made = _made.get(id(target))
    if made is None or made[0] is not target:
        if len(_made) >= 10_000:  # a long-lived process (a test run) does not keep every target it met
            _made.clear()
        made = (target, Timeline(fold(target)))
        _made[id(target)] = made
    return made[1]


def state_at(target: Target, day: date) -> DayState | None:
    """The state at the end of the latest day with an entry on or before `day`; None before any."""
    global _last_state
    if _last_state[0] is target and _last_state[1] == day:  # a target's figures ask eight times in a row
        return _last_state[2]
    state = timeline(target).at(day)
    _last_state = (target, day, state)
    return state


# The last answer of state_at, kept with its (frozen) target, as _latest below.
_last_state: tuple = (None, None, None)


def latest_entries(target: Target, count: int | None) -> tuple[list[Entry], int]:
    """The last `count` entries by date (in file order within a day; None: all), and how many
    entries there are; the cache reads just those from its rows."""
    latest = getattr(target.entries, "latest", None)
    if latest is not None and count is not None:
        return latest(count), len(target.entries)
    return last_by_date(target.entries, count, attrgetter("date")), len(target.entries)


def last_by_date(items, count: int | None, day_of) -> list:
    """The last `count` items (None: all) in the order of their days, stable within a day."""
    ordered = sorted(items, key=day_of)
    return ordered if count is None else ordered[max(len(ordered) - count, 0):]


def entry_days(target: Target, day: date) -> list[date]:
    """The days with an entry on or before `day`, oldest first."""
    return timeline(target).days_until(day)


def entries_as_of(target: Target, as_of: date) -> list[Entry]:
    """The entries dated on or before `as_of`, oldest first; on one day, increments before totals,
    since a running total as of a day includes that day's increments. An estimate gives way to an
    entry for its date without the mark. The list is shared: do not change it."""
    global _latest
    if _latest[0] is target and _latest[1] == as_of:  # figures and verdicts ask several times in a row
        return _latest[2]
    known = [entry for entry in ordered_entries(target.entries) if entry.date <= as_of]
    _latest = (target, as_of, known)
    return known


def last_entries_as_of(target: Target, as_of: date, count: int) -> list[Entry]:
    """The last `count` of entries_as_of(target, as_of), found among the last WINDOW entries by date
    where the cache keeps those apart (a page lists three of each target's without decoding its
    hundred): the days after the window's first are whole in it, so when they hold `count` entries
    on or before `as_of`, those are the last; else from all the entries."""
    window_of = getattr(target.entries, "window", None)  # the cache's: only the window's entries up to as_of decoded
    found = window_of(WINDOW, as_of) if window_of is not None else None
    if found is not None:
        whole, chosen = found  # the days after the window's first, or all
        known = ordered_entries(chosen)
        if whole or len(known) >= count:
            return known[max(len(known) - count, 0):]
    elif getattr(target.entries, "latest", None) is not None:
        window, total = latest_entries(target, WINDOW)
        if len(window) == total:
            known = [entry for entry in ordered_entries(window) if entry.date <= as_of]
            return known[max(len(known) - count, 0):]
        first = window[0].date if window else None
        known = [entry for entry in ordered_entries(entry for entry in window if first < entry.date <= as_of)]
        if len(known) >= count:
            return known[len(known) - count:]
    known = entries_as_of(target, as_of)
    return known[max(len(known) - count, 0):]


WINDOW = 64  # the cache's `latest` rows (files.stored.LATEST): more would read all the entries


# The last answer of entries_as_of, kept with its (frozen) target: a strong reference, so that
# `is` cannot match another target made at the same address. Callers only read the list.
_latest: tuple = (None, None, [])
