"""`kpitrack status`: figures, filters, sorts and formats (synthetic data)."""

from __future__ import annotations
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
import pytest
import helpers
from kpitrack.reports.rows import STATUS_FIELDS
from helpers import target_toml, progress, milestone_toml, run, status_rows, status_ids, one_error_line, FIRMS, SLOW_FIRMS, TOTALS, write_target

pytestmark = pytest.mark.usefixtures("plain_environment")


COLOUR_CODE = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7])[;m]")  # SGR foreground colours


def status_workspace(root: Path) -> None:
    """Six synthetic targets of 100 for 2023; as of 2023-06-30 the plan stands at 49.59 %."""
    write_target(root, "waiting", target_toml(target=100, start="2023-07-01"))
    write_target(root, "finished", target_toml(target=100, extra=progress("2023-05-31", 100)))
    write_target(root, "ahead", target_toml(target=100, extra=progress("2023-05-31", 60)))  # lag -10.41
    write_target(root, "slipping", target_toml(target=100, extra=progress("2023-05-31", 45)))  # lag 4.59
    write_target(root, "lagging", target_toml(target=100, extra=progress("2023-05-31", 30)))  # lag 19.59
    write_target(root, "late", target_toml(target=100, due="2023-03-31", extra=progress("2023-03-31", 50)))


EXPECTED_STATUS = {"ahead": "on-track", "finished": "done", "lagging": "behind", "late": "overdue",
                   "slipping": "at-risk", "waiting": "not-started"}


CHECKPOINT = "\n[[checkpoint]]\ndate = 2023-06-30\nvalue = 500\n"


LEVEL_READINGS = target_toml(title="synthetic: charging piles", target=1000, unit="piles",
                             extra='kind = "level"\n' + progress("2023-06-30", 300)
                             + progress("2023-03-31", 400) + progress("2023-09-30", 900))


def filter_workspace(root: Path) -> None:
    write_target(root, "solo", target_toml(extra='tags = ["a"]\n'))
    write_target(root, "one", target_toml(extra='tags = ["a", "b"]\n'), group="plan")
    write_target(root, "two", target_toml(extra='tags = ["b"]\n'), group="plan/sub")
    write_target(root, "three", target_toml(), group="planner")


def sort_workspace(root: Path) -> None:
    """As of 2023-06-30: lags bravo 49.54, charlie 14.19, alpha -10.41; delta is a milestone (no lag)."""
    write_target(root, "alpha", target_toml(target=100, due="2023-12-31", extra=progress("2023-06-30", 60)), group="g")
    write_target(root, "bravo", target_toml(target=100, due="2023-10-31", extra=progress("2023-06-30", 10)), group="g")
    write_target(root, "charlie", target_toml(target=100, due="2023-11-30", extra=progress("2023-06-30", 40)), group="g")
    write_target(root, "delta", milestone_toml(due="2023-08-31"), group="g")
    write_target(root, "early", target_toml(target=100, due="2023-07-31"))  # the root folder comes first


