"""Plans that close, filters, and --dir into a plan's folder (issue 18). Synthetic targets."""

from __future__ import annotations

import json
import os
import sys

from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

runner = CliRunner()
BEHIND = TARGET_TOML.replace('title = "synthetic: new firms"',
                             'title = "synthetic: new firms"\nowner = "区住建局"\nbaseline = 0')  # 0 reported: behind


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def workspace(tmp_path):
    write(tmp_path / "kpitrack.toml", "red = 10\n")
    write(tmp_path / "old-2023" / "old.toml", BEHIND)  # due 2023-12-31, nothing done: overdue
    write(tmp_path / "new-2024" / "new.toml", BEHIND.replace("2023", "2024"))
    write(tmp_path / "new-2024" / "other.toml", TARGET_TOML.replace("2023", "2024").replace("tags", "x")
          + 'tags = ["roads"]\nbaseline = 0\n')  # 0 reported: behind, not no-data
    return tmp_path


def ids(result) -> list[str]:
    assert result.exit_code in (0, 1), result.output
    return sorted(line.split()[0] for line in result.stdout.splitlines())


def test_check_skips_a_plan_closed_120_days_after_its_last_due_date(tmp_path):
    root = workspace(tmp_path)
    assert ids(run(root, "check", "--as-of", "2024-04-29")) == ["new", "old", "other"]
    assert ids(run(root, "check", "--as-of", "2024-04-30")) == ["new", "other"]
    assert ids(run(root, "check", "--as-of", "2024-04-30", "--all")) == ["new", "old", "other"]
    assert ids(run(root, "check", "--as-of", "2024-04-30", "--group", "old-2023")) == ["old"]


def test_status_skips_closed_plans_and_plans_lists_them_with_their_final_tally(tmp_path):
    root = workspace(tmp_path)
    rows = json.loads(run(root, "status", "--as-of", "2024-06-30", "--format", "json").stdout)["targets"]
    assert sorted(row["id"] for row in rows) == ["new", "other"]
    plans = json.loads(run(root, "plans", "--as-of", "2024-06-30", "--format", "json").stdout)["plans"]
    assert {plan["group"]: plan["closed"] for plan in plans} == {"new-2024": False, "old-2023": True}
    assert "old-2023 (closed: final tally)" in run(root, "plans", "--as-of", "2024-06-30").stdout


def test_plan_toml_closes_or_keeps_open_by_hand_and_the_setting_moves_the_date(tmp_path):
    root = workspace(tmp_path)
    write(root / "new-2024" / "plan.toml", 'title = "synthetic plan"\nclosed = true\n')
    write(root / "old-2023" / "plan.toml", 'title = "synthetic plan"\nclosed = false\n')
    assert ids(run(root, "check", "--as-of", "2024-06-30")) == ["old"]
    os.remove(root / "old-2023" / "plan.toml")
    write(root / "kpitrack.toml", "close_after_days = 365\n")
    assert ids(run(root, "check", "--as-of", "2024-06-30")) == ["old"]


def test_group_tag_and_owner_select_on_check_report_and_status(tmp_path):
    root = workspace(tmp_path)
    assert ids(run(root, "check", "--as-of", "2024-06-30", "--tag", "roads")) == ["other"]
    assert ids(run(root, "check", "--as-of", "2024-06-30", "--owner", "住建")) == ["new"]
    report = json.loads(run(root, "report", "--as-of", "2024-06-30", "--format", "json", "--owner", "住建").stdout)
    assert report["attention"] == ["new", "old"]  # the report does not skip closed plans; "other" has no owner
    rows = json.loads(run(root, "status", "--as-of", "2024-06-30", "--format", "json", "--group", "new-2024",
                          "--tag", "roads").stdout)["targets"]
    assert [row["id"] for row in rows] == ["other"]


def test_dir_into_a_plan_folder_uses_the_workspace_settings_and_limits_to_the_folder(tmp_path):
    root = workspace(tmp_path)
    write(root / "kpitrack.toml", 'cadence = "monthly"\nstale_grace_days = 0\n')
    rows = json.loads(run(root / "new-2024", "status", "--as-of", "2024-06-30", "--format", "json").stdout)["targets"]
    assert sorted(row["id"] for row in rows) == ["new", "other"]
    assert all(row["stale"] for row in rows)  # the cadence comes from the kpitrack.toml above
    result = run(root / "new-2024", "add", "new", "5", "--date", "2024-06-30")
    assert result.exit_code == 0 and "new-2024/new.toml" in result.stdout


def test_report_out_prints_nothing_and_quiet_commands_print_nothing(tmp_path):
    root = workspace(tmp_path)
    result = run(root, "report", "--as-of", "2024-06-30", "--out", str(tmp_path / "r.md"))
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("#")
    for args in (("validate", "--quiet"), ("check", "--as-of", "2023-01-02", "--quiet", "--group", "new-2024"),
                 ("init", str(tmp_path / "fresh"), "--quiet")):
        result = runner.invoke(app, ["--dir", str(root), *args])
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr == "", args
    assert sys.platform != "win32"


def test_shipped_and_init_settings_expect_a_figure_a_month_with_45_days_grace(tmp_path):
    import tomllib
    from pathlib import Path

    shipped = tomllib.loads((Path(__file__).parents[1] / "targets" / "kpitrack.toml").read_text(encoding="utf-8"))
    assert runner.invoke(app, ["init", str(tmp_path / "w")]).exit_code == 0
    made = tomllib.loads((tmp_path / "w" / "kpitrack.toml").read_text(encoding="utf-8"))
    for settings in (shipped, made):
        assert settings["cadence"] == "monthly" and settings["stale_grace_days"] == 45


def test_on_the_shipped_workspace_cron_is_silent_once_the_plans_closed_and_stale_fires_while_open():
    from pathlib import Path

    shipped = Path(__file__).parents[1] / "targets"
    result = run(shipped, "check", "--fail-on", "behind,overdue", "--quiet", "--as-of", "2026-01-01")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    result = run(shipped, "check", "--fail-on", "stale", "--as-of", "2024-06-30")
    assert result.exit_code == 1 and "lh24-affordable-housing" in result.stdout


def test_check_says_how_many_it_checked_and_how_many_it_left_out(tmp_path):
    root = workspace(tmp_path)
    result = run(root, "check", "--as-of", "2024-06-30", "--fail-on", "done")
    assert result.stdout == "2 targets as of 2024-06-30: none done (1 left out: closed plans or not selected)\n"


def test_status_with_every_plan_closed_says_how_to_see_them(tmp_path):
    """Issue 27: a status that prints nothing because every plan is closed says `--all` shows them."""
    write(tmp_path / "plan" / "plan.toml", 'title = "synthetic plan"\nclosed = true\n')
    write(tmp_path / "plan" / "firms.toml", TARGET_TOML)
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 0 and "`--all` shows them" in result.stderr, result.output
    assert "firms" in run(tmp_path, "status", "--all", "--as-of", "2023-06-30").stdout
    nothing = run(tmp_path, "status", "--tag", "no-such-tag", "--as-of", "2023-06-30")
    assert nothing.stderr == "kpitrack: no targets match\n"
