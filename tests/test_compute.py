import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from helpers import make_target, run, write
from kpitrack.domain.compute import current_figure, figures
from kpitrack.domain.model import Direction, Entry, Kind, Settings, Status
from kpitrack.domain.schedule import planned_percent

D = Decimal


def test_straight_line_plan_counts_days_inclusively():
    # 2023-01-01 .. 2023-06-30 is 181 of 365 days: the example of the spec.
    assert figures(make_target(), date(2023, 6, 30)).planned == D("49.59")


def test_leap_year_plan_has_366_days():
    target = make_target(start=date(2024, 1, 1), due=date(2024, 12, 31))
    assert figures(target, date(2024, 6, 30)).planned == D("49.73")  # 182/366


def test_plan_is_zero_before_start_and_hundred_from_due_on():
    target = make_target()
    assert planned_percent(target, date(2022, 12, 31)) == 0
    assert planned_percent(target, date(2023, 1, 1)) == D(100) / 365
    assert planned_percent(target, date(2023, 12, 31)) == 100
    assert planned_percent(target, date(2024, 3, 1)) == 100


def test_cumulative_entries_add_up_exactly():
    target = make_target(target=3295.3, entries=[(date(2023, 1, 29), "847.6"), (date(2023, 2, 1), "611.7"),
                                                 (date(2023, 2, 2), "535.8"), (date(2023, 2, 3), "0.1")])
    assert current_figure(target, date(2023, 12, 31)) == D("1995.2")


def test_entries_after_as_of_are_ignored():
    target = make_target(entries=[(date(2023, 3, 31), 310), (date(2023, 7, 1), 340)])
    assert figures(target, date(2023, 6, 30)).current == 310


def test_running_total_replaces_the_sum_and_later_increments_add_to_it():
    target = make_target(entries=[(date(2023, 3, 31), 310), (date(2023, 6, 30), 650, True),
                                  (date(2023, 7, 31), 100)])
    assert current_figure(target, date(2023, 6, 30)) == 650
    assert current_figure(target, date(2023, 7, 31)) == 750


def test_running_total_includes_the_increments_of_its_own_day():
    entries = [(date(2023, 6, 30), 10), (date(2023, 6, 30), 650, True), (date(2023, 7, 1), 5)]
    assert current_figure(make_target(entries=entries), date(2023, 7, 1)) == 655
    assert current_figure(make_target(entries=entries[::-1]), date(2023, 7, 1)) == 655


def test_cumulative_counts_from_the_baseline():
    target = make_target(target=25000, baseline=10000, entries=[(date(2023, 6, 30), 500)])
    result = figures(target, date(2023, 6, 30))
    assert result.current == 10500
    assert result.completion == D("3.33")


def test_level_takes_the_latest_reading_as_of_the_date():
    target = make_target(kind=Kind.LEVEL, target=25000, baseline=10000,
                         entries=[(date(2023, 6, 30), 17000), (date(2023, 3, 31), 12000), (date(2023, 9, 30), 19000)])
    assert current_figure(target, date(2023, 7, 1)) == 17000
    assert current_figure(target, date(2023, 1, 1)) == 10000  # no reading yet: the baseline


def test_decrease_target_completion_uses_the_same_formula():
    # approval time to fall from 20 days to 5: at 11 days, (11-20)/(5-20) = 60 %.
    target = make_target(kind=Kind.LEVEL, direction=Direction.DECREASE, baseline=20, target=5,
                         entries=[(date(2023, 6, 30), 11)])
    result = figures(target, date(2023, 6, 30))
    assert result.completion == D("60.00")
    assert result.status is Status.ON_TRACK
    assert result.required_per_month == D("-0.99")  # 6 more days to cut over 184 days: 6 * 30.4375 / 184


def test_completion_is_rounded_down_so_it_never_shows_100_before_done():
    target = make_target(target=3, entries=[(date(2023, 1, 1), D("2.99999"))])
    result = figures(target, date(2023, 12, 31))
    assert result.completion == D("99.99")
    assert figures(target, date(2023, 12, 30)).status is Status.ON_TRACK  # the day before due: 99.99 of 99.73 planned
    assert result.status is Status.OVERDUE  # the end of the due day, not done: over, never on track
    assert figures(target, date(2024, 1, 1)).status is Status.OVERDUE  # the day after due


