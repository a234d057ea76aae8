"""check --changes (issue 18): only what changed since the previous run. Synthetic targets."""

from __future__ import annotations

from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

runner = CliRunner()


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def changes(root, day):
    result = run(root, "check", "--changes", "--fail-on", "behind,overdue,stale", "--as-of", day)
    assert result.exit_code == (1 if result.stdout else 0), result.output
    return [line.split(" as of ")[0] for line in result.stdout.splitlines()]


def test_a_target_that_stays_red_is_reported_once_and_its_recovery_once(tmp_path):
    write(tmp_path / "kpitrack.toml", 'cadence = "monthly"\nstale_grace_days = 45\n')
    path = write(tmp_path / "firms.toml", TARGET_TOML + "baseline = 0\n")  # 1200 firms in 2023; a baseline: not no-data
    assert changes(tmp_path, "2023-01-10") == []
    assert changes(tmp_path, "2023-03-01") == ["firms: now behind (was at-risk)"]
    assert changes(tmp_path, "2023-03-02") == []  # still behind: no news
    assert changes(tmp_path, "2023-03-18") == []  # 1 February + 45 days of grace
    assert changes(tmp_path, "2023-03-19") == ["firms: late: no figure yet"]
    assert changes(tmp_path, "2023-03-20") == []
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n[[progress]]\ndate = 2023-03-31\nvalue = 400\n")
    assert changes(tmp_path, "2023-04-01") == ["firms: recovered: now on-track (was behind)"]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n[[progress]]\ndate = 2023-04-30\nvalue = 800\n")
    assert changes(tmp_path, "2023-05-01") == []  # done, but it was not flagged: no news
    assert (tmp_path / ".kpitrack" / "check-changes.json").exists()


def test_a_flagged_target_that_is_done_is_reported_as_done(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML + "baseline = 0\n")  # a baseline: not no-data
    assert changes(tmp_path, "2023-03-01") == ["firms: now behind"]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n[[progress]]\ndate = 2023-03-31\nvalue = 1200\n")
    assert changes(tmp_path, "2023-04-01") == ["firms: done (was behind)"]


def test_the_first_changes_run_records_a_baseline_and_says_so(tmp_path):
    """issue 27, item 4: the first run says it recorded a baseline; the second does not."""
    write(tmp_path / "firms.toml", TARGET_TOML + "baseline = 0\n")
    first = run(tmp_path, "check", "--changes", "--as-of", "2023-03-01")
    assert "baseline" in first.stderr and "1 target" in first.stderr, first.output
    second = run(tmp_path, "check", "--changes", "--as-of", "2023-03-02")
    assert second.exit_code == 0 and "baseline" not in second.stderr, second.output
