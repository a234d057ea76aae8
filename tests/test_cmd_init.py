"""`kpitrack init` (synthetic data)."""

from __future__ import annotations

from datetime import date

import pytest

from helpers import one_error_line, read_toml, run, runner, snapshot, target_toml, write_target
from kpitrack.cli import app
from kpitrack.domain.errors import KpitrackError
from kpitrack.writing.starter import init_workspace
from kpitrack.files.workspace import load_workspace

pytestmark = pytest.mark.usefixtures("plain_environment")


def test_init_makes_settings_and_an_example_that_validate_accepts(tmp_path):
    folder = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    schemas = [folder / ".schema" / f"{kind}.schema.json" for kind in ("target", "settings", "plan")]
    assert result.stdout == "".join(f"wrote {path}\n" for path in
                                    (*schemas, folder / "kpitrack.toml", folder / "example.toml"))
    assert sorted(snapshot(folder)) == sorted([path.relative_to(folder).as_posix() for path in schemas]
                                              + ["example.toml", "kpitrack.toml"])
    assert read_toml(folder / "kpitrack.toml") == {"yellow": 5, "red": 15, "schedule": "monthly", "cadence": "monthly",
                                                   "stale_grace_days": 45, "close_after_days": 120}
    example = read_toml(folder / "example.toml")
    assert (example["target"], example["start"]) == (1200, date(date.today().year, 1, 1))
    checked = run(folder, "validate")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == f"1 target in {folder}: all valid\n"


def test_init_without_a_folder_makes_targets_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert [name for name in sorted(snapshot(tmp_path)) if "/.schema/" not in name] == [
        "targets/example.toml", "targets/kpitrack.toml"]
    found = runner.invoke(app, ["validate"])  # ./targets is found without --dir
    assert found.exit_code == 0, found.output


def test_init_again_refuses_and_overwrites_nothing(tmp_path):
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    (folder / "example.toml").write_text("# edited by hand\n" + target_toml(), encoding="utf-8")
    before = snapshot(tmp_path)
    line = one_error_line(runner.invoke(app, ["init", str(folder)]))
    assert line == f"kpitrack: {folder} is already a kpitrack workspace (kpitrack.toml exists)"
    assert snapshot(tmp_path) == before


def test_init_keeps_an_existing_example_file(tmp_path):
    folder = tmp_path / "ws"
    write_target(folder, "example", "# mine, synthetic\n" + target_toml())
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"wrote {folder / 'kpitrack.toml'}"
    assert "example.toml" not in result.stdout
    assert (folder / "example.toml").read_text(encoding="utf-8") == "# mine, synthetic\n" + target_toml()


def test_init_makes_a_valid_workspace_and_never_overwrites(tmp_path):
    folder = tmp_path / "targets"
    written = init_workspace(folder, 2026)
    assert sorted(p.name for p in written) == ["example.toml", "kpitrack.toml", "plan.schema.json",
                                               "settings.schema.json", "target.schema.json"]
    workspace = load_workspace(folder)
    assert (workspace.problems, [t.id for t in workspace.targets]) == ([], ["example"])
    before = (folder / "example.toml").read_bytes()
    with pytest.raises(KpitrackError, match="already a kpitrack workspace"):
        init_workspace(folder, 2027)
    assert (folder / "example.toml").read_bytes() == before
