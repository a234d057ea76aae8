"""What the cache keeps of a target file, and how it is read back: the definition as tagged JSON,
the entries as compact rows (read only when a command asks for them, and written the first time
one does), and the timeline in chunks of up to CHUNK days, indexed by their first day (the
definition is kpitrack.files.definition's). Text only, never code. Used by kpitrack.files.cache,
which finds, checks and writes the rows."""

from __future__ import annotations

import json
import re
import sqlite3
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any, Callable

from kpitrack.domain.model import Entry, ReadingQualifier, Target
from kpitrack.domain.timeline import DayState, Timeline, fold_key, last_by_date, timeline
from kpitrack.files.definition import figure, iso_date as _day

CHUNK = 16  # days of a timeline kept in one row: a lookup reads at most this many (64: a status read 4 KB a target)
LATEST = 64  # the last entries by date kept apart, so that `show` lists its 20 without reading all
DAMAGED = (ValueError, TypeError, KeyError, IndexError)  # what rows of another shape raise when decoded
unwritable: set = set()  # connections another process kept busy: not written by this one


def write(connection, statement: str, arguments: tuple) -> bool:
    """Run a write, or give the cache up for writing for this run when it is busy or broken."""
    if connection in unwritable:
        return False
    try:
        connection.execute(statement, arguments)
        return True
    except sqlite3.Error:
        unwritable.add(connection)
        return False


class StoredEntries(Sequence):
    """A target's entries as the cache keeps them: read from it only when asked for (and parsed
    from the file, then kept, the first time). Its `timeline` answers the target's state on a day
    from the index, without them."""

    __slots__ = ("_connection", "file", "_count", "parsed", "_entries", "_from_cache", "timeline")  # one a target

    def __init__(self, connection, file: int, count: int, first_day: date | None,
                 parsed: Callable[[], Target], days: DayRows | None = None) -> None:
        self._connection, self.file, self._count, self.parsed = connection, file, count, parsed
        self._entries: tuple[Entry, ...] | None = None
        self._from_cache = False
        self.timeline = StoredTimeline(self, first_day, days or DayRows(connection))

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.entries()[index]

    def __iter__(self):
        return iter(self.entries())

    def __eq__(self, other) -> bool:
        return isinstance(other, (tuple, StoredEntries)) and self.entries() == tuple(other)

    def __hash__(self) -> int:
        return hash(self.entries())

    def __repr__(self) -> str:
        return repr(self.entries())

    def entries(self) -> tuple[Entry, ...]:
        if self._entries is None:
            rows = self._rows()
            self._from_cache = rows is not None
            self._entries = rows if rows is not None else self._from_file()
        return self._entries

    def release(self) -> None:
        """Forget the entries decoded and the timeline's states asked for (a page written with them):
        read from the cache again if asked. Entries the cache did not have (parsed from the file) stay."""
        if self._entries is not None and self._from_cache:
            self._entries = None
        self.timeline.release()

    def latest(self, count: int) -> list[Entry]:
        """The last `count` entries by date (file order within a day): up to LATEST of them from a
        row that keeps just those, more from the rows of all."""
        column = "latest" if count <= LATEST else "entries"
        found = self.read(f"SELECT {column} FROM files WHERE id = ?", (self.file,)) if self._entries is None else None
        try:
            rows = json.loads(found[0][0]) if found and found[0][0] is not None else None
            if rows is not None:  # ISO dates sort as text: only the rows shown are made into entries
                return list(_decode_entries(last_by_date(rows, count, lambda row: row[0])))
        except DAMAGED:
            pass
        return last_by_date(self.entries(), count, lambda entry: entry.date)

    def window(self, count: int, until: date) -> tuple[bool, list[Entry]] | None:
        """Of the last `count` entries by date (up to LATEST, from the row that keeps just those):
        whether they are all the target's entries, and those of them dated on or before `until`
        (after the first one's day, which may be cut, unless they are all) made into entries; the
        others are never decoded. None where the row is not kept (or damaged) or the entries are read."""
        if self._entries is not None or count > LATEST:
            return None
        found = self.read("SELECT latest FROM files WHERE id = ?", (self.file,))
        try:
            rows = json.loads(found[0][0]) if found and found[0][0] is not None else None
            if rows is None:
                return None
            rows = last_by_date(rows, count, lambda row: row[0])
            whole, shown = self._count <= count, until.isoformat()
            first = rows[0][0] if rows else None
            chosen = [row for row in rows if row[0] <= shown and (whole or row[0] > first)]
            return whole, list(_decode_entries(chosen))
        except DAMAGED:
            return None

    def printed_columns(self) -> tuple[tuple, ...] | None:
        """The entries' fields column by column (Entry's order), straight from the cache's text
        without making entries: see `printed_columns`. None where the rows are not kept, or not
        all in the form they print in; then `entries()` decodes them (or reads the file)."""
        if self._entries is not None:
            return None
        found = self.read("SELECT entries FROM files WHERE id = ?", (self.file,))
        try:
            return printed_columns(json.loads(found[0][0])) if found and found[0][0] is not None else None
        except DAMAGED:
            return None

    def _rows(self) -> tuple[Entry, ...] | None:
        """The entries as the cache keeps them; None where it has none (not yet written, replaced,
        or damaged)."""
        found = self.read("SELECT entries FROM files WHERE id = ?", (self.file,))
        try:
            return _decode_entries(json.loads(found[0][0])) if found and found[0][0] is not None else None
        except DAMAGED:
            return None

    def _from_file(self) -> tuple[Entry, ...]:
        entries = self.parsed().entries
        write(self._connection, "UPDATE files SET entries = ?, latest = ? WHERE id = ?",
              (encode_entries(entries), encode_entries(last_by_date(entries, LATEST, lambda entry: entry.date)),
               self.file))
        return entries

    def read(self, query: str, arguments: tuple) -> list:
        try:
            return self._connection.execute(query, arguments).fetchall()
        except sqlite3.Error:
            return []


