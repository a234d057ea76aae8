"""Every chart draws one series (issue 25, item 1): `show --format json` gives it as drawn, so the
picture can be checked: the report date and each entry's date are in it, a rate is never prorated,
a target met on its due date is drawn on it (synthetic targets)."""

import json
from datetime import date
from decimal import Decimal

from helpers import make_target
from kpitrack.domain.compute import figures
from kpitrack.domain.model import Direction, Kind
from kpitrack.formats.machine import show_json
from kpitrack.formats.show import burnup_chart


def chart_of(target, as_of):
    return json.loads(show_json(target, figures(target, as_of)))["chart"]


def test_the_last_actual_point_is_the_as_of_day_with_the_current_figure():
    target = make_target(entries=[(date(2023, 3, 31), 12), (date(2023, 6, 30), 23)])  # month-end entries
    chart = chart_of(target, date(2023, 6, 30))
    assert chart["actual"] == [{"date": "2023-01-01", "value": 0}, {"date": "2023-03-31", "value": 12},
                               {"date": "2023-06-30", "value": 35}]
    assert chart["planned"][0]["date"] == "2023-01-01" and chart["planned"][-1] == {"date": "2023-12-31", "value": 1200.0}


def test_a_target_met_on_its_due_date_is_drawn_on_it():
    target = make_target(entries=[(date(2023, 12, 31), 1200)])
    chart = chart_of(target, date(2024, 1, 15))
    assert {"date": "2023-12-31", "value": 1200} in chart["actual"]
    assert chart["actual"][-1] == {"date": "2024-01-15", "value": 1200} and chart["end"] == "2024-01-15"


def test_a_growth_target_is_flat_at_its_target_and_its_readings_start_at_the_first():
    target = make_target(target=6, kind=Kind.GROWTH, unit="%", entries=[(date(2023, 3, 31), 5.1), (date(2023, 6, 30), 5.8)])
    chart = chart_of(target, date(2023, 7, 15))
    assert {point["value"] for point in chart["planned"]} == {6}
    assert chart["actual"] == [{"date": "2023-03-31", "value": 5.1}, {"date": "2023-06-30", "value": 5.8},
                               {"date": "2023-07-15", "value": 5.8}]  # no 0 before the first reading


def test_a_decrease_plan_falls_towards_its_target():
    target = make_target(target=80, baseline=100, kind=Kind.LEVEL, direction=Direction.DECREASE,
                         entries=[(date(2023, 6, 30), 90)])
    planned = [Decimal(str(point["value"])) for point in chart_of(target, date(2023, 6, 30))["planned"]]
    assert planned == sorted(planned, reverse=True) and planned[-1] == 80


def test_the_terminal_chart_labels_its_axis_with_round_numbers():
    target = make_target(target=100000, baseline=2739.72602739726027397260274, kind=Kind.LEVEL,
                         entries=[(date(2023, 6, 30), 50000)])
    rows = [line for line in burnup_chart(target, figures(target, date(2023, 6, 30))).plain.splitlines() if "┤" in line]
    assert rows[0].split("┤")[0].strip() == "100,000" and rows[-1].split("┤")[0].strip() == "2,000"  # not 2,739.726…
