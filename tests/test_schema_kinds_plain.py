"""The quick reading of progress tables (schema_kinds.plain_entries) gives exactly the Entry that
schema.entry_from_table gives, or leaves the table to it (None); it never passes what that refuses."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpitrack.domain.errors import KpitrackError
from kpitrack.domain.model import Direction, Kind, Target
from kpitrack.files.schema import entry_from_table, entry_problem
from kpitrack.files.schema_kinds import plain_entries
import helpers

values = st.one_of(
    st.dates(), st.datetimes(), st.integers(-10**30, 10**30), st.booleans(), st.none(),
    st.decimals(places=2, min_value=-10**6, max_value=10**6), st.decimals(),  # NaN, infinities, exponents
    st.sampled_from([Decimal("1E+3"), Decimal("1." + "0" * 30), Decimal("9" * 29), Decimal("-0.0"), Decimal("12.30")]),
    st.sampled_from(["nearly", "over", "about", "roughly", "", "x" * 2001, "x" * 2000, "note"]), st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
keys = st.sampled_from(["date", "value", "total", "done", "note", "source", "qualifier", "estimate", "repeat",
                        "valeu", "date"])
tables = st.dictionaries(keys, values, max_size=6).map(
    lambda table: table if "date" in table or len(table) % 3 == 0 else {**table, "date": date(2023, 5, 31)})
targets = st.builds(
    lambda kind, direction: Target("t", "t", date(2023, 1, 1), date(2023, 12, 31), kind=kind, direction=direction),
    st.sampled_from(list(Kind)), st.sampled_from(list(Direction)))


def slow(table, target):
    try:
        return entry_from_table(table, 0, target, Path("t.toml"), {("progress", 0, None): 7})
    except KpitrackError as error:
        return ("error", str(error))


@settings(max_examples=helpers.examples(1500))
@given(tables, targets)
@example({"date": date(3000, 1, 1), "value": Decimal(1)}, Target("t", "t", date(2023, 1, 1), date(2023, 12, 31)))
@example({"date": datetime(2023, 1, 1), "value": 1}, Target("t", "t", date(2023, 1, 1), date(2023, 12, 31)))
@example({"date": date(2023, 1, 1), "value": Decimal("9" * 29)}, Target("t", "t", date(2023, 1, 1), date(2023, 12, 31)))
@example({"date": date(2023, 1, 1), "value": 5, "qualifier": "roughly"},
         Target("t", "t", date(2023, 1, 1), date(2023, 12, 31)))
@example({"date": date(2023, 1, 1), "value": 5, "note": "x" * 2001},
         Target("t", "t", date(2023, 1, 1), date(2023, 12, 31)))
@example({"date": date(2023, 1, 1), "value": 5, "source": "x" * 2001},
         Target("t", "t", date(2023, 1, 1), date(2023, 12, 31)))
def test_the_quick_reading_is_the_checked_one_or_none(table, target):
    quick = plain_entries([table], [7], target, entry_problem)[0]
    if quick is not None:
        assert repr(quick) == repr(slow(table, target))


def test_the_usual_entries_are_read_quickly():
    target = Target("t", "t", date(2023, 1, 1), date(2023, 12, 31))
    tables = [{"date": date(2023, 1, 31), "value": Decimal("12.5"), "note": "月报"},
              {"date": date(2023, 2, 28), "value": 130, "total": True, "qualifier": "about", "estimate": True},
              {"date": date(2023, 3, 31), "value": Decimal("1"), "repeat": 2, "source": "统计局"}]
    quick = plain_entries(tables, [3, 9, 15], target, entry_problem)
    assert [entry.line for entry in quick] == [3, 9, 15]
    assert quick == [slow(table, target)._replace(line=line) for table, line in zip(tables, (3, 9, 15))]
    assert plain_entries([{"date": date(2023, 1, 31), "value": Decimal(-1)}], [3], target, entry_problem) == [None]
