"""Issue 24, how offices plan: period plans (按月分解) and pace, bands per target or plan, and the
rest of the issue's "done when" list. Every figure here is synthetic test data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from test_kinds import row, run, write  # the same synthetic workspace helpers

pytestmark = pytest.mark.usefixtures("plain_environment")


def figure(target="100", unit="家", extra="", start="2024-01-01", due="2024-12-31") -> str:
    return (f'# synthetic test data\ntitle = "synthetic"\nunit = "{unit}"\ntarget = {target}\n'
            f"start = {start}\ndue = {due}\n" + extra)


def entry(when: str, value, *lines: str) -> str:
    return f"\n[[progress]]\ndate = {when}\nvalue = {value}\n" + "".join(line + "\n" for line in lines)


# --- period plans (按月分解) and pace ----------------------------------------------------------

PERIOD_PLAN = '\n[planned]\n"2024-03" = 13.5\n"2024-06" = 27.0\n"2024-09" = 40.6\n"2024-12" = 54.1\n'


def test_a_period_plan_is_read_as_written_without_interpolation(tmp_path):
    write(tmp_path, "investment", figure("54.1", "亿元", PERIOD_PLAN))
    added = run(tmp_path, "add", "investment", "14.7", "--total", "--date", "2024-03-31")
    assert added.exit_code == 0, added.output
    found = row(tmp_path, "investment", "2024-03-31")
    assert (found["completion"], found["planned"], found["plan_completion"]) == (
        Decimal("27.17"), Decimal("24.95"), Decimal("108.89"))  # 14.7 / 54.1; 13.5 / 54.1; 14.7 / 13.5
    assert row(tmp_path, "investment", "2024-05-31")["planned"] == Decimal("24.95")  # June has not ended
    assert row(tmp_path, "investment", "2024-02-29")["planned"] == Decimal("0.00")  # before the first period
    assert row(tmp_path, "investment", "2024-06-30")["planned"] == Decimal("49.91")  # 27.0 / 54.1
    shown = run(tmp_path, "show", "investment", "--as-of", "2024-03-31").stdout
    assert "Of the plan to date" in shown and "108.89%" in shown
    zh = run(tmp_path, "--lang", "zh", "show", "investment", "--as-of", "2024-03-31").stdout
    assert "完成序时计划" in zh


def test_a_quarter_plan_and_a_bad_period_are_told_apart(tmp_path):
    write(tmp_path, "q", figure(extra='\n[planned]\n"2024-Q1" = 20\n"2024-Q2" = 50\n'))
    assert row(tmp_path, "q", "2024-04-30")["planned"] == Decimal("20.00")
    write(tmp_path, "q", figure(extra='\n[planned]\n"2024-13" = 20\n'))
    assert "is not a month (2024-03) or a quarter" in run(tmp_path, "validate").stderr
    write(tmp_path, "q", figure(extra='\n[planned]\n"2024-03" = 50\n"2024-06" = 40\n'))
    assert "must lie between" in run(tmp_path, "validate").stderr
    write(tmp_path, "q", figure(extra='\n[planned]\n"2025-03" = 50\n'))
    assert "outside the period" in run(tmp_path, "validate").stderr


@pytest.mark.parametrize("where", ["target", "plan", "workspace"])
def test_pace_120_asks_the_calendar_rule_times_1_2_capped_at_100(tmp_path, where):
    pace = "pace = 120\n"
    write(tmp_path, "p/t", figure(extra='schedule = "monthly"\n' + (pace if where == "target" else "")))
    (tmp_path / "p" / "plan.toml").write_text('title = "synthetic plan"\n' + (pace if where == "plan" else ""),
                                              encoding="utf-8")
    (tmp_path / "kpitrack.toml").write_text(pace if where == "workspace" else "", encoding="utf-8")
    assert row(tmp_path, "t", "2024-06-30")["planned"] == Decimal("60.00")  # 6/12 x 1.2
    assert row(tmp_path, "t", "2024-11-30")["planned"] == Decimal("100.00")  # 11/12 x 1.2, capped


def test_without_pace_the_calendar_rule_is_unchanged(tmp_path):
    write(tmp_path, "t", figure(extra='schedule = "monthly"\n'))
    assert row(tmp_path, "t", "2024-06-30")["planned"] == Decimal("50.00")


# --- bands per target or plan -----------------------------------------------------------------

BEHIND_BY_TWO = 'schedule = "monthly"\n' + entry("2024-06-30", 48, "total = true")  # 48 of planned 50


@pytest.mark.parametrize("where", ["target", "plan"])
def test_a_target_or_plan_sets_its_own_bands(tmp_path, where):
    bands = "yellow = 1\nred = 3\n"
    write(tmp_path, "p/t", figure(extra=(bands if where == "target" else "") + BEHIND_BY_TWO))
    (tmp_path / "p" / "plan.toml").write_text('title = "synthetic plan"\n' + (bands if where == "plan" else ""),
                                              encoding="utf-8")
    (tmp_path / "kpitrack.toml").write_text("yellow = 5\nred = 15\n", encoding="utf-8")
    found = row(tmp_path, "t", "2024-06-30")
    assert (found["lag"], found["status"]) == (Decimal("2.00"), "at-risk")  # green under the workspace's bands


def test_the_workspace_bands_hold_where_none_is_set(tmp_path):
    write(tmp_path, "t", figure(extra=BEHIND_BY_TWO))
    (tmp_path / "kpitrack.toml").write_text("yellow = 5\nred = 15\n", encoding="utf-8")
    assert row(tmp_path, "t", "2024-06-30")["status"] == "on-track"
    write(tmp_path, "t", figure(extra="yellow = 4\nred = 3\n" + BEHIND_BY_TWO))
    assert "bands must be 0 <= yellow <= red <= 100" in run(tmp_path, "validate").stderr


# --- lead and co-units ------------------------------------------------------------------------

def test_owner_may_be_a_list_the_lead_first(tmp_path):
    write(tmp_path, "t", figure(extra='owner = ["区发改局", "区统计局"]\n'))
    write(tmp_path, "other", figure(extra='owner = "区统计局"\n'))
    listed = json.loads(run(tmp_path, "status", "--format", "json", "--as-of", "2024-06-30", "--owner", "区统计局").stdout)
    assert sorted(item["id"] for item in listed["targets"]) == ["other", "t"]
    lead = json.loads(run(tmp_path, "status", "--format", "json", "--as-of", "2024-06-30", "--owner", "区发改局").stdout)
    assert [item["id"] for item in lead["targets"]] == ["t"]
    by_owner = run(tmp_path, "--lang", "zh", "status", "--by", "owner", "--as-of", "2024-06-30").stdout
    assert "区发改局" in by_owner and "（牵头1，配合1）" in by_owner  # 区统计局: other as lead, t as co-unit
    shown = run(tmp_path, "--lang", "zh", "show", "t", "--as-of", "2024-06-30").stdout
    assert "配合单位" in shown and "区统计局" in shown
    write(tmp_path, "t", figure(extra="owner = []\n"))
    assert "owner must be text, or a list of units" in run(tmp_path, "validate").stderr


# --- 临期预警 -----------------------------------------------------------------------------------

MILESTONE = '# synthetic test data\ntitle = "synthetic bridge"\nkind = "milestone"\nstart = 2024-01-01\ndue = 2024-12-31\n'


def test_a_milestone_within_warn_days_of_due_is_due_soon_and_check_names_it(tmp_path):
    write(tmp_path, "bridge", MILESTONE + "warn_days = 30\n")
    assert row(tmp_path, "bridge", "2024-12-05")["due_soon"] is True
    assert row(tmp_path, "bridge", "2024-11-30")["due_soon"] is False  # 31 days before
    checked = run(tmp_path, "check", "--as-of", "2024-12-05")
    assert checked.exit_code == 1 and "bridge" in checked.stdout and "due soon" in checked.stdout
    assert "临期" in run(tmp_path, "--lang", "zh", "status", "--as-of", "2024-12-05").stdout
    assert run(tmp_path, "check", "--as-of", "2024-11-30").exit_code == 0


def test_warn_days_defaults_to_30_for_milestones_and_off_for_figures(tmp_path):
    write(tmp_path, "bridge", MILESTONE)
    write(tmp_path, "firms", figure())
    assert row(tmp_path, "bridge", "2024-12-05")["due_soon"] is True
    assert row(tmp_path, "firms", "2024-12-05")["due_soon"] is False
    (tmp_path / "kpitrack.toml").write_text("warn_days = 40\n", encoding="utf-8")
    assert row(tmp_path, "firms", "2024-11-25")["due_soon"] is True


# --- chasing reports --------------------------------------------------------------------------

def test_a_target_that_never_reported_is_stale_once_its_first_period_and_grace_are_over(tmp_path):
    (tmp_path / "kpitrack.toml").write_text('cadence = "monthly"\nstale_grace_days = 15\n', encoding="utf-8")
    write(tmp_path, "t", figure())
    assert row(tmp_path, "t", "2024-02-16")["stale"] is False  # 1 January + a month + 15 days
    assert row(tmp_path, "t", "2024-03-31")["stale"] is True
    checked = run(tmp_path, "check", "--as-of", "2024-03-31", "--fail-on", "stale")
    assert checked.exit_code == 1 and "t  " in checked.stdout and "stale" in checked.stdout


def test_a_milestone_is_chased_only_by_a_cadence_of_its_own_or_its_plan(tmp_path):
    (tmp_path / "kpitrack.toml").write_text('cadence = "monthly"\n', encoding="utf-8")
    write(tmp_path, "p/bridge", MILESTONE)
    (tmp_path / "p" / "plan.toml").write_text('title = "synthetic plan"\n', encoding="utf-8")
    assert row(tmp_path, "bridge", "2024-03-31")["stale"] is False
    (tmp_path / "p" / "plan.toml").write_text('title = "synthetic plan"\ncadence = "monthly"\n', encoding="utf-8")
    assert row(tmp_path, "bridge", "2024-03-31")["stale"] is True
    write(tmp_path, "p/bridge", MILESTONE + 'cadence = "quarterly"\n')
    (tmp_path / "p" / "plan.toml").write_text('title = "synthetic plan"\n', encoding="utf-8")
    assert row(tmp_path, "bridge", "2024-04-30")["stale"] is True
