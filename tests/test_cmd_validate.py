"""`kpitrack validate` (synthetic data)."""

from __future__ import annotations

import re
import tomllib

import pytest

import helpers
from helpers import FIRMS, TARGET_TOML, milestone_toml, progress, run, target_toml, write, write_target

pytestmark = pytest.mark.usefixtures("plain_environment")


def tomllib_position(text: str) -> str:
    """`line:column` of the error, as tomllib itself reports it."""
    with pytest.raises(tomllib.TOMLDecodeError) as error:
        tomllib.loads(text)
    line, column = re.search(r"at line (\d+), column (\d+)", str(error.value)).groups()
    return f"{line}:{column}"


def test_validate_passes_a_good_workspace(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    write_target(tmp_path, "bridge", milestone_toml(), group="plan/sub")
    result = run(tmp_path, "validate")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (f"2 targets in {tmp_path}: all valid\n", "")


@pytest.mark.parametrize("text, line, words", [
    pytest.param(target_toml(target='"abc"'), "4", ("target must be a number", "'abc'"), id="target-text"),
    pytest.param(target_toml().replace("title", "titel"), "2", ("unknown key 'titel'", "did you mean 'title'?"),
                 id="typo-key"),
    pytest.param(target_toml(start="2023-06-01", due="2023-01-31"), "6",
                 ("due 2023-01-31 is before start 2023-06-01",), id="due-before-start"),
    pytest.param(target_toml(extra='kind = "ratio"\n'), "7", ("kind 'ratio' is not one of",), id="unknown-kind"),
    pytest.param(target_toml(extra='kind = "milestone"\n'), "4", ("milestone has no 'target'",),
                 id="milestone-with-target"),
    pytest.param(target_toml(extra="\n[[progress]]\ndate = 2023-03-31\nvalue = 5\nvalu = 6\n"), "11",
                 ("unknown key 'valu'", "did you mean 'value'?"), id="typo-in-entry"),
    pytest.param(milestone_toml(extra=progress("2023-03-31", 5)), "7", ("milestone entry",),  # its header
                 id="value-on-milestone"),
])
def test_validate_reports_each_problem_as_path_line_message(tmp_path, text, line, words):
    write_target(tmp_path, "good", FIRMS)
    path = write_target(tmp_path, "bad", text, group="plan")
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    summary, problem = result.stderr.splitlines()
    assert summary == "1 target valid, 1 with problems:"
    assert problem.startswith(f"{path}:{line}: "), problem
    for word in words:
        assert word in problem


@pytest.mark.parametrize("text, line", [
    pytest.param('title = "synthetic\nstart = 2023-01-01\n', "1", id="unclosed-string"),
    pytest.param(target_toml() + "this is not toml\n", "7", id="not-a-key-value"),
    pytest.param(target_toml(extra="title = 'twice'\n"), "7", id="duplicate-key"),
])
def test_validate_reports_malformed_toml_with_line_and_column(tmp_path, text, line):
    path = write_target(tmp_path, "bad", text)
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    summary, problem = result.stderr.splitlines()
    assert summary == "0 targets valid, 1 with problems:"
    position = tomllib_position(text)
    assert position.startswith(f"{line}:")
    assert problem.startswith(f"{path}:{position}: invalid TOML: "), problem


def test_validate_reports_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(target_toml().encode("utf-8") + b'owner = "caf\xe9"\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "0 targets valid, 1 with problems:",
        f"{path}:7: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_validate_reports_duplicate_ids_in_two_folders(tmp_path):
    first = write_target(tmp_path, "firms", FIRMS, group="a")
    second = write_target(tmp_path, "firms", FIRMS, group="b")
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    summary, problem = result.stderr.splitlines()
    assert summary == "1 target valid, 1 with problems:"
    assert problem.startswith(f"{second}") and f"id 'firms' is already used by {first}" in problem


def test_validate_duplicate_id_problem_has_a_line(tmp_path):
    write_target(tmp_path, "firms", FIRMS, group="a")
    second = write_target(tmp_path, "firms", FIRMS, group="b")
    problem = run(tmp_path, "validate").stderr.splitlines()[1]
    assert problem.startswith(f"{second}:1: ")


def test_validate_reports_every_broken_file(tmp_path):
    first = write_target(tmp_path, "one", target_toml(target='"abc"'))
    second = write_target(tmp_path, "two", target_toml(extra='kind = "ratio"\n'))
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    assert [line.split(": ")[0] for line in result.stderr.splitlines()] == [
        "0 targets valid, 2 with problems:", f"{first}:4", f"{second}:7"]


def test_error_lines_show_control_characters_escaped(tmp_path):
    helpers.write(tmp_path / "firms.toml", helpers.TARGET_TOML + '"bad\\u001b[2Jkey" = 1\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr


def test_validate_warns_of_entries_dated_outside_the_period(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML + "[[progress]]\ndate = 2022-07-31\nvalue = 5\n")
    result = run(tmp_path, "validate")
    assert result.exit_code == 0
    assert f"{tmp_path / 'm.toml'}:7: warning: 2022-07-31 is before the start 2023-01-01" in result.stderr


def test_bad_cadence_is_reported_with_its_line(tmp_path):
    write(tmp_path / "x.toml", TARGET_TOML + 'cadence = "fortnightly"\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert "x.toml:7: cadence 'fortnightly' is not one of weekly, monthly, quarterly, yearly" in result.stderr


@pytest.mark.parametrize("typed", ["2025-13-31", "2025-2-30", "2025-02-29"])
def test_a_date_that_is_no_calendar_day_is_named_as_such(tmp_path, typed):
    """tomllib reads due = 2025-13-31 as a number followed by more, and said `more than one key =
    value on a line` (found by a new user): the error names the date instead."""
    write(tmp_path / "typo.toml", f'title = "x"\nunit = "个"\ntarget = 10\nstart = 2025-01-01\ndue = {typed}\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert f"typo.toml:5: {typed} is not a calendar date" in result.output, result.output
