"""The month-based 序时进度 (schedule), the yellow and red bands, the no-data status (未报送) and
half-up percentages. All figures are synthetic."""

import json
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, make_target, write
from kpitrack.cli import app
from kpitrack.domain.compute import figures
from kpitrack.domain.schedule import planned_percent
from kpitrack.domain.model import Kind, Settings, Status
from kpitrack.files.workspace import load_workspace

D = Decimal
YEAR = dict(start=date(2023, 1, 1), due=date(2023, 12, 31), target=100)


def run(folder, *args):
    return CliRunner().invoke(app, ["--dir", str(folder), *args], env={"KPITRACK_LANG": "en", "NO_COLOR": "1"})


@pytest.mark.parametrize("schedule, planned", [("monthly", "66.67"), ("daily", "66.58"), ("quarterly", "50.00")])
def test_the_january_to_august_example_of_the_official_reports(schedule, planned):
    # 占年计划74%，超序时进度7.33个百分点: 74 - 8/12 x 100, on 31 August.
    target = make_target(**YEAR, entries=[(date(2023, 8, 31), 74)])
    result = figures(target, date(2023, 8, 31), Settings(schedule=schedule))
    assert result.planned == D(planned)
    assert result.lag == D(planned) - D(74)
    assert result.schedule == schedule


def test_a_month_counts_from_its_last_day_on():
    target = make_target(**YEAR)
    assert planned_percent(target, date(2023, 8, 30), "monthly") == D(7) * 100 / 12
    assert planned_percent(target, date(2023, 8, 31), "monthly") == D(8) * 100 / 12
    assert planned_percent(target, date(2023, 9, 29), "quarterly") == 50
    assert planned_percent(target, date(2023, 9, 30), "quarterly") == 75
    assert planned_percent(target, date(2022, 12, 31), "monthly") == 0
    assert planned_percent(target, date(2023, 12, 31), "monthly") == 100


def test_partial_first_and_last_months_count_as_one_and_end_at_due():
    # 15 March .. 10 June touches March, April, May and June: four months; June is over on 10 June.
    target = make_target(start=date(2023, 3, 15), due=date(2023, 6, 10))
    assert planned_percent(target, date(2023, 3, 31), "monthly") == 25
    assert planned_percent(target, date(2023, 6, 9), "monthly") == 75
    assert planned_percent(target, date(2023, 6, 10), "monthly") == 100


def test_checkpoints_count_in_their_month_and_the_plan_runs_between_them_by_months():
    # 30 by the end of March (month 3), then 100 by December (month 12): 70 points over 9 months.
    target = make_target(**YEAR, checkpoints=[(date(2023, 3, 20), 30)])
    assert planned_percent(target, date(2023, 3, 31), "monthly") == 30
    assert planned_percent(target, date(2023, 2, 28), "monthly") == 20
    assert planned_percent(target, date(2023, 6, 30), "monthly") == 30 + D(70) * 3 / 9


def test_no_schedule_has_no_plan_and_is_on_track_until_due():
    target = make_target(**YEAR, schedule="none", entries=[(date(2023, 2, 1), 1)])
    result = figures(target, date(2023, 11, 30))
    assert (result.planned, result.lag, result.lag_days, result.status) == (None, None, None, Status.ON_TRACK)
    assert figures(target, date(2024, 1, 1)).status is Status.OVERDUE


def test_a_target_sets_its_own_schedule_over_the_workspace_default():
    target = make_target(**YEAR, schedule="daily", entries=[(date(2023, 8, 31), 74)])
    assert figures(target, date(2023, 8, 31), Settings(schedule="monthly")).planned == D("66.58")


def test_lag_days_stay_on_the_daily_path():
    target = make_target(**YEAR, entries=[(date(2023, 8, 31), 50)])
    assert figures(target, date(2023, 8, 31), Settings(schedule="monthly")).lag_days == \
        figures(target, date(2023, 8, 31), Settings(schedule="daily")).lag_days


@pytest.mark.parametrize("done, status", [(70, Status.ON_TRACK), (62, Status.ON_TRACK), (61.67, Status.AT_RISK),
                                          (60, Status.AT_RISK), (51.68, Status.AT_RISK), (51.67, Status.BEHIND),
                                          (10, Status.BEHIND)])
