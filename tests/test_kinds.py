"""Issue 12 through the CLI: the indicator and growth kinds, qualifiers on targets and readings,
stretch_target, estimates, dates from plan.toml, year-end verdicts and their validation.

Figures marked "real" are published outcomes from shared/data/outcomes.md (used here, not
recorded in targets/); every other figure is synthetic."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import one_error_line, runner
from kpitrack.cli import app

pytestmark = pytest.mark.usefixtures("plain_environment")


def write(root: Path, name: str, text: str) -> Path:
    path = root / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(root: Path, *args: str):
    return runner.invoke(app, ["--dir", str(root), *args])


def row(root: Path, target_id: str, as_of: str) -> dict:
    result = run(root, "status", "--format", "json", "--as-of", as_of, "--all")  # closed plans too
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout, parse_float=Decimal)["targets"]}[target_id]


def target(target=100, unit="家", extra="", dates=True) -> str:
    head = f'# synthetic test data\ntitle = "synthetic"\nunit = "{unit}"\n'
    head += f"target = {target}\n" if target is not None else ""
    head += "start = 2023-01-01\ndue = 2023-12-31\n" if dates else ""
    return head + extra


def entry(when: str, value, *lines: str) -> str:
    return f"\n[[progress]]\ndate = {when}\nvalue = {value}\n" + "".join(line + "\n" for line in lines)


# --- qualifiers on the target: the edge of each -----------------------------------------------


@pytest.mark.parametrize("qualifier, value, done", [
    ("over", 100, False), ("over", "100.01", True),  # 超100: equal is not done
    ("at-least", 100, True), ("at-least", "99.99", False),  # 100以上: equal is done
    ("about", 98, True), ("about", "97.99", False),  # 100左右: default tolerance 2 % of the target
])
def test_qualifier_edges_on_an_increase_target(tmp_path, qualifier, value, done):
    write(tmp_path, "t", target(extra=f'qualifier = "{qualifier}"\n' + entry("2023-06-30", value, "total = true")))
    assert (row(tmp_path, "t", "2023-06-30")["status"] == "done") is done


def test_no_qualifier_reads_as_at_least_and_computes_as_before(tmp_path):
    write(tmp_path, "t", target(extra=entry("2023-06-30", 100, "total = true")))
    found = row(tmp_path, "t", "2023-06-30")
    assert (found["qualifier"], found["status"], found["completion"]) == ("at-least", "done", 100)


def test_about_with_an_explicit_tolerance(tmp_path):
    write(tmp_path, "t", target(target=410, unit="亿元", extra='qualifier = "about"\ntolerance = 10\n'
                                + entry("2023-12-31", 400, "total = true")))
    assert row(tmp_path, "t", "2023-12-31")["status"] == "done"
    assert row(tmp_path, "t", "2023-12-31")["tolerance"] == 10
    (tmp_path / "t.toml").write_text(target(target=410, unit="亿元", extra='qualifier = "about"\ntolerance = 10\n'
                                            + entry("2023-12-31", "399.99", "total = true")), encoding="utf-8")
    assert row(tmp_path, "t", "2023-12-31")["status"] == "overdue"  # not done: 10.01 short


@pytest.mark.parametrize("value, done", [(50, True), ("50.01", False)])
def test_at_most_on_a_decrease_target(tmp_path, value, done):
    write(tmp_path, "t", target(target=50, extra='baseline = 80\ndirection = "decrease"\nkind = "level"\n'
                                'qualifier = "at-most"\n' + entry("2023-06-30", value)))
    assert (row(tmp_path, "t", "2023-06-30")["status"] == "done") is done


def test_real_luohu_fixed_asset_investment_about_410(tmp_path):
    """Real: 194.7亿元 by 1-6月 and 364.21亿元 for 2024 against 410亿元左右 (outcomes.md)."""
    write(tmp_path, "fai", target(target=410, unit="亿元", dates=False, extra='qualifier = "about"\n'
                                  + entry("2024-06-30", "194.7", "total = true")
                                  + entry("2024-12-31", "364.21", "total = true")))
    write(tmp_path, "plan", 'title = "synthetic plan"\nperiod = "2024"\n')
    half = row(tmp_path, "fai", "2024-06-30")
    assert (half["completion"], half["lag"], half["status"]) == (Decimal("47.49"), Decimal("2.24"), "at-risk")
    year = row(tmp_path, "fai", "2025-01-01")
    assert (year["status"], year["verdict"]) == ("overdue", "missed")  # 88.83 %: well outside 左右


def test_the_qualifier_shows_beside_the_target(tmp_path):
    write(tmp_path, "t", target(target=5000, unit="套", extra='qualifier = "over"\n'))
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert "— / 超5,000 套" in result.stdout
    assert "超5,000" in run(tmp_path, "show", "t", "--as-of", "2023-06-30").stdout


# --- qualifiers on a reading ----------------------------------------------------------------


@pytest.mark.parametrize("target_qualifier, reading, done", [
    ("over", "nearly", False),  # real: 近万亿元 does not meet 超万亿元 (Shenzhen 2023)
    ("at-least", "nearly", False),  # 近万亿 does not meet 万亿以上
    ("at-least", "over", True),  # real: 超千亿 meets 千亿以上 (Bao'an 2023)
    ("over", "over", True),
    ("over", "about", False),  # about X counts as X
    ("at-least", "about", True),
])
def test_reading_qualifiers(tmp_path, target_qualifier, reading, done):
    write(tmp_path, "t", target(target=10000, unit="亿元", extra=f'qualifier = "{target_qualifier}"\n'
                                + entry("2023-12-31", 10000, "total = true", f'qualifier = "{reading}"')))
    found = row(tmp_path, "t", "2023-12-31")
    assert (found["status"] == "done") is done
    # The figure counts as recorded, but a target not met never shows 100 (issue 11): 近万亿 is 99.99.
    assert found["completion"] == (100 if done else Decimal("99.99"))


def test_a_reading_qualifier_shows_beside_the_figure_and_is_kept_by_add(tmp_path):
    write(tmp_path, "t", target(target=10000, unit="亿元", extra='qualifier = "over"\n'))
    result = run(tmp_path, "add", "t", "10000", "--total", "--date", "2023-12-31", "--qualifier", "nearly")
    assert result.exit_code == 0, result.output
    assert 'qualifier = "nearly"' in (tmp_path / "t.toml").read_text(encoding="utf-8")
    shown = run(tmp_path, "status", "--as-of", "2023-12-31").stdout
    assert "近10,000 /" in shown and "超10,000 亿元" in shown
    assert row(tmp_path, "t", "2024-01-01")["verdict"] == "missed"


# --- growth targets --------------------------------------------------------------------------

GROWTH = '# synthetic test data\ntitle = "synthetic growth"\nunit = "%"\nkind = "growth"\ntarget = 6.0\n' \
         'qualifier = "about"\nstart = 2024-01-01\ndue = 2024-12-31\n'


def test_real_luohu_gdp_growth_is_behind_by_points(tmp_path):
    """Real: 4.1 % in 1-6月 against 6.0 %左右 is 1.9 points short: behind (no 序时进度)."""
    write(tmp_path, "gdp", GROWTH + entry("2024-06-30", "4.1"))
    found = row(tmp_path, "gdp", "2024-06-30")
    assert (found["gap"], found["status"], found["completion"], found["planned"]) == (
        Decimal("-1.9"), "behind", None, None)
    assert "-1.9 pt" in run(tmp_path, "status", "--as-of", "2024-06-30").stdout
    shown = run(tmp_path, "show", "gdp", "--as-of", "2024-06-30").stdout
    assert "-1.9 pt (percentage points, reading - target)" in shown
    assert "• reading  · target" in shown  # a line of readings under the target, not a burn-up


@pytest.mark.parametrize("reading, status", [("5.8", "on-track"), ("5.79", "at-risk"), ("5.01", "at-risk"),
                                             ("5.0", "behind"), ("7.5", "on-track")])
def test_growth_status_bands(tmp_path, reading, status):
    write(tmp_path, "gdp", GROWTH + entry("2024-03-31", reading))
    assert row(tmp_path, "gdp", "2024-04-01")["status"] == status


def test_growth_red_is_a_setting(tmp_path):
    write(tmp_path, "gdp", GROWTH + entry("2024-06-30", "4.1"))
    (tmp_path / "kpitrack.toml").write_text("growth_red = 2\n", encoding="utf-8")
    assert row(tmp_path, "gdp", "2024-06-30")["status"] == "at-risk"


def test_growth_verdict_comes_from_the_reading_on_the_due_date(tmp_path):
    write(tmp_path, "gdp", GROWTH + entry("2024-06-30", "6.5"))
    assert row(tmp_path, "gdp", "2024-12-30")["verdict"] is None
    assert row(tmp_path, "gdp", "2024-12-31")["verdict"] == "not-reported"  # the year ended without its reading
    assert (row(tmp_path, "gdp", "2025-01-01")["verdict"], row(tmp_path, "gdp", "2025-01-01")["status"]) == (
        "not-reported", "overdue")
    # real: Luohu's full-year 2024 GDP growth is printed as 3.0 % (outside outcomes.md; the plan's §8)
    (tmp_path / "gdp.toml").write_text(GROWTH + entry("2024-06-30", "6.5") + entry("2024-12-31", "3.0"),
                                       encoding="utf-8")
    final = row(tmp_path, "gdp", "2025-01-01")
    assert (final["status"], final["verdict"], final["gap"]) == ("overdue", "missed", Decimal("-3.0"))
    (tmp_path / "gdp.toml").write_text(GROWTH + entry("2024-12-31", "6.3"), encoding="utf-8")
    final = row(tmp_path, "gdp", "2025-01-01")
    assert (final["status"], final["verdict"], final["done_on"], final["exceeded_by"]) == (
        "done", "on-time", "2024-12-31", Decimal("0.3"))


# --- indicators -----------------------------------------------------------------------------

INDICATOR = '# synthetic test data\ntitle = "synthetic indicator"\nunit = "%"\nkind = "indicator"\n' \
            'start = 2023-01-01\ndue = 2023-12-31\n'


def test_indicator_is_tracked_with_its_latest_reading_and_change(tmp_path):
    """Real readings: Shenzhen fixed-asset investment growth, 1-8月 13.1, 1-9月 13.9 (outcomes.md)."""
    write(tmp_path, "fai", INDICATOR + entry("2023-08-31", "13.1") + entry("2023-09-30", "13.9"))
    found = row(tmp_path, "fai", "2023-10-31")
    assert (found["status"], found["current"], found["change"], found["target"], found["verdict"]) == (
        "tracked", Decimal("13.9"), Decimal("0.8"), None, None)
    assert row(tmp_path, "fai", "2024-06-30")["status"] == "tracked"  # never overdue: nothing to complete
    shown = run(tmp_path, "show", "fai", "--as-of", "2023-10-31")
    assert shown.exit_code == 0, shown.output
    assert "13.9 %" in shown.stdout and "+0.8 since the previous reading" in shown.stdout
    assert "Reading of  2023-09-30" in shown.stdout


# --- 确保 / 力争 -------------------------------------------------------------------------------


def test_stretch_target_is_shown_and_status_judged_on_the_committed_figure(tmp_path):
    write(tmp_path, "t", target(target=40, extra="stretch_target = 50\n" + entry("2023-12-31", 45, "total = true")))
    found = row(tmp_path, "t", "2023-12-31")
    assert (found["status"], found["stretch_target"], found["stretch_completion"]) == ("done", 50, 90)
    assert "90.00% (of 50)" in run(tmp_path, "show", "t", "--as-of", "2023-12-31").stdout
    assert "| 112.50% (stretch 90.00%) |" in run(tmp_path, "status", "--format", "markdown", "--as-of", "2023-12-31").stdout


# --- estimates ------------------------------------------------------------------------------


def test_an_estimate_counts_is_marked_and_a_final_figure_replaces_it(tmp_path):
    write(tmp_path, "t", target(extra=entry("2023-12-31", 100, "total = true", "estimate = true")))
    found = row(tmp_path, "t", "2023-12-31")
    assert (found["status"], found["estimate"]) == ("done", True)
    assert "100 (est.)" in run(tmp_path, "status", "--as-of", "2023-12-31").stdout
    result = run(tmp_path, "add", "t", "90", "--total", "--date", "2023-12-31")
    assert result.exit_code == 0, result.output
    found = row(tmp_path, "t", "2023-12-31")
    assert (found["current"], found["status"], found["estimate"]) == (90, "overdue", False)


def test_an_estimated_increment_is_not_added_twice(tmp_path):
    write(tmp_path, "t", target(extra=entry("2023-06-30", 40, "estimate = true") + entry("2023-06-30", 30)))
    assert row(tmp_path, "t", "2023-06-30")["current"] == 30


# --- dates from the plan --------------------------------------------------------------------


def test_start_and_due_come_from_the_plan_period(tmp_path):
    write(tmp_path / "plan-2024", "plan", 'title = "synthetic plan"\nperiod = "2024"\n')
    write(tmp_path / "plan-2024", "t", target(dates=False))
    found = row(tmp_path, "t", "2024-06-30")
    assert (found["start"], found["due"]) == ("2024-01-01", "2024-12-31")


def test_a_plan_may_give_explicit_dates_and_a_target_its_own(tmp_path):
    write(tmp_path / "p", "plan", 'title = "synthetic plan"\nperiod = "十四五"\nstart = 2021-01-01\ndue = 2025-12-31\n')
    write(tmp_path / "p", "t", target(dates=False))
    write(tmp_path / "p", "own", target(dates=False, extra="due = 2022-06-30\n"))
    assert row(tmp_path, "t", "2023-01-01")["due"] == "2025-12-31"
    assert (row(tmp_path, "own", "2023-01-01")["start"], row(tmp_path, "own", "2023-01-01")["due"]) == (
        "2021-01-01", "2022-06-30")


def problem_line(result) -> str:
    """`validate` refusing one file: exit 2, and the line naming it."""
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.stderr.splitlines() if ".toml:" in line]
    return line


def test_without_dates_or_plan_period_the_file_is_refused(tmp_path):
    path = write(tmp_path, "t", target(dates=False))
    line = problem_line(run(tmp_path, "validate"))
    assert line.startswith(f"{path}:1: missing key 'start', and no plan.toml")
    line = one_error_line(run(tmp_path, "new", "n", "--title", "synthetic", "--target", "5"))
    assert line.startswith("kpitrack: missing key --start, and no plan.toml")


def test_add_works_on_a_target_whose_dates_come_from_the_plan(tmp_path):
    write(tmp_path, "plan", 'title = "synthetic plan"\nperiod = "2024"\n')
    write(tmp_path, "t", target(dates=False))
    result = run(tmp_path, "add", "t", "5", "--date", "2024-03-31")
    assert result.exit_code == 0, result.output
    assert row(tmp_path, "t", "2024-03-31")["current"] == 5


# --- verdicts -------------------------------------------------------------------------------


@pytest.mark.parametrize("entries, as_of, verdict, done_on", [
    ([("2023-10-31", 143)], "2023-11-30", "done-early", "2023-10-31"),  # met early: a verdict before due
    ([("2023-12-31", 100)], "2024-01-01", "on-time", "2023-12-31"),
    ([("2023-12-31", 80), ("2024-02-29", 100)], "2024-03-01", "done-late", "2024-02-29"),
    ([("2023-12-31", 80)], "2024-01-01", "missed", None),
    ([], "2024-01-01", "not-reported", None),
    ([("2023-06-30", 80)], "2023-12-30", None, None),  # not yet due, not met: no verdict
    # an as-of date is the end of that day: on the due date itself the verdict is given
    ([("2023-12-31", 80)], "2023-12-31", "missed", None),
    ([("2023-12-31", 100)], "2023-12-31", "on-time", "2023-12-31"),
    ([], "2023-12-31", "not-reported", None),
])
def test_verdicts(tmp_path, entries, as_of, verdict, done_on):
    write(tmp_path, "t", target(extra="".join(entry(when, value, "total = true") for when, value in entries)))
    found = row(tmp_path, "t", as_of)
    assert (found["verdict"], found["done_on"]) == (verdict, done_on)


def test_exceeded_by_and_the_human_formats(tmp_path):
    """Real: 1719 new 小升规 firms against 1200 (Shenzhen 2023): 超额完成, 143.25 %."""
    write(tmp_path, "t", target(target=1200, extra=entry("2023-12-31", 1719, "total = true")))
    found = row(tmp_path, "t", "2024-01-01")
    assert (found["verdict"], found["exceeded_by"], found["exceeded_points"]) == ("on-time", 519, Decimal("43.25"))
    shown = run(tmp_path, "show", "t", "--as-of", "2024-01-01").stdout
    assert "on-time on 2023-12-31, exceeded: 143.25%" in shown


def test_a_level_target_is_decided_by_its_latest_reading(tmp_path):
    write(tmp_path, "t", target(extra='kind = "level"\n' + entry("2023-10-31", 100) + entry("2023-12-31", 90)))
    assert row(tmp_path, "t", "2024-01-01")["verdict"] == "missed"


def test_status_and_check_take_verdicts(tmp_path):
    write(tmp_path, "miss", target(extra=entry("2023-12-31", 80, "total = true")))
    write(tmp_path, "hit", target(extra=entry("2023-12-31", 100, "total = true")))
    result = run(tmp_path, "status", "--format", "json", "--as-of", "2024-01-01", "--status", "missed")
    assert [item["id"] for item in json.loads(result.stdout)["targets"]] == ["miss"]
    check = run(tmp_path, "check", "--as-of", "2024-01-01", "--fail-on", "missed")
    assert check.exit_code == 1 and "miss" in check.stdout and "hit" not in check.stdout
    # the existing status words keep their meaning: the missed target is still overdue
    assert run(tmp_path, "check", "--as-of", "2024-01-01", "--fail-on", "overdue").exit_code == 1


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, message", [
    (target(extra='qualifier = "roughly"\n'), 7, "qualifier 'roughly' is not one of: over, at-least, about, at-most"),
    (target(extra='qualifier = "about"\ntolerance = 0\n'), 8, "tolerance must be above 0"),
    (target(extra='qualifier = "about"\ntolerance = -1\n'), 8, "tolerance must be above 0"),
    (target(extra="tolerance = 1\n"), 7, 'tolerance is only for qualifier = "about"'),
    (target(extra="stretch_target = 90\n"), 7, "stretch_target 90 must be above the committed target 100"),
    (target(unit="亿元", extra='kind = "growth"\n'), 3, 'a growth target is a rate in per cent: set unit = "%"'),
    (target(unit="%", extra='kind = "indicator"\n'), 4, "an indicator target has no 'target'"),
    (target(extra='qualifier = "over"\ndirection = "decrease"\nbaseline = 200\n'), 7, "qualifier 'over' is for"),
    (target(extra=entry("2023-06-30", 5, 'qualifier = "under"')), 11, "qualifier 'under' is not one of: nearly"),
    (target(extra=entry("2023-06-30", 5, 'estimate = "yes"')), 11, "estimate must be true or false"),
])
def test_new_fields_are_validated(tmp_path, text, line, message):
    path = write(tmp_path, "bad", text)
    error = problem_line(run(tmp_path, "validate"))
    assert error.startswith(f"{path}:{line}: {message}"), error


def test_a_bad_entry_qualifier_writes_nothing(tmp_path):
    path = write(tmp_path, "t", target())
    before = path.read_bytes()
    result = run(tmp_path, "add", "t", "5", "--date", "2023-06-30", "--qualifier", "under")
    assert result.exit_code == 2
    assert path.read_bytes() == before


def test_growth_red_must_be_positive(tmp_path):
    write(tmp_path, "t", target())
    (tmp_path / "kpitrack.toml").write_text("growth_red = 0\n", encoding="utf-8")
    result = run(tmp_path, "validate")
    assert result.exit_code == 2 and "kpitrack.toml:1: growth_red must be above 0" in result.stderr


# --- the shipped examples -------------------------------------------------------------------

SHIPPED = Path(__file__).parents[1] / "targets"


def test_shipped_examples_of_each_new_kind():
    rows = {item["id"]: item for item in json.loads(
        run(SHIPPED, "status", "--format", "json", "--as-of", "2024-06-30", "--all").stdout)["targets"]}
    assert (rows["lh24-gdp-growth"]["kind"], rows["lh24-gdp-growth"]["qualifier"]) == ("growth", "about")
    assert rows["lh24-fixed-asset-investment"]["qualifier"] == "about"
    assert rows["sz23-fixed-asset-investment"]["qualifier"] == "over"
    assert rows["sz23-fixed-asset-investment-growth"]["status"] == "tracked"
    assert (rows["lh24-charging-piles"]["start"], rows["lh24-charging-piles"]["due"]) == ("2024-01-01", "2024-12-31")
    floors = [path for path in SHIPPED.rglob("*.toml") if "Target is a floor" in path.read_text(encoding="utf-8")]
    assumed = [path for path in SHIPPED.rglob("*.toml") if "Due date assumed" in path.read_text(encoding="utf-8")]
    assert floors == assumed == []


def test_the_readme_names_every_field():
    from kpitrack.files.fields import FILE_KINDS

    from helpers import documentation

    readme = documentation()
    missing = [f"{kind}.{field.name}" for kind, fields in FILE_KINDS.items() for field in fields
               if not any(form in readme for form in (f"{field.name} =", f"`{field.name}`", f"[[{field.name}]]"))]
    assert missing == []


def test_import_reads_qualifier_and_estimate_columns(tmp_path):
    write(tmp_path, "t", target(target=10000, unit="亿元", extra='qualifier = "over"\n'))
    csv_file = tmp_path.parent / f"{tmp_path.name}-import.csv"
    csv_file.write_text("id,date,value,total,qualifier,estimate\n"
                        "t,2023-12-31,10000,true,nearly,yes\n", encoding="utf-8")
    result = run(tmp_path, "import", str(csv_file))
    assert result.exit_code == 0, result.output
    found = row(tmp_path, "t", "2024-01-01")
    assert (found["status"], found["verdict"], found["estimate"]) == ("overdue", "missed", True)  # 近万亿 is not 超万亿
    csv_file.write_text("id,date,value,total,qualifier\nt,2023-12-31,10000,true,roughly\n", encoding="utf-8")
    result = run(tmp_path, "import", str(csv_file))
    assert result.exit_code == 2 and "qualifier: 'roughly' is not one of: nearly, over, about" in result.stderr


def test_a_growth_rate_is_not_a_part(tmp_path):
    write(tmp_path, "rate", GROWTH)
    path = write(tmp_path, "sum", target(unit="%", extra='parts = ["rate"]\n'))
    line = problem_line(run(tmp_path, "validate"))
    assert line.startswith(f"{path}:1: part 'rate'") and "do not add up" in line


def test_a_baseline_within_the_tolerance_is_met_from_the_start(tmp_path):
    write(tmp_path, "t", target(extra='kind = "level"\nbaseline = 99\nqualifier = "about"\n'))
    found = row(tmp_path, "t", "2023-06-30")
    assert (found["status"], found["verdict"], found["done_on"]) == ("done", "done-early", "2023-01-01")


def test_add_takes_a_final_total_after_an_estimate_and_refuses_a_second_final_one(tmp_path):
    write(tmp_path, "t", target(target=100))
    assert run(tmp_path, "add", "t", "90", "--total", "--estimate", "--date", "2023-12-31").exit_code == 0
    assert run(tmp_path, "add", "t", "95", "--total", "--date", "2023-12-31").exit_code == 0  # replaces it
    assert row(tmp_path, "t", "2023-12-31")["current"] == 95
    second = run(tmp_path, "add", "t", "96", "--total", "--date", "2023-12-31")
    assert second.exit_code == 2 and "kpitrack fix" in second.stderr