class DayRows:
    """The files' states on a day, for the targets of one load of a workspace: a status asks each
    target for the same day, so once two have asked for it, every file's is read for it in one
    query. Of each row only the line of the day asked for is kept (10,000 targets' whole rows held
    for the command were 40 MB)."""

    def __init__(self, connection) -> None:
        self._connection = connection
        self._once: set[str] = set()
        self._all: dict[str, dict[int, tuple]] = {}  # day -> file -> (line, next)

    def row(self, file: int, shown: str) -> tuple | None:
        """(the line of `file`'s state on the day `shown`, or None where its row has none; the first
        day of the row after it) of the row that holds that state; None where there is no row."""
        every = self._all.get(shown)
        if every is None and shown in self._once:
            # each file's row is found by two seeks in the (file, day) index, not by a scan of all
            every = self._all[shown] = self._read(
                "SELECT days.file, days.states, days.next FROM files JOIN days ON days.file = files.id AND "
                "days.day = (SELECT max(day) FROM days WHERE file = files.id AND day <= ?)", (shown,), shown)
        self._once.add(shown)
        # a timeline keeps what it was given: asked again (its states released), a file is read alone
        found = every.pop(file, None) if every is not None else None
        return found if found is not None else self._read(
            "SELECT file, states, next FROM days WHERE file = ? AND day <= ? ORDER BY day DESC LIMIT 1",
            (file, shown), shown).get(file)

    def _read(self, query: str, arguments: tuple, shown: str) -> dict[int, tuple]:
        try:
            return {file: (state_line(states, shown), following)
                    for file, states, following in self._connection.execute(query, arguments)}
        except sqlite3.Error:
            return {}


def state_line(states: Any, shown: str) -> str | None:
    """The line of a row of the timeline (see timeline_chunks) that holds the state on the day
    `shown`: the last one of a day up to it; None where there is none (or the row is no text)."""
    if type(states) is not str:
        return None
    lines = states.split("\n")
    # each line starts ["YYYY-MM-DD", : those of days up to `shown` sort before ["shown"~
    found = bisect_right(lines, f'["{shown}"~') - 1
    return lines[found] if found >= 0 else None