def test_status_json_has_exact_figures_for_the_issue_example(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    assert list(document) == ["as_of", "targets"]
    assert document["as_of"] == "2023-06-30"
    [row] = document["targets"]
    assert tuple(row) == STATUS_FIELDS
    assert {key: value for key, value in row.items() if key != "lag"} == {
        "id": "firms", "title": "synthetic: new firms", "group": "", "unit": "firms", "kind": "cumulative",
        "direction": "increase", "baseline": 0, "target": 1200,
        "current": 650,
        "completion": Decimal("54.17"),  # 54.1666… rounded half up
        "planned": Decimal("49.59"),  # 181 / 365
        "vs_plan": Decimal("4.58"),  # completion − planned, the table's "vs plan": ahead (trial-left)
        "lag_days": -17,  # the plan reaches 54.17 % on day 198; 181 - 198
        "projected": Decimal("1310.77"),  # 650 / 181 * 365
        "required_per_month": Decimal("90.98"),  # 550 * 30.4375 / 184
        "status": "on-track", "stale": False, "start": "2023-01-01", "due": "2023-12-31", "last_update": "2023-06-30",
        "schedule": "daily",
        # issue 12: no qualifier reads as at-least; no stretch figure, estimate or verdict yet
        "qualifier": "at-least", "tolerance": None, "stretch_target": None, "stretch_completion": None, "gap": None,
        "change": None, "estimate": False, "verdict": None, "done_on": None, "exceeded_by": None,
        "exceeded_points": None,
        "plan_completion": Decimal("109.23"), "due_soon": False, "nodes": None,  # issue 24: 54.1666… / 49.589… of the plan to date
        "pace_class": "ahead", "owners": [], "current_qualifier": None}  # 超进度: 4.58 points ahead


def test_status_lag_is_planned_minus_completion_as_shown(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]
    assert row["lag"] == row["planned"] - row["completion"] == Decimal("-4.58")
    assert row["vs_plan"] == row["completion"] - row["planned"] == Decimal("4.58")  # the table's +4.58


def test_status_json_figures_are_numbers_and_unknowns_null(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    write_target(tmp_path, "bridge", milestone_toml())
    write_target(tmp_path, "later", target_toml(start="2023-07-01"))
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    for key in ("baseline", "target", "current", "completion", "planned", "lag", "lag_days", "projected",
                "required_per_month"):
        assert isinstance(rows["firms"][key], (int, Decimal)) and not isinstance(rows["firms"][key], bool), key
    unknown = ("planned", "lag", "lag_days", "projected", "required_per_month", "last_update")
    assert {key: rows["bridge"][key] for key in unknown} == dict.fromkeys(unknown)
    assert (rows["later"]["lag_days"], rows["later"]["projected"], rows["later"]["last_update"]) == (None, None, None)


def test_status_csv_has_the_documented_columns_and_exact_figures(tmp_path):
    write_target(tmp_path, "firms", SLOW_FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        ",".join(STATUS_FIELDS),
        # 550 / 1200 = 45.83 % (rounded down); planned 49.59; lag 3.76 points, 13 days;
        # projected 550 / 181 * 365 = 1109.12; required 650 * 30.4375 / 184 = 107.52 a month.
        "firms,synthetic: new firms,,firms,cumulative,increase,0,1200,550,45.83,49.59,3.76,-3.76,13,1109.12,107.52,"
        "at-risk,false,2023-01-01,2023-12-31,2023-06-30,daily,at-least,,,,,,false,,,,,92.43,false,,behind,,",  # nodes: none; behind plan
    ]


def test_status_csv_writes_negative_lag_days_as_a_number(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "csv")
    header, row = result.stdout.splitlines()
    assert dict(zip(header.split(","), row.split(",")))["lag_days"] == "-17"


def test_status_markdown_has_exact_figures(tmp_path):
    write_target(tmp_path, "firms", SLOW_FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Status as of 2023-06-30\n\n"
        "| ID | Title | Current | Target | Unit | Done | Plan | vs plan | Status | Stale | Due | Updated | Verdict |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| firms | synthetic: new firms | 550 | 1,200 | firms | 45.83% | 49.59% | -3.76 | at-risk (yellow, behind plan) |  "
        "| 2023-12-31 | 2023-06-30 | — |\n")


def test_status_table_shows_the_figures_without_colour_codes(tmp_path):
    write_target(tmp_path, "firms", SLOW_FIRMS)
    write_target(tmp_path, "bridge", milestone_toml(), group="plan")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "kpitrack status as of 2023-06-30"
    assert all(len(line) <= 100 for line in lines)  # 100 columns when not on a terminal
    firms_row = next(line for line in lines if line.strip().startswith("firms "))
    assert firms_row.split()[:2] == ["firms", "synthetic:"]  # the title is cut first to make room
    assert firms_row.split()[-12:] == ["550", "/", "1,200", "firms", "██····", "45.83%", "49.59%", "-3.76", "at-risk",
                                       "(yellow,", "behind", "plan)"]  # one line, ahead positive
    groups = [line.strip() for line in lines if line.strip() in ("(workspace root)", "plan")]
    assert groups == ["(workspace root)", "plan"]
    assert lines[1] == "2 targets: 0 done, 1 on-track, 1 at-risk, 0 behind, 0 no-data"
    assert "not done" in result.stdout


def test_status_table_honours_no_color(tmp_path, monkeypatch):
    write_target(tmp_path, "firms", SLOW_FIRMS)
    monkeypatch.setenv("FORCE_COLOR", "1")  # as if on a terminal
    coloured = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert coloured.exit_code == 0, coloured.output
    assert COLOUR_CODE.search(coloured.stdout)  # yellow for at-risk
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert plain.exit_code == 0, plain.output
    assert not COLOUR_CODE.search(plain.stdout)
    assert "at-risk" in plain.stdout


def test_status_table_prints_titles_literally(tmp_path):
    write_target(tmp_path, "firms", target_toml(title="[red]synthetic[/red] \\u001b[31m"))
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "[red]synthetic[/red] \\x1b[31m" in result.stdout
    assert "\x1b" not in result.stdout


def test_status_as_of_takes_a_worded_date_and_refuses_an_ambiguous_one(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    result = run(tmp_path, "status", "--as-of", "30 June 2023", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2023-06-30"
    line = one_error_line(run(tmp_path, "status", "--as-of", "06/07/2023"))
    assert "--as-of" in line and "'06/07/2023'" in line


def test_status_as_of_defaults_to_today(tmp_path):
    write_target(tmp_path, "later", target_toml(start="2998-01-01", due="2998-12-31"))
    result = run(tmp_path, "status", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["as_of"], document["targets"][0]["status"]) == (date.today().isoformat(), "not-started")


def test_status_of_an_empty_workspace_is_an_empty_list(tmp_path):
    (tmp_path / "kpitrack.toml").write_text("at_risk_band = 10\n", encoding="utf-8")
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"as_of": "2023-06-30", "targets": []}


def test_status_reaches_every_status_value(tmp_path):
    status_workspace(tmp_path)
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert {target_id: row["status"] for target_id, row in rows.items()} == EXPECTED_STATUS
    assert {target_id: row["lag"] for target_id, row in rows.items() if target_id != "late"} == {
        "ahead": Decimal("-10.41"), "finished": Decimal("-50.41"), "lagging": Decimal("19.59"),
        "slipping": Decimal("4.59"), "waiting": None}  # not started: no lag, as the table's `—`


@pytest.mark.parametrize("wanted", sorted(set(EXPECTED_STATUS.values())))
def test_status_filter_by_status(tmp_path, wanted):
    status_workspace(tmp_path)
    ids = status_ids(tmp_path, "--as-of", "2023-06-30", "--status", wanted)
    assert ids == [target_id for target_id, value in sorted(EXPECTED_STATUS.items()) if value == wanted]


def test_status_refuses_an_unknown_status_filter(tmp_path):
    status_workspace(tmp_path)
    line = one_error_line(run(tmp_path, "status", "--status", "late"))
    assert "--status" in line and "'late'" in line


@pytest.mark.parametrize("band, slipping, lagging", [
    ("20", "at-risk", "at-risk"),  # 19.59 < 20
    ("4.5", "behind", "behind"),  # 4.59 >= 4.5
    ("10", "at-risk", "behind"),
])
def test_status_at_risk_band_comes_from_kpitrack_toml(tmp_path, band, slipping, lagging):
    status_workspace(tmp_path)
    (tmp_path / "kpitrack.toml").write_text(f"at_risk_band = {band}\n", encoding="utf-8")
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert (rows["slipping"]["status"], rows["lagging"]["status"]) == (slipping, lagging)


def test_status_reports_a_bad_at_risk_band(tmp_path):
    status_workspace(tmp_path)
    (tmp_path / "kpitrack.toml").write_text("at_risk_band = 0\n", encoding="utf-8")
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{tmp_path / 'kpitrack.toml'}:1: at_risk_band")


@pytest.mark.parametrize("as_of, expected", [
    ("2023-06-30", "on-track"),  # no entry, before due
    ("2023-10-01", "overdue"),  # no entry, after due
])
def test_status_of_a_milestone_not_done(tmp_path, as_of, expected):
    write_target(tmp_path, "bridge", milestone_toml(due="2023-09-30"))
    assert status_rows(tmp_path, "--as-of", as_of)["bridge"]["status"] == expected


def test_status_of_a_milestone_done_after_due_is_done(tmp_path):
    write_target(tmp_path, "bridge", milestone_toml(due="2023-09-30", extra=progress("2023-10-15", done=True)))
    rows = status_rows(tmp_path, "--as-of", "2023-10-31")
    assert (rows["bridge"]["current"], rows["bridge"]["completion"], rows["bridge"]["status"]) == (
        1, Decimal("100.00"), "done")


def test_status_planned_counts_the_leap_day(tmp_path):
    write_target(tmp_path, "leap", target_toml(target=100, start="2024-01-01", due="2024-12-31"))
    write_target(tmp_path, "plain", target_toml(target=100, start="2023-01-01", due="2023-12-31"))
    assert status_rows(tmp_path, "--as-of", "2024-06-30")["leap"]["planned"] == Decimal("49.73")  # 182 / 366
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["plain"]["planned"] == Decimal("49.59")  # 181 / 365


@pytest.mark.parametrize("as_of, planned", [
    ("2022-12-31", None),  # before start: none, as the table's `—`
    ("2023-01-01", "0.27"),  # the end of the first day: 1 / 365
    ("2023-12-31", "100.00"),
    ("2024-03-01", "100.00"),  # clipped after due
])
def test_status_planned_is_clipped_and_inclusive_of_both_ends(tmp_path, as_of, planned):
    write_target(tmp_path, "plain", target_toml(target=100))
    assert status_rows(tmp_path, "--as-of", as_of)["plain"]["planned"] == (planned and Decimal(planned))


@pytest.mark.parametrize("as_of, planned", [
    ("2023-03-31", "20.72"),  # day 90 of 181 on the way to 500 / 1200 = 41.67 %
    ("2023-06-30", "41.67"),  # the checkpoint itself
    ("2023-09-30", "70.83"),  # halfway (day 92 of 184) from 41.67 % to 100 %
])
def test_status_planned_follows_checkpoints(tmp_path, as_of, planned):
    write_target(tmp_path, "firms", target_toml(extra=CHECKPOINT))
    assert status_rows(tmp_path, "--as-of", as_of)["firms"]["planned"] == Decimal(planned)


def test_status_lag_follows_checkpoints(tmp_path):
    write_target(tmp_path, "firms", target_toml(extra=CHECKPOINT + progress("2023-06-30", 450)))
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]
    # 450 / 1200 = 37.5 % against a plan of 41.67 %; the plan reached 37.5 % on day 163 (0.9 * 181).
    assert (row["completion"], row["planned"], row["lag"], row["lag_days"], row["status"]) == (
        Decimal("37.50"), Decimal("41.67"), Decimal("4.17"), 18, "at-risk")


@pytest.mark.parametrize("as_of, current", [
    ("2023-03-31", 300),  # increments
    ("2023-06-30", 650),  # the reported running total replaces the sum so far
    ("2023-09-30", 700),  # a later increment adds to the total
])
def test_status_total_entry_replaces_the_sum_so_far(tmp_path, as_of, current):
    write_target(tmp_path, "firms", TOTALS)
    assert status_rows(tmp_path, "--as-of", as_of)["firms"]["current"] == current


def test_status_total_includes_the_increments_of_its_own_day(tmp_path):
    # 1-6月累计 650 dated 2023-06-30 already holds June's increment, whatever the order in the file.
    write_target(tmp_path, "firms", target_toml(extra=progress("2023-06-30", 650, total=True) + progress("2023-06-30", 10)))
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]["current"] == 650


def test_status_of_a_decrease_target(tmp_path):
    text = target_toml(title="synthetic: approval days", target=5, unit="days",
                       extra='baseline = 20\nkind = "level"\ndirection = "decrease"\n'
                             + progress("2023-03-31", 15) + progress("2023-06-30", 12))
    write_target(tmp_path, "approval", text)
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["approval"]
    # (12 - 20) / (5 - 20) = 53.33 % of the way; 20 - 8 / 181 * 365 = 3.87 at due; -7 in 184 days.
    assert {key: row[key] for key in ("baseline", "target", "current", "completion", "planned", "lag", "lag_days",
                                      "projected", "required_per_month", "status")} == {
        "baseline": 20, "target": 5, "current": 12, "completion": Decimal("53.33"), "planned": Decimal("49.59"),
        "lag": Decimal("-3.74"), "lag_days": -14, "projected": Decimal("3.87"),
        "required_per_month": Decimal("-1.16"), "status": "on-track"}


def test_status_of_a_decrease_target_before_any_reading_shows_zero_completion(tmp_path):
    text = target_toml(title="synthetic: approval days", target=5, unit="days",
                       extra='baseline = 20\nkind = "level"\ndirection = "decrease"\n')
    write_target(tmp_path, "approval", text)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout, parse_float=Decimal)["targets"][0]
    assert (row["current"], row["completion"], row["status"]) == (None, 0, "behind")  # no reading yet: no current figure (issue 22)


