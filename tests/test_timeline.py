"""The timeline (one state per day with entries, made in one pass, kept by the cache) against the
straightforward definitions, each computed afresh from every entry up to the date (synthetic targets)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from kpitrack.domain.model import Direction, Entry, Kind, Qualifier, ReadingQualifier, Target
from kpitrack.domain.qualifiers import meets
from kpitrack.domain.timeline import fold, state_at
import helpers

START = date(2023, 1, 1)
days = st.integers(min_value=-20, max_value=420).map(lambda offset: START + timedelta(days=offset))
entry_days = st.integers(min_value=-2, max_value=40).map(lambda step: START + timedelta(days=step * 10))
values = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
wordings = st.none() | st.sampled_from(tuple(ReadingQualifier))


@st.composite
def targets(draw):
    kind = draw(st.sampled_from(tuple(Kind)))
    direction = draw(st.sampled_from(tuple(Direction)))
    baseline = draw(values) if kind is not Kind.MILESTONE else Decimal(0)
    goal = baseline + (-1 if direction is Direction.DECREASE else 1) * draw(
        st.decimals(min_value="0.01", max_value=50000, places=2))
    entries = []
    for line in range(draw(st.integers(min_value=0, max_value=25))):
        when, estimate = draw(entry_days), draw(st.booleans())
        if kind is Kind.MILESTONE:
            entries.append(Entry(date=when, done=draw(st.booleans()), line=line, estimate=estimate))
        else:
            total = kind is Kind.CUMULATIVE and draw(st.booleans())
            entries.append(Entry(date=when, value=draw(values), total=total, line=line,
                                 qualifier=draw(wordings), estimate=estimate))
    return Target(id="t", title="synthetic", start=START, due=START + timedelta(days=draw(st.integers(0, 400))),
                  kind=kind, direction=direction, target=goal if kind is not Kind.MILESTONE else Decimal(1),
                  baseline=baseline, qualifier=draw(st.none() | st.sampled_from(tuple(Qualifier))),
                  entries=tuple(entries))


def known(target, as_of):
    """The entries that count up to `as_of`, oldest first, increments before totals on a day."""
    upto = [entry for entry in target.entries if entry.date <= as_of]
    finals = {(entry.date, entry.total) for entry in upto if not entry.estimate}
    kept = [entry for entry in upto if not (entry.estimate and (entry.date, entry.total) in finals)]
    return sorted(kept, key=lambda entry: (entry.date, entry.total))


def figure(target, entries):
    if target.kind is Kind.MILESTONE:
        return Decimal(1) if entries and entries[-1].done else Decimal(0)
    if target.kind is not Kind.CUMULATIVE:
        return entries[-1].value if entries else target.baseline
    progress = Decimal(0)
    for entry in entries:
        progress = entry.value if entry.total else progress + entry.value
    return target.baseline + progress


def estimate(target, entries):
    if target.kind is not Kind.CUMULATIVE:
        return bool(entries) and entries[-1].estimate
    since = max((index for index, entry in enumerate(entries) if entry.total), default=0)
    return any(entry.estimate for entry in entries[since:])


def met_since(target, as_of):
    since = None
    for day in sorted({entry.date for entry in known(target, as_of)}):
        entries = known(target, day)
        value = figure(target, entries)
        met = value >= 1 if target.kind is Kind.MILESTONE else meets(target, value, entries[-1].qualifier)
        since = (since or day) if met else None
    return since


@settings(max_examples=helpers.examples(400), deadline=None)
@given(targets(), days)
def test_the_state_on_a_day_is_what_the_entries_up_to_it_say(target, as_of):
    entries = known(target, as_of)
    state = state_at(target, as_of)
    if not entries:
        assert state is None
        return
    readings = target.kind in (Kind.LEVEL, Kind.INDICATOR, Kind.GROWTH)
    assert state.day == entries[-1].date
    assert state.figure == figure(target, entries)
    assert state.wording == entries[-1].qualifier
    assert state.estimate == estimate(target, entries)
    assert state.change == (entries[-1].value - entries[-2].value if readings and len(entries) >= 2 else None)
    assert state.met_since == met_since(target, as_of)


@settings(max_examples=helpers.examples(100), deadline=None)
@given(targets())
def test_one_state_a_day_with_entries(target):
    states = fold(target)
    assert [state.day for state in states] == sorted({entry.date for entry in target.entries})


def test_a_change_is_worked_out_at_the_usual_precision():
    readings = (Entry(date=START, value=Decimal("0.1234567890123456789012345678")),
                Entry(date=START + timedelta(days=1), value=Decimal("1234567890123456789012345678")))
    target = Target(id="t", title="synthetic", start=START, due=START + timedelta(days=9), kind=Kind.LEVEL,
                    target=Decimal(2), entries=readings)
    assert state_at(target, START + timedelta(days=1)).change == readings[1].value - readings[0].value


@settings(max_examples=helpers.examples(300), deadline=None)
@given(targets(), days)
def test_met_as_of_a_day_is_whether_its_figure_meets_the_target(target, as_of):
    """compute.met_at reads the state's met_since: the same answer as asking the figure and the
    wording of the latest entry (or the figure before any) against the target."""
    from kpitrack.domain.compute import met_at

    entries = known(target, as_of)
    value = figure(target, entries)
    wording = entries[-1].qualifier if entries else None
    expected = value >= 1 if target.kind is Kind.MILESTONE else meets(target, value, wording)
    assert met_at(target, as_of) is expected
