"""The page's last three entries of a target (formats/html) come from the cache's last entries by
date where it keeps them apart, and are exactly the last three of all the entries known as of the
day: estimates given way to figures, increments before totals, whatever the window holds."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from helpers import make_target
from kpitrack.domain import timeline
from kpitrack.domain.model import Entry
from kpitrack.domain.timeline import last_by_date


class Kept(tuple):
    """Entries as the cache gives them: with `latest`, the last entries by date (file order within a day)."""

    asked: list = []

    def latest(self, count):
        Kept.asked.append(count)
        return last_by_date(self, count, lambda entry: entry.date)


def kept(target):
    return dataclasses.replace(target, entries=Kept(target.entries))


entry = st.builds(lambda day, value, total, estimate: Entry(date=date(2023, 1, 1) + timedelta(days=day),
                                                             value=Decimal(value), total=total, estimate=estimate),
                  st.integers(0, 12), st.integers(0, 50), st.booleans(), st.booleans())


@settings(deadline=None)
@given(st.lists(entry, max_size=14), st.integers(0, 14), st.integers(1, 4), st.integers(1, 8))
def test_the_last_entries_as_of_a_day_are_those_of_all_the_entries(entries, day, count, window):
    as_of = date(2023, 1, 1) + timedelta(days=day)
    target = make_target(entries=entries)
    plain = timeline.entries_as_of(target, as_of)
    expected = plain[max(len(plain) - count, 0):]
    saved, timeline.WINDOW = timeline.WINDOW, window  # a window smaller than the entries, or not
    try:
        assert timeline.last_entries_as_of(kept(target), as_of, count) == expected
    finally:
        timeline.WINDOW = saved
    assert timeline.last_entries_as_of(target, as_of, count) == expected


def test_the_window_is_read_and_not_all_the_entries():
    entries = [Entry(date=date(2023, 1, 1) + timedelta(days=day), value=Decimal(day)) for day in range(200)]
    Kept.asked = []
    assert timeline.last_entries_as_of(kept(make_target(entries=entries)), date(2023, 6, 30), 3) == [
        entry for entry in entries if entry.date <= date(2023, 6, 30)][-3:]
    assert Kept.asked == [timeline.WINDOW]


def test_the_page_lists_the_same_last_entries_from_the_cache_s_window_as_from_all_of_them(tmp_path, monkeypatch):
    """The cache's window (files.stored.StoredEntries.window) on a real workspace, against no cache
    at all: estimates given way to figures, totals, entries after the as-of day, two on some days."""
    import re

    from helpers import run, write_target

    lines = ['title = "synthetic: window"', "target = 1000", "start = 2023-01-01", "due = 2023-12-31", ""]
    for index in range(90):
        day = date(2023, 1, 1) + timedelta(days=index * 3 // 2)  # two entries on some days
        lines += ["[[progress]]", f"date = {day}", f"value = {index % 7 if index % 11 else index * 3}",
                  f'note = "n{index}"'] + (["estimate = true"] if index % 5 == 0 else []) + (
                  ["total = true"] if index % 11 == 0 else []) + [""]
    write_target(tmp_path / "space", "window", "\n".join(lines))

    def last_lines(as_of):
        result = run(tmp_path / "space", "report", "--as-of", as_of, "--format", "html")
        assert result.exit_code == 0, result.output
        return re.findall(r"<p>2023-[^<]*</p>", result.stdout)

    days = ("2023-02-20", "2023-03-05", "2023-04-01", "2023-06-30", "2024-01-01")
    monkeypatch.setenv("KPITRACK_CACHE_DIR", "off")
    expected = {as_of: last_lines(as_of) for as_of in days}
    monkeypatch.setenv("KPITRACK_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):  # before the cache keeps the last entries apart, and from them
        for as_of in days:
            assert last_lines(as_of) == expected[as_of] and len(expected[as_of]) == 3, as_of