class StoredTimeline:
    """A target's states by day, looked up in the cache's index (see kpitrack.domain.timeline.Timeline);
    rows gone or damaged are made again from the file."""

    __slots__ = ("_made", "checked", "_entries", "_first_day", "_days", "_asked", "_fallback")

    def __init__(self, entries: StoredEntries, first_day: date | None, days: DayRows) -> None:
        self._made: Target | None = None
        self.checked: Target | None = None  # the target whose fold_key was found to be `key` (timeline.timeline)
        self._entries, self._first_day, self._days = entries, first_day, days
        self._asked: dict[date, DayState | None] = {}
        self._fallback: Timeline | None = None

    def made_for(self, target: Target) -> None:
        """The target the states were made for (the one read from the row): its own key, checked."""
        self._made = self.checked = target

    @property
    def key(self) -> tuple | None:
        """The kpitrack.domain.timeline.fold_key of the target the states were made for, made when a
        target of other fields (a parent given its parts' sums) asks."""
        return None if self._made is None else fold_key(self._made)

    def at(self, day: date) -> DayState | None:
        if self._first_day is None or day < self._first_day:
            return None
        if day not in self._asked:
            shown = day.isoformat()
            try:
                line, following = self._days.row(self._entries.file, shown)  # TypeError: no row
                if following is not None and following <= shown:
                    raise ValueError("a row of the timeline is missing")
                state = json.loads(line)  # TypeError: no line
                if not isinstance(state, list) or state[0] != line[2:12]:
                    raise ValueError("a row of another shape")
                self._asked[day] = decode_state(state)  # only the state asked for is decoded
            except (*DAMAGED, IndexError, AttributeError):
                self._asked[day] = self._replaced().at(day)
        return self._asked[day]

    def days_until(self, day: date) -> list[date]:
        if self._first_day is None or day < self._first_day:
            return []
        shown = day.isoformat()
        rows = self._entries.read("SELECT day, states, next FROM days WHERE file = ? AND day <= ? ORDER BY day",
                                  (self._entries.file, shown))
        try:
            if not rows or rows[0][0] != self._first_day.isoformat() or any(
                    row[2] != following[0] for row, following in zip(rows, rows[1:])) or (
                    rows[-1][2] is not None and rows[-1][2] <= shown):
                raise ValueError("a row of the timeline is missing")
            states = {_day(state[0]): state for row in rows for state in states_of(row[1]) if state[0] <= shown}
            # a chart asks for the figure on each of these days next: kept, decoded, once all are sound
            decoded = {day: decode_state(state) for day, state in states.items() if day not in self._asked}
            self._asked.update(decoded)
            return list(states)
        except (*DAMAGED, AttributeError):
            return self._replaced().days_until(day)

    def release(self) -> None:
        """Forget the states asked for (kept only to answer again): the rows give them again."""
        self._asked = {}

    def _replaced(self) -> Timeline:
        """The rows are gone (another process replaced them, or the cache failed): from the file."""
        if self._fallback is None:
            self._fallback = Timeline(timeline(self._entries.parsed()).states)
        return self._fallback


def timeline_chunks(states: list[DayState]) -> list[tuple[str, str, str | None]]:
    """(first day, up to CHUNK states, first day of the next row) for the rows of a timeline: a lookup
    that finds a row whose next one should cover the day knows a row is missing. A row's states are
    lines of JSON, each `["YYYY-MM-DD", ...`: a lookup decodes its day's line alone. Written as json.dumps
    writes them, without its encoder (100,000 in a cold status): dates, figures, codes, no free text."""
    lines = [f'["{iso_day(day)}", "{figure!s}", {_WORDINGS[wording]}, {"true" if estimate else "false"}, {_text(change)}, '
             f'{_text(met_since and iso_day(met_since))}]' for day, figure, wording, estimate, change, met_since in states]
    return [(lines[start][2:12], "\n".join(lines[start:start + CHUNK]),  # [2:12]: the line's day
             lines[start + CHUNK][2:12] if start + CHUNK < len(lines) else None) for start in range(0, len(lines), CHUNK)]