def test_completion_may_exceed_100():
    target = make_target(target=18.5, entries=[(date(2023, 12, 31), "21.5", True)])
    result = figures(target, date(2023, 12, 31))
    assert result.completion == D("116.22")  # half up
    assert result.status is Status.DONE


def test_checkpoint_path_is_piecewise_linear_through_the_end_of_each_checkpoint_day():
    # 500 by the end of 2023-06-30 (day 181), then 1200 by the end of the year (day 365).
    target = make_target(checkpoints=[(date(2023, 6, 30), 500)])
    assert figures(target, date(2023, 6, 30)).planned == D("41.67")  # 500/1200
    # day 273 (2023-09-30): 500 + 700 * 92/184 = 850 -> 70.83 %
    assert figures(target, date(2023, 9, 30)).planned == D("70.83")
    # day 90 (2023-03-31): 500 * 90/181 = 248.6 -> 20.72 %
    assert figures(target, date(2023, 3, 31)).planned == D("20.72")


def test_lag_in_points_and_days():
    target = make_target(entries=[(date(2023, 6, 30), 400)])
    result = figures(target, date(2023, 6, 30))
    assert result.lag == D("16.26")  # 49.59 - 33.33
    # 400 of 1200 is a third: the plan reaches it at day 365/3 = 121.67, by the end of day 122 (2023-05-02).
    assert result.lag_days == 181 - 122
    ahead = figures(make_target(entries=[(date(2023, 3, 31), 600)]), date(2023, 3, 31))
    assert ahead.lag_days == 90 - 183  # half the target: planned by the end of day 183 (365/2 = 182.5)
    assert ahead.lag < 0


def test_a_done_target_is_never_days_behind():
    done = make_target(target=18.5, entries=[(date(2023, 12, 31), "21.5", True)])
    assert figures(done, date(2024, 6, 30)).lag_days == 0
    early = make_target(entries=[(date(2023, 6, 30), 1300)])
    assert figures(early, date(2023, 6, 30)).lag_days == 181 - 365  # ahead by the days left to due


def test_lag_days_uses_the_checkpoint_path():
    target = make_target(checkpoints=[(date(2023, 6, 30), 500)], entries=[(date(2023, 9, 30), 500)])
    # the plan reaches 500 at the end of 2023-06-30 (day 181); as of day 273 that is 92 days behind.
    assert figures(target, date(2023, 9, 30)).lag_days == 92


def test_projected_and_required_pace():
    target = make_target(entries=[(date(2023, 6, 30), 600)])
    result = figures(target, date(2023, 6, 30))
    assert result.projected == D("1209.94")  # 600 / 181 days * 365 days
    assert result.required_per_month == D("99.25")  # 600 left over 184 days: 600 * 30.4375 / 184


def test_required_pace_is_zero_when_done_and_unknown_after_due():
    done = make_target(entries=[(date(2023, 6, 30), 1300)])
    assert figures(done, date(2023, 7, 1)).required_per_month == 0
    late = make_target(entries=[(date(2023, 6, 30), 100)])
    assert figures(late, date(2024, 1, 1)).required_per_month is None


@pytest.mark.parametrize("as_of, entries, band, expected", [
    (date(2022, 12, 31), [], 10, Status.NOT_STARTED),
    (date(2023, 6, 30), [(date(2023, 6, 1), 1200)], 10, Status.DONE),
    (date(2023, 6, 30), [(date(2023, 6, 1), 600)], 10, Status.ON_TRACK),  # lag -0.41
    (date(2023, 6, 30), [(date(2023, 6, 1), 500)], 10, Status.AT_RISK),   # lag 7.92
    (date(2023, 6, 30), [(date(2023, 6, 1), 500)], 5, Status.BEHIND),     # the band comes from settings
    (date(2023, 6, 30), [(date(2023, 6, 1), 400)], 10, Status.BEHIND),    # lag 16.26
    (date(2024, 1, 1), [(date(2023, 6, 1), 1100)], 10, Status.OVERDUE),
    (date(2024, 1, 1), [(date(2023, 6, 1), 1200)], 10, Status.DONE),
])
def test_status(as_of, entries, band, expected):
    result = figures(make_target(entries=entries), as_of, Settings(red=D(band)))
    assert result.status is expected


