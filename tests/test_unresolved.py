"""A file git left with conflict markers is named with its lines by every command, never fatal to
the rest (synthetic data)."""

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

CONFLICTED = TARGET_TOML.replace("target = 1200\n", "<<<<<<< ours\ntarget = 1300\n=======\n"
                                 "target = 1500\n>>>>>>> theirs\n") + """
[[progress]]
date = 2023-02-28
value = 20
<<<<<<< ours
=======

[[progress]]
date = 2023-03-31
value = 30
>>>>>>> theirs
"""


@pytest.fixture
def workspace(tmp_path):
    write(tmp_path / "kpitrack.toml", "at_risk_band = 10\n")
    write(tmp_path / "good.toml", TARGET_TOML)
    write(tmp_path / "bad.toml", CONFLICTED)
    return tmp_path


def invoke(workspace, *arguments):
    return CliRunner().invoke(app, ["--dir", str(workspace), *arguments])


MESSAGE = "unresolved merge in {}, lines 4–8, 15–21"


@pytest.mark.parametrize("command", [["validate"], ["check", "--as-of", "2023-06-30"]])
def test_validate_and_check_name_the_file_and_exit_2(workspace, command):
    result = invoke(workspace, *command)
    assert result.exit_code == 2
    assert MESSAGE.format(workspace / "bad.toml") in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["status", "--as-of", "2023-06-30"], ["status", "--format", "json"],
                                     ["report", "--as-of", "2023-06-30"]])
def test_the_other_targets_are_still_reported(workspace, command):
    result = invoke(workspace, *command)
    assert "good" in result.stdout
    assert MESSAGE.format(workspace / "bad.toml") in result.stderr


def test_show_and_add_name_the_conflict(workspace):
    for command in (["show", "bad"], ["add", "bad", "5", "--date", "2023-04-30"]):
        result = invoke(workspace, *command)
        assert result.exit_code == 2
        assert MESSAGE.format(workspace / "bad.toml") in result.stderr
    assert (workspace / "bad.toml").read_text(encoding="utf-8") == CONFLICTED  # nothing appended


def test_a_conflicted_settings_or_plan_file_is_named_too(workspace):
    write(workspace / "kpitrack.toml", "<<<<<<< ours\nat_risk_band = 10\n=======\nat_risk_band = 5\n>>>>>>> x\n")
    write(workspace / "plan" / "plan.toml", '<<<<<<< ours\ntitle = "a"\n=======\ntitle = "b"\n>>>>>>> x\n')
    result = invoke(workspace, "validate")
    assert f"unresolved merge in {workspace / 'kpitrack.toml'}, lines 1–5" in result.stderr
    assert f"unresolved merge in {workspace / 'plan' / 'plan.toml'}, lines 1–5" in result.stderr


def test_markers_inside_a_text_value_are_not_a_conflict(workspace):
    write(workspace / "bad.toml", TARGET_TOML.replace('"synthetic: new firms"', '"a <<<<<<< b"'))
    assert invoke(workspace, "validate").exit_code == 0
