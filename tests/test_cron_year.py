"""A simulated 2024 on the shipped Luohu plan (issue 18, "Done when"): the README's crontab lines,
run under `env -i` as cron runs them, send exactly the mails an office would want.

Every entry here is SYNTHETIC (made up for the test, in a temporary copy of the workspace): each
month's figure, entered on the 5th of the next month, a little ahead of the straight-line plan;
two figures arrive late, one is revised down (and then overtaken by the next month's).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write, documentation
from kpitrack.cli import app

ROOT = Path(__file__).parents[1]
README = documentation()
LATE_1, LATE_2 = "lh24-buji-south-ring-road", "lh24-childcare-centre"  # two milestones whose figures come late
REVISED = "lh24-affordable-housing"  # its July total is revised down on 20 August
SYNTHETIC = "synthetic test entry"


def crontab_commands(workspace: Path, www: Path) -> list[str]:
    block = re.search(r"```crontab\n(.*?)```", README, flags=re.S).group(1)
    entry_point = str(Path(sys.executable).parent / "kpitrack")
    return [line.split(None, 5)[5].replace("/opt/kpitrack/.venv/bin/kpitrack", entry_point)
            .replace("/srv/pledges", str(workspace)).replace("/srv/www", str(www))
            for line in block.splitlines() if line[:1].isdigit()]


def cron(command: str, day: date) -> str:
    """What cron would mail: everything the job prints, run in a bare environment."""
    result = subprocess.run(shlex.split(command) + ["--as-of", day.isoformat()], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": "", "LANG": ""}, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout + result.stderr


def monthly_entries(workspace: Path) -> dict[date, list[tuple]]:
    """(target id, value, --total?, figure's date) by the day they are entered."""
    plan: dict[date, list[tuple]] = {}
    for path in sorted((workspace / "luohu-2024").glob("lh24-*.toml")):
        target = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        for month in range(1, 13):
            dated = date(2024, month + 1, 1) - timedelta(days=1) if month < 12 else date(2024, 12, 31)
            entered = date(2024 + month // 12, month % 12 + 1, 5)
            if target.get("kind") == "growth":  # a year-to-date rate on the bar every month: a reading
                value, total = str(target["target"]), False
            elif target.get("kind") == "milestone":
                value, total = ("done" if month == 11 else "undone"), False
                if month == 12:
                    continue
            else:
                share = Decimal(min(month + 1, 12)) / 12
                value = min(target["target"], (target["target"] * share).quantize(Decimal("0.01"), ROUND_CEILING))
                if target.get("qualifier") == "over" and value == target["target"]:
                    value += 1  # 超X is met only above X
                value, total = str(value), True
            if path.stem == LATE_1 and month in (4, 5):
                entered = date(2024, 7, 1)
            if path.stem == LATE_2 and month in (8, 9):
                entered = date(2024, 11, 1)
            plan.setdefault(entered, []).append((path.stem, value, total, dated))
    return plan


@pytest.mark.slow
def test_a_simulated_2024_mails_once_per_change_and_never_after_the_year_closed(tmp_path):
    workspace, www = tmp_path / "pledges", tmp_path / "www"
    workspace.mkdir()
    www.mkdir()
    shutil.copy(ROOT / "targets" / "kpitrack.toml", workspace)
    shutil.copytree(ROOT / "targets" / "luohu-2024", workspace / "luohu-2024")
    with open(workspace / "luohu-2024" / "plan.toml", "a", encoding="utf-8") as plan_file:
        plan_file.write('cadence = "monthly"\n')  # the simulated milestones report monthly: their plan chases them
    for path in (workspace / "luohu-2024").glob("*.toml"):  # the year is simulated: the published entries go
        text = path.read_text(encoding="utf-8")
        path.write_text(text.split("\n[[progress]]")[0] + "\n", encoding="utf-8")
    check, report = crontab_commands(workspace, www)
    assert " check " in check and "--changes" in check and " report " in report
    entries = monthly_entries(workspace)
    runner = CliRunner()
    mails: list[tuple[date, str]] = []
    day = date(2024, 1, 1)
    while day <= date(2025, 7, 31):
        for target_id, value, total, dated in entries.get(day, []):
            args = ["--dir", str(workspace), "add", target_id, value, "--date", dated.isoformat(),
                    "--note", SYNTHETIC, "-q"] + (["--total"] if total else [])
            assert runner.invoke(app, args).exit_code == 0
        if day == date(2024, 8, 20):  # the July figure revised down (数据修订), below June's: said with --force
            args = ["--dir", str(workspace), "fix", REVISED, "1500", "--total", "--date", "2024-07", "--force", "-q"]
            assert runner.invoke(app, args).exit_code == 0
        if (day - date(2024, 1, 1)).days % 5 == 0 or day in entries or day == date(2024, 8, 20):
            mail = cron(check, day)
            if mail:
                mails.append((day, mail))
        if day.day == 1 and day.month % 3 == 1:
            assert cron(report, day) == ""  # a report written to a file is no mail
        day += timedelta(days=1)
    assert (www / "pledges.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    summary = [(when, line.split(" as of ")[0]) for when, mail in mails for line in mail.splitlines()]
    assert [what for _, what in summary] == [
        # the first run says once that it recorded a baseline (issue 27, item 4)
        "kpitrack: no previous --changes run with --fail-on behind,overdue,stale: recorded a baseline of 53 targets; "
        "what is flagged now is listed as changed, the next run lists what changed since",
        f"{LATE_1}: late: no figure since 2024-03-31",
        f"{REVISED}: now behind (was on-track)",
        f"{REVISED}: recovered: now on-track (was behind)",
        f"{LATE_2}: late: no figure since 2024-07-31",
        # the year closes at the end of 31 December: without its full-year reading (entered on
        # 5 January) the growth rate is overdue then, and done once the reading dated 31 December comes
        "lh24-gdp-growth: now overdue (was on-track)",
        "lh24-gdp-growth: done (was overdue)",
    ], mails
    assert all(when < date(2024, 12, 31) for when, _ in summary[:-2])
    summary = summary[1:]
    assert [when for when, _ in summary[-2:]][0] >= date(2024, 12, 31) and summary[-1][0] < date(2025, 2, 1)
    # Once the year is closed, even the plain check (without --changes) has nothing to say.
    plain = check.replace(" --changes", " --quiet")
    assert cron(plain, date(2025, 5, 1)) == ""
    assert cron(plain, date(2025, 4, 30)) == ""  # every target done by then, too


@pytest.mark.slow
def test_commands_run_in_a_bare_cron_environment(three_targets):
    entry_point = Path(sys.executable).parent / "kpitrack"
    bare = {"PATH": "/usr/bin:/bin", "HOME": "", "LANG": ""}
    write(three_targets / "plan" / "wide.toml", TARGET_TOML.replace("synthetic: new firms", "新增小升规工业企业目标" * 6))
    status = subprocess.run([str(entry_point), "--dir", str(three_targets), "status", "--as-of", "2023-06-30"],
                            env=bare, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert "\x1b" not in status.stdout and max(len(line) for line in lines) == 100
    assert "新增小升规工业企" in status.stdout  # no locale, yet Chinese prints (cut to fit with …)
    check = subprocess.run([str(entry_point), "--dir", str(three_targets), "check", "--as-of", "2023-06-30", "-q"],
                           env=bare, capture_output=True, text=True, timeout=60)
    assert (check.returncode, check.stdout.split()[0], "behind" in check.stdout) == (1, "slow", True)
    narrow = subprocess.run([str(entry_point), "--dir", str(three_targets), "status", "--as-of", "2023-06-30"],
                            env={**bare, "COLUMNS": "80"}, capture_output=True, text=True, timeout=60)
    assert max(len(line) for line in narrow.stdout.splitlines()) == 80