def test_status_of_a_decrease_target_never_shows_negative_zero(tmp_path):
    text = target_toml(title="synthetic: approval days", target=5, unit="days",
                       extra='baseline = 20\nkind = "level"\ndirection = "decrease"\n')
    write_target(tmp_path, "approval", text)
    for output in ("json", "csv", "markdown", "table"):
        result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", output)
        assert result.exit_code == 0, result.output
        assert "-0.0" not in result.stdout, output


@pytest.mark.parametrize("as_of, current", [
    ("2023-01-31", None),  # before the first reading: none (null, not the baseline)
    ("2023-05-31", 400),
    ("2023-06-30", 300),  # the latest reading counts, even when lower (and written first in the file)
    ("2023-12-31", 900),
])
def test_status_of_a_level_target_takes_the_latest_reading(tmp_path, as_of, current):
    write_target(tmp_path, "piles", LEVEL_READINGS)
    assert status_rows(tmp_path, "--as-of", as_of)["piles"]["current"] == current


def test_status_ignores_entries_after_as_of(tmp_path):
    write_target(tmp_path, "piles", LEVEL_READINGS)
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["piles"]
    assert (row["current"], row["completion"], row["lag"], row["status"]) == (
        300, Decimal("30.00"), Decimal("19.59"), "behind")


