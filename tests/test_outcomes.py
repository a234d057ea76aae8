"""The published record, checked: every shipped target with a recorded outcome, its completion
and verdict (and for the half-year figures the lag against the month-based 序时进度) as
`status --format json --all` gives them on the shipped workspace. These are the figures of the
README's "Checked against the published record"; the arithmetic is done by hand in the comments.
Everything read here is in the clone (`targets/`)."""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitrack.cli import app

SHIPPED = Path(__file__).parents[1] / "targets"
ENV = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "KPITRACK_LANG": None,
       "KPITRACK_DIR": str(SHIPPED), "COLUMNS": "120", "NO_COLOR": "1"}


@cache
def rows(as_of: str) -> dict:
    result = CliRunner().invoke(app, ["status", "--format", "json", "--all", "--as-of", as_of], env=ENV)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout, parse_float=Decimal)["targets"]}


def row(target: str, as_of: str) -> dict:
    return rows(as_of)[target]


# (target, as of, completion %, verdict, done on): the day after due, when a verdict exists.
FINAL = [
    ("sz23-small-to-large-firms", "2024-01-01", "143.25", "on-time", "2023-12-31"),  # 1719 / 1200
    ("sz23-listed-companies", "2024-01-01", "80.00", "missed", None),  # 32 / 40, 以上
    ("sz23-little-giants", "2024-01-01", "309.00", "on-time", "2023-12-31"),  # 309 / 100
    # 近万亿元 (nearly) against 超万亿元 (over): just below, shown 99.99, missed
    ("sz23-fixed-asset-investment", "2024-01-01", "99.99", "missed", None),
    ("sz23-baoan-investment-attraction", "2024-01-01", "100.00", "on-time", "2023-12-31"),  # 超千亿 / 1000亿
    ("sz23-guangming-future-industry-firms", "2024-01-01", "140.00", "on-time", "2023-12-31"),  # 超过140 / 100
    ("sz23-affordable-housing", "2024-01-01", "116.22", "on-time", "2023-12-31"),  # 21.5 / 18.5 = 1.16216
    ("lh24-high-tech-firms", "2025-01-01", "79.17", "missed", None),  # 95 / 120 = 0.791666
    ("lh24-specialised-smes", "2025-01-01", "208.33", "on-time", "2024-12-31"),  # 125 / 60
    ("lh24-fixed-asset-investment", "2025-01-01", "88.83", "missed", None),  # 364.21 / 410 = 0.888317
    ("lh24-dawang-bridge", "2024-09-26", "100.00", "done-early", "2024-09-26"),  # 通车 9月26日
    ("lh24-chunfeng-tunnel", "2025-05-27", "100.00", "done-late", "2025-05-27"),  # opened after due
    # reported not done on 2025-09-15: missed from that report on (未报送 before it)
    ("lh24-eight-parks-link", "2025-09-15", "0.00", "missed", None),
]


@pytest.mark.parametrize("target, as_of, completion, verdict, done_on", FINAL, ids=[case[0] for case in FINAL])
def test_each_recorded_pledge_ends_as_the_record_says(target, as_of, completion, verdict, done_on):
    found = row(target, as_of)
    assert (found["completion"], found["verdict"], found["done_on"]) == (Decimal(completion), verdict, done_on)


@pytest.mark.parametrize("target, as_of, completion, verdict, done_on", FINAL, ids=[case[0] for case in FINAL])
def test_the_verdicts_hold_at_the_end_of_2025(target, as_of, completion, verdict, done_on):
    """The README's first command shows the end of 2025: nothing recorded since changes them."""
    assert row(target, "2025-12-31")["verdict"] == verdict


def test_on_the_due_day_a_missed_pledge_is_judged():
    """An as-of date is the end of that day: the year-end report 截至12月31日 gives the verdicts
    (32 of 40 listed companies on 2023-12-31: 未完成), and no pledge short of its figure is on track."""
    assert (row("sz23-listed-companies", "2023-12-31")["status"], row("sz23-listed-companies", "2023-12-31")["verdict"]) \
        == ("overdue", "missed")
    assert (row("lh24-fixed-asset-investment", "2024-12-31")["status"],
            row("lh24-fixed-asset-investment", "2024-12-31")["verdict"]) == ("overdue", "missed")
    assert row("sz23-fixed-asset-investment", "2023-12-31")["verdict"] == "missed"
    assert row("sz23-listed-companies", "2023-12-30")["verdict"] is None  # the day before: not yet


