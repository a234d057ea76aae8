"""Property tests of the merge driver (hypothesis, synthetic data): whatever entries the two sides
add to a common file, in whatever key order, the merge keeps each once, in date order, parses,
and leaves the common part byte for byte."""

import tomllib
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from kpitrack.git.merge import merge
from test_merge import BASE

ENTRY = st.tuples(st.integers(0, 200), st.integers(1, 50), st.booleans())  # day, value, keys reversed


def block(entry) -> str:
    day, value, reverse = entry
    lines = [f"date = {date(2023, 2, 1) + timedelta(days=day)}", f"value = {value}"]
    return "\n[[progress]]\n" + "\n".join(reversed(lines) if reverse else lines) + "\n"


def facts(text: str) -> Counter:
    return Counter((str(table["date"]), table["value"]) for table in
                   tomllib.loads(text, parse_float=Decimal).get("progress", []))


@settings(max_examples=examples(200), deadline=None)
@given(common=st.lists(ENTRY, max_size=4), ours=st.lists(ENTRY, max_size=4), theirs=st.lists(ENTRY, max_size=4),
       shared=st.lists(ENTRY, max_size=2))
def test_entries_of_both_sides_are_kept_once_in_date_order(common, ours, theirs, shared):
    base = BASE + "".join(map(block, sorted(common)))
    mine = base + "".join(map(block, sorted(ours + shared)))
    their = base + "".join(map(block, sorted(theirs + shared)))
    result = merge(base, mine, their)
    assert result.conflicts == 0
    added_mine, added_theirs = facts(mine) - facts(base), facts(their) - facts(base)
    assert facts(result.text) == facts(base) + (added_mine | added_theirs)
    assert result.text.startswith(BASE)  # the definition and first entry, byte for byte
    def days(text):
        return [str(table["date"]) for table in tomllib.loads(text)["progress"]]

    if days(mine) == sorted(days(mine)):  # ours in date order: theirs are put in their places
        assert days(result.text) == sorted(days(result.text))


@pytest.mark.slow
def test_a_long_file_merges_in_linear_time():
    """10,000 entries on each side: a quadratic step took five minutes here; now about a second."""
    import time

    body = "".join(block((day % 300, day, False)) for day in range(10_000))
    base = BASE + body
    started = time.perf_counter()
    result = merge(base, base + block((330, 5, False)), base + block((331, 6, True)))
    assert time.perf_counter() - started < 30
    assert result.conflicts == 0 and result.text.count("[[progress]]") == 10_003