def test_status_last_update_ignores_entries_after_as_of(tmp_path):
    write_target(tmp_path, "piles", LEVEL_READINGS)
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["piles"]["last_update"] == "2023-06-30"


@pytest.mark.parametrize("arguments, expected", [
    ((), ["solo", "one", "two", "three"]),  # grouped by folder: root, plan, plan/sub, planner
    (("--tag", "a"), ["solo", "one"]),
    (("--tag", "b"), ["one", "two"]),
    (("--tag", "c"), []),
    (("--group", "plan"), ["one", "two"]),  # a folder and its sub-folders, not plan*
    (("--group", "plan/"), ["one", "two"]),
    (("--group", "plan/sub"), ["two"]),
    (("--group", "planner"), ["three"]),
    (("--group", "plan", "--tag", "a"), ["one"]),
])
def test_status_filters_by_tag_and_group(tmp_path, arguments, expected):
    filter_workspace(tmp_path)
    assert status_ids(tmp_path, "--as-of", "2023-06-30", *arguments) == expected


@pytest.mark.parametrize("sort, expected", [
    ("id", ["early", "alpha", "bravo", "charlie", "delta"]),
    ("lag", ["early", "bravo", "charlie", "alpha", "delta"]),  # most behind first, no lag last
    ("due", ["early", "delta", "bravo", "charlie", "alpha"]),
])
def test_status_sort_orders_rows_within_each_folder(tmp_path, sort, expected):
    sort_workspace(tmp_path)
    assert status_ids(tmp_path, "--as-of", "2023-06-30", "--sort", sort) == expected