def test_lag_exactly_at_the_band_is_behind():
    # planned at day 365/2... use a 10-day period: as of day 5 planned is 50 %; 40 % done is a lag of exactly 10.
    target = make_target(target=10, start=date(2023, 1, 1), due=date(2023, 1, 10), entries=[(date(2023, 1, 1), 4)])
    result = figures(target, date(2023, 1, 5))
    assert result.lag == 10
    assert result.status is Status.BEHIND


def test_milestone_is_done_or_on_track_before_due_and_overdue_after():
    open_ = make_target(kind=Kind.MILESTONE, target=1)
    assert figures(open_, date(2023, 6, 30)).status is Status.ON_TRACK
    assert figures(open_, date(2023, 12, 30)).status is Status.ON_TRACK
    assert figures(open_, date(2023, 12, 31)).status is Status.OVERDUE  # its due day ended without it
    assert figures(open_, date(2024, 1, 1)).status is Status.OVERDUE
    done = make_target(kind=Kind.MILESTONE, target=1, entries=[Entry(date(2023, 9, 1), done=True)])
    result = figures(done, date(2024, 1, 1))
    assert (result.status, result.completion, result.planned, result.lag) == (Status.DONE, 100, None, None)
    assert figures(done, date(2023, 8, 31)).status is Status.ON_TRACK
    reopened = make_target(kind=Kind.MILESTONE, target=1, entries=[Entry(date(2023, 9, 1), done=True),
                                                                    Entry(date(2023, 10, 1), done=False)])
    assert figures(reopened, date(2023, 10, 1)).current == 0


# --- properties ----------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=-30, max_value=400)


@given(st.lists(st.tuples(st.integers(0, 364), amounts), max_size=8), st.integers(0, 364), amounts)
def test_completion_is_monotone_in_the_current_figure(entries, day, extra):
    start = date(2023, 1, 1)
    target = make_target(entries=[(start + timedelta(days=d), v) for d, v in entries])
    more = make_target(entries=[(start + timedelta(days=d), v) for d, v in entries] + [(start, extra)])
    as_of = start + timedelta(days=day)
    assert figures(more, as_of).completion >= (figures(target, as_of).completion or 0)  # None: no data yet


@given(days, days)
def test_planned_is_monotone_in_the_date(first, second):
    target = make_target(checkpoints=[(date(2023, 3, 31), 100), (date(2023, 9, 30), 900)])
    early, late = sorted((first, second))
    start = date(2023, 1, 1)
    assert planned_percent(target, start + timedelta(days=early)) <= planned_percent(target, start + timedelta(days=late))


@given(st.lists(st.tuples(st.integers(0, 364), amounts, st.booleans()), max_size=8, unique_by=lambda e: (e[0], e[2])),
       st.randoms())
def test_entry_order_does_not_change_the_figures(entries, random):
    start = date(2023, 1, 1)
    dated = [(start + timedelta(days=d), v, total) for d, v, total in entries]
    shuffled = list(dated)
    random.shuffle(shuffled)
    as_of = date(2023, 8, 1)
    assert figures(make_target(entries=dated), as_of) == figures(make_target(entries=shuffled), as_of)


def test_before_start_nothing_is_planned_and_there_is_no_lag_in_days_or_projection():
    result = figures(make_target(), date(2022, 6, 30))
    assert (result.planned, result.lag, result.lag_days, result.projected) == (0, 0, None, None)
    assert result.status is Status.NOT_STARTED