@pytest.mark.parametrize("target, as_of, completion, verdict, done_on",
                         [case for case in FINAL if case[1].endswith("-01-01")], ids=lambda case: str(case))
def test_the_year_end_verdicts_are_given_on_the_due_date_itself(target, as_of, completion, verdict, done_on):
    due = f"{int(as_of[:4]) - 1}-12-31"
    found = row(target, due)
    assert (found["completion"], found["verdict"], found["done_on"]) == (Decimal(completion), verdict, done_on)


def test_the_eight_parks_were_not_reported_until_the_reply_of_september_2025():
    assert row("lh24-eight-parks-link", "2025-09-14")["verdict"] == "not-reported"


def test_half_year_fixed_asset_investment_against_the_month_based_plan():
    """194.7 of about 410亿元 by 30 June 2024: 47.49 % (47.4878) against 序时进度 6/12 = 50 %, 2.51
    points behind: within the yellow band (5), so green."""
    found = row("lh24-fixed-asset-investment", "2024-06-30")
    assert (found["current"], found["completion"], found["planned"], found["lag"], found["status"]) == (
        Decimal("194.7"), Decimal("47.49"), Decimal("50.0"), Decimal("2.51"), "on-track")


def test_half_year_gdp_growth_is_a_gap_not_a_share():
    """4.1 % against 6.0 %左右 is 1.9 points short (more than 1: behind); no 序时进度 for a rate.
    No full-year reading is recorded, so after due it is not reported."""
    found = row("lh24-gdp-growth", "2024-06-30")
    assert (found["current"], found["gap"], found["completion"], found["planned"], found["status"]) == (
        Decimal("4.1"), Decimal("-1.9"), None, None, "behind")
    assert row("lh24-gdp-growth", "2025-01-01")["verdict"] == "not-reported"


@pytest.mark.parametrize("target, as_of, reading", [
    ("sz23-fixed-asset-investment-growth", "2023-02-28", "6.8"),
    ("sz23-fixed-asset-investment-growth", "2023-06-30", "13.1"),
    ("sz23-fixed-asset-investment-growth", "2023-08-31", "13.1"),
    ("sz23-fixed-asset-investment-growth", "2023-09-30", "13.9"),
    ("sz23-fixed-asset-investment-growth", "2023-12-31", "11.0"),  # the latest reading, never a sum
    ("sz23-gdp-growth", "2023-06-30", "6.3"),
    ("sz23-futian-gdp-growth", "2023-06-30", "3.5"),
    ("sz23-nanshan-gdp-growth", "2023-06-30", "5.1"),
])
def test_indicators_show_their_latest_reading_and_no_verdict(target, as_of, reading):
    found = row(target, as_of)
    assert (found["current"], found["status"], found["verdict"]) == (Decimal(reading), "tracked", None)


def test_plans_count_the_verdicts_of_each_plan():
    result = CliRunner().invoke(app, ["plans", "--format", "json", "--as-of", "2025-12-31"], env=ENV)
    assert result.exit_code == 0, result.output
    plans = {plan["group"]: plan["verdicts"] for plan in json.loads(result.stdout)["plans"]}
    assert plans["luohu-2024"] == {"done-early": 1, "on-time": 1, "done-late": 1, "missed": 3,
                                   "not-reported": 47, "none": 0}
    assert plans["shenzhen-2023"]["missed"] == 2  # listed companies, fixed-asset investment
    assert plans["shenzhen-2023"]["none"] == 4  # the four indicators are never judged


def test_the_plans_table_shows_the_verdicts():
    result = CliRunner().invoke(app, ["plans", "--as-of", "2025-12-31"], env={**ENV, "COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "1 done-late" in result.stdout and "3 missed" in result.stdout
