"""催报 by period (issue 27, item 3): `status --missing` lists the targets with no figure dated in
the last ended period of their cadence, grouped by responsible unit. Synthetic targets."""

from __future__ import annotations

import json
from datetime import date

import pytest

from helpers import run, target_toml, write, progress
from kpitrack.domain.periods import last_ended_period


@pytest.mark.parametrize("cadence, start, end, label", [
    ("monthly", date(2025, 7, 1), date(2025, 7, 31), "2025-07"),
    ("quarterly", date(2025, 4, 1), date(2025, 6, 30), "2025-Q2"),
    ("yearly", date(2024, 1, 1), date(2024, 12, 31), "2024"),
    ("weekly", date(2025, 7, 28), date(2025, 8, 3), "2025-W31"),
    (10, date(2025, 7, 27), date(2025, 8, 5), "2025-07-27"),  # the as-of day is whole: it ends the span
])
def test_the_last_ended_period_as_of_5_august(cadence, start, end, label):
    period = last_ended_period(cadence, date(2025, 8, 5))
    assert (period.start, period.end, period.label) == (start, end, label)


def test_the_last_ended_quarter_in_january_is_the_previous_years_fourth():
    assert last_ended_period("quarterly", date(2025, 1, 10)).label == "2024-Q4"


def owned(owner: str, extra: str = "", co: str = "", cadence: str = "") -> str:
    text = target_toml(start="2025-01-01", due="2025-12-31").replace(
        'unit = "firms"', 'unit = "firms"\n' + (f'owner = ["{owner}", {co}]' if co else f'owner = "{owner}"')
        + (f'\ncadence = "{cadence}"' if cadence else ""))
    return text + extra


def workspace(root):
    write(root / "kpitrack.toml", 'cadence = "monthly"\n')
    write(root / "june.toml", owned("区住建局", progress("2025-06-30", 600), co='"区发改局"'))  # nothing dated in July
    write(root / "july.toml", owned("区住建局", progress("2025-06-30", 500) + progress("2025-07-31", 700)))
    write(root / "never.toml", owned("区发改局"))
    write(root / "quarter.toml", owned("区财政局", progress("2025-06-30", 300), cadence="quarterly"))  # Q2 is there
    write(root / "late-q.toml", owned("区财政局", progress("2025-03-31", 300), cadence="quarterly"))
    write(root / "bridge.toml", target_toml(title="synthetic: bridge", target=None, unit=None, start="2025-01-01",
                                            due="2025-12-31") + 'kind = "milestone"\nowner = "区交通局"\n')
    return root


def test_status_missing_lists_by_unit_the_targets_without_a_figure_for_july(tmp_path):
    root = workspace(tmp_path)
    result = run(root, "status", "--missing", "--as-of", "2025-08-05", "--format", "json")
    assert result.exit_code == 0, result.output
    units = {row["owner"]: [(target["id"], target["role"], target["period"]) for target in row["targets"]]
             for row in json.loads(result.stdout)["missing"]}
    # the milestone has no cadence of its own or its plan's: not chased monthly
    assert units == {"区住建局": [("june", "lead", "2025-07")],
                     "区发改局": [("june", "co", "2025-07"), ("never", "lead", "2025-07")],
                     "区财政局": [("late-q", "lead", "2025-Q2")]}
    table = run(root, "status", "--missing", "--as-of", "2025-08-05").stdout
    assert table.index("区住建局") < table.index("june") < table.index("区发改局") < table.index("never")
    assert "july" not in table and "quarter" not in table and "2025-Q2" in table


def test_status_missing_in_csv_and_markdown_names_the_same_targets(tmp_path):
    root = workspace(tmp_path)
    csv_text = run(root, "status", "--missing", "--as-of", "2025-08-05", "--format", "csv").stdout
    assert [line.split(",")[:3] for line in csv_text.splitlines()[1:]] == [
        ["区住建局", "lead", "june"], ["区发改局", "co", "june"], ["区发改局", "lead", "never"], ["区财政局", "lead", "late-q"]]
    markdown = run(root, "status", "--missing", "--as-of", "2025-08-05", "--format", "markdown").stdout
    assert "### 区发改局" in markdown and "| never |" in markdown and "july" not in markdown


def test_status_missing_in_chinese_uses_the_official_words(tmp_path):
    root = workspace(tmp_path)
    table = run(root, "--lang", "zh", "status", "--missing", "--as-of", "2025-08-05").stdout
    assert "未报送" in table and "责任单位" in table and "配合单位" in table


def test_status_json_carries_each_targets_owners_lead_first(tmp_path):
    root = workspace(tmp_path)
    rows = {row["id"]: row for row in json.loads(run(root, "status", "--format", "json", "--as-of", "2025-08-05").stdout)["targets"]}
    assert rows["june"]["owners"] == ["区住建局", "区发改局"] and rows["bridge"]["owners"] == ["区交通局"]


def test_check_fail_on_missing_exits_1_with_the_list_by_unit(tmp_path):
    root = workspace(tmp_path)
    result = run(root, "check", "--fail-on", "missing", "--as-of", "2025-08-05")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["区住建局", "june"], ["区发改局", "june"], ["区发改局", "never"],
                                                   ["区财政局", "late-q"]]
    assert "synthetic: new firms" in lines[0] and "2025-07" in lines[0]
    write(root / "june.toml", owned("区住建局", progress("2025-07-31", 600), co='"区发改局"'))
    write(root / "never.toml", owned("区发改局", progress("2025-07-15", 60)))
    write(root / "late-q.toml", owned("区财政局", progress("2025-05-31", 300), cadence="quarterly"))
    result = run(root, "check", "--fail-on", "missing", "--as-of", "2025-08-05")
    assert result.exit_code == 0 and "none not reported for the last period" in result.stdout, result.output


def test_check_names_each_target_by_its_title_too(tmp_path):
    root = workspace(tmp_path)
    result = run(root, "check", "--fail-on", "no-data", "--as-of", "2025-08-05")
    assert result.exit_code == 1 and result.stdout.split()[:2] == ["never", "synthetic:"], result.output


def test_status_filter_weibaosong_selects_every_row_the_tables_print_as_weibaosong(tmp_path):
    write(tmp_path / "silent.toml", target_toml(start="2025-01-01", due="2025-12-31"))  # no-data: 未报送
    write(tmp_path / "gone.toml", target_toml(start="2024-01-01", due="2024-12-31"))  # over, never reported: 未报送
    write(tmp_path / "bridge.toml", target_toml(title="synthetic: bridge", target=None, unit=None, start="2025-01-01",
                                                due="2025-06-30") + 'kind = "milestone"\n')  # overdue, verdict 未报送
    write(tmp_path / "fine.toml", target_toml(start="2025-01-01", due="2025-12-31", extra=progress("2025-06-30", 600)))
    table = run(tmp_path, "--lang", "zh", "status", "--as-of", "2025-08-05").stdout
    assert [line.split()[0] for line in table.splitlines()[3:] if "未报送" in line] == ["bridge", "gone", "silent"]
    rows = json.loads(run(tmp_path, "status", "--status", "未报送", "--as-of", "2025-08-05", "--format", "json").stdout)
    assert sorted(row["id"] for row in rows["targets"]) == ["bridge", "gone", "silent"]
    english = json.loads(run(tmp_path, "status", "--status", "no-data,not-reported", "--as-of", "2025-08-05",
                             "--format", "json").stdout)
    assert sorted(row["id"] for row in english["targets"]) == ["bridge", "gone", "silent"]