@pytest.mark.parametrize("cadence, last, fresh_until", [
    ("weekly", date(2023, 6, 30), date(2023, 7, 14)),
    ("monthly", date(2023, 1, 31), date(2023, 3, 7)),  # a month after 31 January is 28 February
    ("quarterly", date(2023, 3, 31), date(2023, 7, 7)),
    ("yearly", date(2023, 3, 31), date(2024, 4, 7)),
    (10, date(2023, 6, 30), date(2023, 7, 17)),
])
def test_stale_from_the_day_after_cadence_plus_grace(cadence, last, fresh_until):
    target = make_target(due=date(2024, 12, 31), cadence=cadence, entries=[(last, 1)])
    day_before, day_after = fresh_until, date.fromordinal(fresh_until.toordinal() + 1)
    assert figures(target, day_before).stale is False
    assert figures(target, day_after).stale is True


def test_stale_counts_from_the_start_before_any_entry_and_uses_the_workspace_default():
    settings = Settings(cadence="monthly", stale_grace_days=0)
    target = make_target()
    assert figures(target, date(2023, 2, 1)).stale is False
    assert figures(target, date(2023, 2, 2), settings).stale is True
    assert figures(target, date(2023, 2, 2)).stale is False  # no cadence anywhere: never stale


def test_done_targets_are_never_stale():
    target = make_target(cadence="weekly", entries=[(date(2023, 2, 1), 1300)])
    assert figures(target, date(2023, 9, 1)).stale is False


def test_stale_shows_in_every_status_format(three_targets):
    write(three_targets / "kpitrack.toml", 'cadence = "weekly"\nstale_grace_days = 0\n')
    rows = json.loads(run(three_targets, "status", "--as-of", "2023-07-08", "--format", "json").stdout)["targets"]
    assert {row["id"]: row["stale"] for row in rows} == {"finished": False, "ahead": True, "slow": True}
    assert ",behind,true," in run(three_targets, "status", "--as-of", "2023-07-08", "--format", "csv").stdout
    assert "| behind (red, behind plan) | stale |" in run(three_targets, "status", "--as-of", "2023-07-08", "--format", "markdown").stdout
    assert "stale" in run(three_targets, "status", "--as-of", "2023-07-08").stdout


def test_figures_made_without_init_are_those_init_makes():
    """compute.made sets Figures' fields at once: the same value, fields and __dict__ as Figures(),
    and it refuses what __init__ refuses (a field missing, one unknown)."""
    from kpitrack.domain.compute import Figures, made

    given = dict(as_of=date(2023, 6, 30), current=Decimal("5.5"), last_update=date(2023, 6, 1),
                 completion=Decimal("55.00"), planned=Decimal("49.59"), lag=Decimal("-5.41"), lag_days=-17,
                 projected=Decimal("11"), required_per_month=Decimal("0.76"), status=Status.ON_TRACK,
                 stale=False, schedule="daily", estimate=True, pace=None, plan_completion=Decimal("110.91"))
    result, built = made(given), Figures(**given)
    assert result == built and vars(result) == vars(built) and type(result) is Figures
    with pytest.raises(TypeError):
        made({name: value for name, value in given.items() if name != "status"})
    with pytest.raises(TypeError):
        made({**given, "colour": "green"})


def test_calendar_share_made_once_per_period_is_each_targets_own():
    """schedule keeps the plain calendar share by period (start, due, schedule, as-of day, precision):
    two targets of one period but different figures, and a target with checkpoints, get their own."""
    from decimal import localcontext

    from kpitrack.domain.schedule import calendar_percent

    plain = make_target(target=Decimal(1000), start=date(2023, 1, 1), due=date(2023, 12, 31))
    other = make_target(target=Decimal(7), start=date(2023, 1, 1), due=date(2023, 12, 31))
    pointed = make_target(target=Decimal(1000), start=date(2023, 1, 1), due=date(2023, 12, 31),
                          checkpoints=((date(2023, 6, 30), 800),))
    day = date(2023, 6, 30)
    assert calendar_percent(plain, day) == calendar_percent(other, day) == Decimal(181) * 100 / 365
    assert calendar_percent(pointed, day) == Decimal(80)
    with localcontext(prec=50):
        assert calendar_percent(plain, day) == Decimal(181) * 100 / 365  # the digits of this context
    assert calendar_percent(plain, day) == Decimal(181) * 100 / 365
