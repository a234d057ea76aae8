"""`kpitrack check`: exit codes for cron (synthetic data)."""

from helpers import run, write


def test_check_exits_1_and_lists_each_flagged_target(three_targets):
    result = run(three_targets, "check", "--as-of", "2023-06-30")
    assert result.exit_code == 1
    assert result.stdout == "slow  synthetic: new firms  behind (red, behind plan)  8.33% done  lag +41.26 pt  due 2023-12-31\n"


def test_check_exits_0_when_nothing_has_a_failing_status(three_targets):
    result = run(three_targets, "check", "--as-of", "2023-06-30", "--fail-on", "overdue")
    assert (result.exit_code, result.stdout) == (0, "3 targets as of 2023-06-30: none overdue\n")


def test_check_quiet_prints_nothing_at_all_on_success(three_targets):
    result = run(three_targets, "check", "--as-of", "2023-06-30", "--fail-on", "overdue", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert run(three_targets, "check", "--as-of", "2023-06-30", "--quiet").exit_code == 1


def test_check_exits_2_on_bad_data_or_input(three_targets):
    write(three_targets / "broken.toml", "title = ")
    result = run(three_targets, "check", "--as-of", "2023-06-30", "--fail-on", "overdue")
    assert result.exit_code == 2 and "broken.toml:1" in result.stderr
    assert run(three_targets, "check", "--fail-on", "late").exit_code == 2


def test_check_can_fail_on_stale(three_targets):
    write(three_targets / "kpitrack.toml", 'cadence = "monthly"\n')
    result = run(three_targets, "check", "--as-of", "2023-08-06", "--fail-on", "stale")
    assert result.exit_code == 0  # 2023-06-30 + 1 month + 7 days = 2023-08-06
    result = run(three_targets, "check", "--as-of", "2023-08-07", "--fail-on", "stale")
    assert result.exit_code == 1
    assert [[cell.strip() for cell in line.split("  ") if cell][:3] for line in result.stdout.splitlines()] == [
        ["ahead", "synthetic: new firms", "at-risk (yellow, behind plan), stale"],
        ["slow", "synthetic: new firms", "behind (red, behind plan), stale"]]