def test_status_sort_by_lag_uses_these_lags(tmp_path):
    sort_workspace(tmp_path)
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert [rows[name]["lag"] for name in ("bravo", "charlie", "alpha", "delta")] == [
        Decimal("49.54"), Decimal("14.19"), Decimal("-10.41"), None]


def test_status_prints_good_rows_and_reports_the_broken_file(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    write_target(tmp_path, "zeta", SLOW_FIRMS, group="plan")
    write_target(tmp_path, "broken", target_toml(target='"abc"'), group="plan")
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    assert [(row["id"], row["current"]) for row in document["targets"]] == [("firms", 650), ("zeta", 550)]
    assert result.stderr == f"{tmp_path / 'plan' / 'broken.toml'}:4: target must be a number, not 'abc'\n"


def test_status_table_still_prints_with_a_broken_file(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    write_target(tmp_path, "broken", "title = \n")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 2, result.output
    assert "650 / 1,200" in result.stdout
    assert result.stderr.startswith(f"{tmp_path / 'broken.toml'}:1:")


def test_table_shows_completion_as_computed_so_100_means_done(tmp_path):
    # 99.996% rounds half up to 100.00, but a target not done never shows 100: 99.99%.
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML.replace("1200", "10000")
                  + "[[progress]]\ndate = 2023-06-30\nvalue = 9999.6\n")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    row = next(line for line in result.stdout.splitlines() if line.startswith(" m "))
    assert "99.99%" in row and "100.0" not in row


def test_a_target_without_entries_shows_no_figure_rather_than_zero(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML)
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert "— / 1,200 firms" in result.stdout


def test_filters_that_match_nothing_say_so(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML)
    result = run(tmp_path, "status", "--tag", "nosuch")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "kpitrack: no targets match\n")