def test_bands_green_under_yellow_yellow_under_red_then_red(done, status):
    # planned 66.67 on 31 August: lag under 5 is green, 5 to under 15 yellow, 15 or more red.
    target = make_target(**YEAR, entries=[(date(2023, 8, 31), done)])
    settings = Settings(yellow=D(5), red=D(15), schedule="monthly")
    assert figures(target, date(2023, 8, 31), settings).status is status


def test_the_old_at_risk_band_reads_as_red_with_a_notice(tmp_path):
    write(tmp_path / "kpitrack.toml", "at_risk_band = 12\n")
    write(tmp_path / "m.toml", TARGET_TOML + "[[progress]]\ndate = 2023-06-30\nvalue = 500\n")
    assert (load_workspace(tmp_path).settings.yellow, load_workspace(tmp_path).settings.red) == (0, 12)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0
    assert "at_risk_band = 12 is read as yellow = 0, red = 12; write those instead" in result.stderr


@pytest.mark.parametrize("text, message", [("yellow = 20\nred = 10\n", "yellow <= red"),
                                           ("yellow = 5\nat_risk_band = 10\n", "old name of red"),
                                           ('schedule = "weekly"\n', "schedule 'weekly' is not one of"),
                                           ('language = "fr"\n', "language 'fr' is not one of: en, zh")])
def test_bad_settings_name_the_file_and_line(tmp_path, text, message):
    write(tmp_path / "kpitrack.toml", text)
    result = run(tmp_path, "validate")
    assert result.exit_code == 2 and f"{tmp_path / 'kpitrack.toml'}:" in result.stderr and message in result.stderr


def test_no_figure_yet_is_no_data_not_behind():
    target = make_target(**YEAR)
    result = figures(target, date(2023, 8, 31))
    assert (result.status, result.completion, result.lag, result.lag_days) == (Status.NO_DATA, None, None, None)
    assert figures(target, date(2022, 12, 31)).status is Status.NOT_STARTED
    assert figures(make_target(**YEAR, baseline_given=True), date(2023, 8, 31)).status is Status.BEHIND
    assert figures(make_target(**YEAR, entries=[(date(2023, 9, 1), 5)]), date(2023, 8, 31)).status is Status.NO_DATA


def test_a_milestone_is_never_no_data():
    milestone = make_target(start=date(2023, 1, 1), due=date(2023, 12, 31), kind=Kind.MILESTONE, target=1)
    assert figures(milestone, date(2023, 8, 31)).status is Status.ON_TRACK


def test_a_parent_is_no_data_only_when_all_its_parts_are():
    a, b = make_target(**YEAR, id="a"), make_target(**YEAR, id="b", entries=[(date(2023, 2, 1), 1)])
    parent = make_target(**YEAR, id="p", parts=("a", "b"))
    assert figures(parent, date(2023, 8, 31), others={"a": a, "b": b, "p": parent}).status is Status.BEHIND
    silent = make_target(**YEAR, id="b")
    assert figures(parent, date(2023, 8, 31), others={"a": a, "b": silent, "p": parent}).status is Status.NO_DATA


def test_no_data_is_its_own_status_everywhere_and_never_behind(tmp_path):
    write(tmp_path / "silent.toml", TARGET_TOML)
    rows = json.loads(run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json").stdout)["targets"]
    assert [(row["status"], row["completion"], row["lag"]) for row in rows] == [("no-data", None, None)]
    assert run(tmp_path, "check", "--fail-on", "behind", "--as-of", "2023-06-30").exit_code == 0
    flagged = run(tmp_path, "check", "--fail-on", "no-data", "--as-of", "2023-06-30")
    assert flagged.exit_code == 1 and flagged.stdout.startswith("silent  synthetic: new firms  no-data")
    chinese = CliRunner().invoke(app, ["--dir", str(tmp_path), "--lang", "zh", "status", "--as-of", "2023-06-30"])
    assert "未报送" in chinese.stdout
    report = run(tmp_path, "report", "--as-of", "2023-06-30").stdout
    assert "Nothing is at risk, behind, overdue or stale." in report  # not on the attention list


@pytest.mark.parametrize("value, shown, status", [("95", "79.17", Status.BEHIND), ("119.994", "99.99", Status.ON_TRACK),
                                                  ("120", "100.00", Status.DONE)])
def test_percentages_round_half_up_but_done_is_decided_on_the_exact_figures(value, shown, status):
    target = make_target(target=120, entries=[(date(2023, 12, 30), value)])
    result = figures(target, date(2023, 12, 30))
    assert (result.completion, result.status) == (D(shown), status)