def _text(value: Any) -> str:
    return "null" if value is None else f'"{value!s}"'  # a date's or a figure's text needs no escape


def states_of(text: str) -> list:
    """The states of a row of the timeline, as timeline_chunks wrote them."""
    return json.loads("[" + text.replace("\n", ",") + "]")


iso_day = lru_cache(maxsize=4096)(date.isoformat)  # a workspace's entries fall on few distinct days
_WORDINGS = {None: "null", **{wording: json.dumps(wording.value) for wording in ReadingQualifier}}


def decode_state(row: list) -> DayState:
    day, value, wording, estimate, change, met_since = row
    return DayState(date.fromisoformat(day), figure(value), None if wording is None else ReadingQualifier(wording),
                    bool(estimate), None if change is None else figure(change),
                    None if met_since is None else date.fromisoformat(met_since))


def encode_entries(entries) -> str:
    return json.dumps([[day.isoformat(), value if value is None else str(value), total, done, note, source, line,
                        qualifier and qualifier.value, estimate, repeat, node]
                       for day, value, total, done, note, source, line, qualifier, estimate, repeat, node in entries],
                      ensure_ascii=False)


def _decode_entries(rows: list) -> tuple[Entry, ...]:
    fromisoformat, qualifier, make = _day, ReadingQualifier, tuple.__new__  # Entry's fields all given: no defaults
    entries = []
    for day, value, total, done, note, source, line, reading, estimate, repeat, node in rows:
        if not (isinstance(total, bool) and isinstance(estimate, bool) and (done is None or isinstance(done, bool))):
            raise ValueError("another shape")
        entries.append(make(Entry, (fromisoformat(day), None if value is None else figure(value), total, done, note,
                                    source, line, None if reading is None else qualifier(reading), estimate, repeat,
                                    node)))
    return tuple(entries)


def printed_columns(rows: Any) -> tuple[tuple, ...] | None:
    """The cache's entry rows as eleven columns in Entry's order, each value as the entry prints
    it: a date as its ISO text, a figure as its exact digits, a reading qualifier as its word,
    the rest as kept; None unless every row is one that `_decode_entries` reads, and its date
    and figure texts are already those printed (every row the cache writes is). The whole is
    tested a column at a time, without a Decimal or an Entry made: export reads 100,000 rows."""
    if type(rows) is not list:
        return None
    if not rows:
        return ((),) * 11
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {11}:
        return None
    columns = tuple(zip(*rows))
    days, values, totals, dones, readings, estimates = (columns[index] for index in (0, 1, 2, 3, 7, 8))
    figures = [value for value in values if value is not None] if None in values else values
    try:
        if not (set(map(type, totals)) <= _BOOL and set(map(type, estimates)) <= _BOOL
                and set(map(type, dones)) <= _BOOL_OR_NONE and _READING_WORDS.issuperset(readings)
                and all(map(_printed_day, set(days))) and _PRINTED_FIGURES.fullmatch("\n".join(figures))):
            return None
    except DAMAGED:
        return None
    return columns


_BOOL, _BOOL_OR_NONE = {bool}, {bool, type(None)}
_READING_WORDS = frozenset([None, *(qualifier.value for qualifier in ReadingQualifier)])
# Figures a file can hold that print (kpitrack.words.display.exact_digits) as the very text: no exponent,
# no leading zero or sign but -, ASCII digits; far inside the bounds `figure` checks.
_PRINTED_FIGURE = r"-?(?:0|[1-9][0-9]{0,27})(?:\.[0-9]{1,28})?"
_PRINTED_FIGURES = re.compile(f"(?:{_PRINTED_FIGURE}(?:\n{_PRINTED_FIGURE})*)?")


@lru_cache(maxsize=4096)
def _printed_day(text: Any) -> bool:
    """Whether `text` is a date as the cache writes it (and prints it): its ISO form."""
    return type(text) is str and _day(text).isoformat() == text
