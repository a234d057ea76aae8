"""Finding and loading the workspace (synthetic data)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import helpers
from helpers import (FIRMS, MILESTONE_FIELDS, TARGET_TOML, kpitrack_command, one_error_line, runner,
    snapshot, status_ids, write, write_target)
from kpitrack.cli import app
from kpitrack.domain.errors import KpitrackError, NoWorkspace
from kpitrack.domain.model import Kind
from kpitrack.writing.starter import init_workspace
from kpitrack.files.workspace import find_root, find_target_file, load_settings, load_target, load_workspace
from kpitrack.writing.write import create_target

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


def test_load_target_reads_exact_decimals_and_entries(tmp_path):
    path = write(tmp_path / "plan" / "firms.toml", TARGET_TOML + """
[[checkpoint]]
date = 2023-06-30
value = 500.5

[[progress]]
date = 2023-03-31
value = 310.10
note = "Q1"

[[progress]]
date = 2023-06-30
value = 650
total = true
""")
    target = load_target(path, tmp_path)
    assert (target.id, target.group, target.target, target.kind) == ("firms", "plan", Decimal(1200), Kind.CUMULATIVE)
    assert target.checkpoints[0].value == Decimal("500.5")
    assert [(e.date, e.value, e.total, e.line) for e in target.entries] == [
        (date(2023, 3, 31), Decimal("310.10"), False, 12), (date(2023, 6, 30), Decimal(650), True, 17)]


@pytest.mark.parametrize("text, line, message", [
    (TARGET_TOML + "titel = 'x'\n", 7, "unknown key 'titel'; did you mean 'title'?"),
    (TARGET_TOML.replace("target = 1200", 'target = "abc"'), 4, "target must be a number, not 'abc'"),
    (TARGET_TOML.replace("due = 2023-12-31", "due = 2022-12-31"), 6, "due 2022-12-31 is before start 2023-01-01"),
    (TARGET_TOML + 'kind = "sometimes"\n', 7, "kind 'sometimes' is not one of: cumulative, level, milestone"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalu = 3\n", 9, "unknown key 'valu'; did you mean 'value'?"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\n", 7, "progress entry has no value"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalue = nan\n", 9, "value must be a finite number"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05T10:00:00\nvalue = 3\n", 8, "date must be a date"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalue = 3\ndone = true\n", 7, "`done` is only for milestones"),
    (TARGET_TOML + 'kind = "level"\n[[progress]]\ndate = 2023-01-05\nvalue = 3\ntotal = true\n', 8,
     "`total` is only for cumulative targets"),
    (TARGET_TOML + 'kind = "milestone"\n', 4, "a milestone has no 'target'"),
    (TARGET_TOML.replace("target = 1200", "target = 0"), 4, "target equals baseline"),
    (TARGET_TOML.replace("target = 1200", "target = -5"), 4, 'set direction = "decrease"'),
    (TARGET_TOML + "[[checkpoint]]\ndate = 2024-01-05\nvalue = 3\n", 7, "outside the period"),
    (TARGET_TOML + "[[checkpoint]]\ndate = 2023-05-05\nvalue = 3000\n", 7, "must lie between"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalue = 3\n[[progress]]\ndate = 2023-0", 11, "invalid TOML"),
    (TARGET_TOML.replace("title =", "title"), 2, "invalid TOML: Expected '=' after a key"),
    (TARGET_TOML.replace('title = "synthetic: new firms"\n', ""), 1, "missing key 'title'"),
    (TARGET_TOML + "tags = 'x'\n", 7, "tags must be a list of text"),
    (TARGET_TOML.replace("target = 1200", "target = 1234567890123456789012345678.9"), 4, "more than 28 significant"),
])
def test_load_target_reports_each_problem_with_its_line(tmp_path, text, line, message):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(KpitrackError) as caught:
        load_target(path, tmp_path)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_toml_syntax_errors_carry_the_column(tmp_path):
    path = write(tmp_path / "bad.toml", TARGET_TOML.replace("title =", "title"))
    with pytest.raises(KpitrackError) as caught:
        load_target(path, tmp_path)
    assert (caught.value.line, caught.value.column) == (2, 7)


def test_non_utf8_file_is_reported_not_crashed_on(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(TARGET_TOML.replace("synthetic", "新增企业").encode("gbk"))
    with pytest.raises(KpitrackError, match="not UTF-8"):
        load_target(path, tmp_path)


def test_file_names_must_be_ids(tmp_path):
    path = write(tmp_path / "Bad Name.toml", TARGET_TOML)
    with pytest.raises(KpitrackError, match="not a valid id"):
        load_target(path, tmp_path)


def test_workspace_lists_broken_files_and_keeps_the_good_ones(tmp_path):
    write(tmp_path / "a" / "good.toml", TARGET_TOML)
    write(tmp_path / "b" / "good.toml", TARGET_TOML)  # the same id in another folder
    write(tmp_path / "broken.toml", "title = ")
    workspace = load_workspace(tmp_path)
    assert [t.id for t in workspace.targets] == ["good"]
    assert len(workspace.problems) == 2
    assert "already used by" in str(workspace.problems[1])


def test_settings_file_and_plan_files_are_not_targets(tmp_path):
    write(tmp_path / "kpitrack.toml", "at_risk_band = 5\n")
    write(tmp_path / "x" / "plan.toml", "title = 'a plan'\n")
    write(tmp_path / "x" / "kpitrack.toml", TARGET_TOML)  # only the root's is the settings file
    workspace = load_workspace(tmp_path)
    assert (workspace.settings.yellow, workspace.settings.red) == (0, 5)  # the old name, read as red
    assert [t.id for t in workspace.targets] == ["kpitrack"]


@pytest.mark.parametrize("text, message", [("at_risk_bnd = 5\n", "did you mean 'at_risk_band'"),
                                           ("at_risk_band = 0\n", "above 0"),
                                           ("at_risk_band = 'x'\n", "must be a number")])
def test_bad_settings_are_reported(tmp_path, text, message):
    write(tmp_path / "kpitrack.toml", text)
    with pytest.raises(KpitrackError, match=message):
        load_settings(tmp_path)


def test_find_root_prefers_dir_then_environment_then_targets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "targets").mkdir()
    (tmp_path / "other").mkdir()
    assert find_root("other", {"KPITRACK_DIR": "targets"}) == Path("other")
    assert find_root(None, {"KPITRACK_DIR": "other"}) == Path("other")
    assert find_root(None, {}) == Path("targets")
    with pytest.raises(KpitrackError, match="no such folder"):
        find_root("missing", {})


def test_find_root_without_a_workspace_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoWorkspace):
        find_root(None, {})
    write(tmp_path / "kpitrack.toml", "")
    assert find_root(None, {}) == Path(".")


def test_find_target_file_suggests_a_close_id(tmp_path):
    write(tmp_path / "plan" / "new-firms.toml", TARGET_TOML)
    assert find_target_file(tmp_path, "new-firms") == tmp_path / "plan" / "new-firms.toml"
    with pytest.raises(KpitrackError, match="did you mean 'new-firms'"):
        find_target_file(tmp_path, "new-firm")


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "A", "a b", "/etc/passwd", "a\\b", "x\0", ""])
def test_ids_that_could_escape_the_workspace_are_refused(tmp_path, bad_id):
    with pytest.raises(KpitrackError, match="not a valid id"):
        find_target_file(tmp_path, bad_id)


def test_a_target_linked_from_outside_the_workspace_is_refused(tmp_path):
    outside = write(tmp_path / "outside" / "secret.toml", TARGET_TOML)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "secret.toml").symlink_to(outside)
    with pytest.raises(KpitrackError, match="outside the workspace"):
        find_target_file(workspace, "secret")
    assert "outside the workspace" in str(load_workspace(workspace).problems[0])


def test_folders_that_are_files_are_one_clear_error(tmp_path):
    write(tmp_path / "ws" / "plan", "a file, not a folder")
    with pytest.raises(KpitrackError, match="cannot make the folder"):
        create_target(tmp_path / "ws", "x", "plan", MILESTONE_FIELDS)
    with pytest.raises(KpitrackError, match="cannot make the folder"):
        init_workspace(tmp_path / "ws" / "plan", 2026)


def test_the_state_folder_is_made_once_and_ignored_by_git(tmp_path):
    from kpitrack.files.workspace import load_workspace
    from kpitrack.files.state import state_folder

    folder = state_folder(tmp_path)
    assert folder == tmp_path / ".kpitrack" and folder.is_dir()
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    write(folder / "junk.toml", "not a target")  # nothing inside it is ever read as a target
    assert load_workspace(tmp_path).problems == []
    assert state_folder(tmp_path) == folder


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = subprocess.run(kpitrack_command(tmp_path, "validate"), capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "50 MiB, over the 16 MiB limit" in result.stderr
