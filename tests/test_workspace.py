"""Finding and loading the workspace (synthetic data)."""

from __future__ import annotations
import json
import helpers
from kpitrack.cli import app
import pytest
from helpers import runner, snapshot, status_ids, one_error_line, FIRMS, write_target

pytestmark = pytest.mark.usefixtures("plain_environment")


def test_no_workspace_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_error_line(runner.invoke(app, ["status"]))
    assert "`kpitrack init`" in line
    assert snapshot(tmp_path) == {}


def test_a_missing_dir_says_how_to_make_it(tmp_path):
    missing = tmp_path / "nowhere"
    line = one_error_line(runner.invoke(app, ["--dir", str(missing), "validate"]))
    assert line == f"kpitrack: --dir {missing}: no such folder; create it with `kpitrack init {missing}`"
    assert not missing.exists()


def test_kpitrack_dir_is_honoured(tmp_path, monkeypatch):
    write_target(tmp_path / "env-ws", "from-env", FIRMS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KPITRACK_DIR", str(tmp_path / "env-ws"))
    result = runner.invoke(app, ["status", "--as-of", "2023-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)["targets"]] == ["from-env"]


def test_dir_option_beats_kpitrack_dir(tmp_path, monkeypatch):
    write_target(tmp_path / "env-ws", "from-env", FIRMS)
    write_target(tmp_path / "option-ws", "from-option", FIRMS)
    monkeypatch.setenv("KPITRACK_DIR", str(tmp_path / "env-ws"))
    assert status_ids(tmp_path / "option-ws", "--as-of", "2023-06-30") == ["from-option"]


def test_targets_folder_in_the_current_folder_is_found(tmp_path, monkeypatch):
    write_target(tmp_path / "targets", "local", FIRMS)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status", "--as-of", "2023-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)["targets"]] == ["local"]


def test_the_workspace_is_found_from_a_plan_folder_inside_it(tmp_path, monkeypatch):
    helpers.write(tmp_path / "ws" / "kpitrack.toml", "")
    helpers.write(tmp_path / "ws" / "plan" / "m.toml", helpers.TARGET_TOML)
    monkeypatch.chdir(tmp_path / "ws" / "plan")
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    result = runner.invoke(app, ["show", "m", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["group"] == "plan"