@pytest.mark.slow
def test_output_cut_short_by_the_reader_ends_quietly_like_other_unix_tools(tmp_path):
    import subprocess
    import sys

    long_title = helpers.TARGET_TOML.replace("synthetic: new firms", "synthetic " * 190)  # under the 2,000-character limit
    for number in range(200):  # far more output than a pipe holds: the writer meets the closed pipe
        helpers.write(tmp_path / f"m{number}.toml", long_title)
    shell = f"{sys.executable} -m kpitrack --dir {tmp_path} status --wide --as-of 2023-06-30 | head -1"  # full titles: far more than a pipe holds
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("kpitrack status as of 2023-06-30")
    assert (result.returncode, result.stderr) == (128 + 13, "")  # ended by SIGPIPE, as `cat` would be


@pytest.mark.parametrize("language", ["en", "zh"])
def test_at_80_columns_ids_stay_whole_and_titles_are_cut_first(tmp_path, monkeypatch, language):
    """Issue 24, item 11: a long title and a wide progress cell leave the ids whole, on one line each."""
    from rich.cells import cell_len

    title = "synthetic: 地区生产总值增长6.0%左右，全社会固定资产投资增长10%以上"
    write_target(tmp_path, "d25-gdp-growth", target_toml(title=title, target=6, unit="%", extra='kind = "growth"\n'))
    write_target(tmp_path, "d25-gdp-total", target_toml(title=title, target="3456789.5", unit="万元", extra=(
        'qualifier = "over"\n' + progress("2023-03-31", "1234567.25"))))  # a progress cell of 35 columns
    monkeypatch.setenv("COLUMNS", "80")
    result = run(tmp_path, "--lang", language, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.startswith(" d25-")]
    assert [row.split()[0] for row in rows] == ["d25-gdp-growth", "d25-gdp-total"], result.stdout
    assert max(cell_len(line) for line in lines) <= 80
