"""The burn-up series of `show`, and the figures of parents adding up their parts, against the
straightforward definition: the figure as of each point computed afresh from the entries, not
through the timeline compute takes it from (synthetic targets)."""

from datetime import date, timedelta
from decimal import Decimal, localcontext

from hypothesis import assume, given, settings, strategies as st

from helpers import examples
from kpitrack.domain.compute import (current_figure, disagreements, figure_function, figures,
                              last_update_of, parts_sum)
from kpitrack.reports.series import chart_series, figure_on
from kpitrack.domain.model import Direction, Entry, Kind, Target
from kpitrack.domain.units import conversion, tidy
from test_timeline import figure, known

START = date(2023, 1, 1)
days = st.integers(min_value=-20, max_value=420).map(lambda offset: START + timedelta(days=offset))
# entries fall on few distinct days, so that increments and totals often share one
entry_days = st.integers(min_value=-2, max_value=40).map(lambda step: START + timedelta(days=step * 10))
values = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


def defined(target, day, others=None):
    """The figure as of `day` by definition: from the entries up to it, or the sum of the parts'."""
    if target.parts and not target.entries and others is not None:
        with localcontext(prec=200):
            return tidy(sum((defined(others[part], day, others) * conversion(others[part].unit, target.unit)
                             for part in target.parts), Decimal(0)))
    return figure(target, known(target, day))


@st.composite
def entries(draw, kind):
    found = []
    for line in range(draw(st.integers(min_value=0, max_value=25))):
        when = draw(entry_days)
        if kind is Kind.MILESTONE:
            found.append(Entry(date=when, done=draw(st.booleans()), line=line))
        else:
            total = kind is Kind.CUMULATIVE and draw(st.booleans())
            found.append(Entry(date=when, value=draw(values), total=total, line=line))
    return tuple(found)


@st.composite
def targets(draw, name="t", unit=None, kinds=tuple(Kind)):
    kind = draw(st.sampled_from(kinds))
    direction = draw(st.sampled_from(tuple(Direction)))
    baseline = draw(values) if kind is not Kind.MILESTONE else Decimal(0)
    goal = baseline + (-1 if direction is Direction.DECREASE else 1) * draw(
        st.decimals(min_value="0.01", max_value=50000, places=2))
    if kind is Kind.MILESTONE:
        baseline, goal = Decimal(0), Decimal(1)
    return Target(id=name, title=name, start=START, due=START + timedelta(days=draw(st.integers(0, 400))),
                  kind=kind, direction=direction, target=goal, baseline=baseline,
                  unit=unit if unit is not None else draw(st.sampled_from(["", "套", "万套"])),
                  entries=draw(entries(kind)))


@st.composite
def families(draw):
    """A parent that adds up its parts (a part may be a parent itself), or a target on its own."""
    own = draw(targets())
    if not draw(st.booleans()):
        return own, None
    parts = [draw(targets(f"p{number}", unit=draw(st.sampled_from(["套", "万套"])),
                          kinds=(Kind.CUMULATIVE, Kind.LEVEL)))
             for number in range(draw(st.integers(1, 3)))]
    others = {part.id: part for part in parts}
    if draw(st.booleans()):  # a middle level: p0 adds up parts of its own
        grand = draw(targets("g0", unit="套", kinds=(Kind.CUMULATIVE, Kind.LEVEL)))
        middle = Target(**{**parts[0].__dict__, "kind": Kind.CUMULATIVE, "entries": (), "parts": ("g0",)})
        others.update({"g0": grand, middle.id: middle})
    parent = Target(id="parent", title="parent", start=START, due=own.due, kind=Kind.CUMULATIVE,
                    target=abs(own.target) + 1, unit="套", parts=tuple(others[p].id for p in (part.id for part in parts)))
    others[parent.id] = parent
    return parent, others


def same(series, expected):
    """Equal as numbers and written alike: 1.0 and 1 would print differently."""
    assert [(day, str(planned), str(actual)) for day, planned, actual in series] == \
        [(day, str(planned), str(actual)) for day, planned, actual in expected]


@settings(max_examples=examples(120), deadline=None)
@given(families(), days, st.lists(days, max_size=10))
def test_the_chart_steps_hold_the_figure_of_every_day(family, as_of, when):
    """The chart's actual steps, read on any day from start to the as-of day, give the figure as
    of that day by definition; the last step is the as-of day with the current figure."""
    target, others = family
    series = chart_series(target, as_of, others)
    if target.kind is Kind.MILESTONE:
        assert series is None  # a milestone has no chart
        return
    if as_of < target.start or (series.readings and not series.actual):  # no reading yet: nothing drawn
        assert series.actual == ()
        return
    assert series.actual[-1] == (as_of, series.actual[-1][1])
    assert str(series.actual[-1][1]) == str(defined(target, as_of, others))
    for day in [target.start, *when]:
        if target.start <= day <= as_of and figure_on(series.actual, day) is not None:
            assert str(figure_on(series.actual, day)) == str(defined(target, day, others))


@settings(max_examples=examples(100), deadline=None)
@given(families(), st.lists(days, max_size=30))
def test_figure_function_equals_current_figure_on_any_day(family, when):
    target, others = family
    figure_at = figure_function(target, others)
    assert [str(figure_at(day)) for day in when] == [str(defined(target, day, others)) for day in when]
    assert [str(figure_at(day)) for day in when] == [str(current_figure(target, day, others)) for day in when]


def test_same_day_increments_come_before_a_total():
    target = Target(id="t", title="t", start=START, due=date(2023, 12, 31), target=Decimal(100), entries=(
        Entry(date(2023, 3, 1), Decimal(40), total=True), Entry(date(2023, 3, 1), Decimal(5)),
        Entry(date(2023, 2, 1), Decimal(7)), Entry(date(2023, 3, 2), Decimal("1.50"))))
    figure_at = figure_function(target)
    assert [figure_at(date(2023, 2, 28)), figure_at(date(2023, 3, 1)), figure_at(date(2023, 3, 2))] == \
        [Decimal(7), Decimal(40), Decimal("41.50")]
    assert str(figure_at(date(2022, 12, 31))) == "0"


@settings(max_examples=examples(60), deadline=None)
@given(families(), days)
def test_figures_sorts_once_and_agrees_with_the_single_figures(family, as_of):
    target, others = family
    result = figures(target, as_of, others=others)
    assert (str(result.current), result.last_update) == \
        (str(current_figure(target, as_of, others)), last_update_of(target, as_of, others))


@settings(max_examples=examples(80), deadline=None)
@given(families(), entries(Kind.CUMULATIVE))
def test_disagreements_equal_a_figure_afresh_per_entry(family, own):
    target, others = family
    assume(others is not None)
    parent = Target(**{**target.__dict__, "entries": own})  # a parent with figures of its own
    expected = [(entry, current_figure(parent, entry.date), parts_sum(parent, entry.date, others))
                for entry in parent.entries]
    expected = [(entry, str(mine), str(summed)) for entry, mine, summed in expected if mine != summed]
    assert [(entry, str(mine), str(summed)) for entry, mine, summed in disagreements(parent, others)] == expected
