"""The pre-commit hook checks what is being committed (git's index), not the working tree (issue 23).
Synthetic data."""

import subprocess

from helpers import TARGET_TOML, runner, write
from kpitrack.cli import app


def git(folder, *arguments):
    return subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True, check=True)


def test_validate_staged_checks_the_index_not_the_working_tree(tmp_path):
    repository = tmp_path / "office"
    root = repository / "targets"
    write(root / "kpitrack.toml", "")
    target = write(root / "firms.toml", TARGET_TOML)
    git(repository, "init", "-q")
    git(repository, "add", "-A")
    assert runner.invoke(app, ["--dir", str(root), "validate", "--staged"]).exit_code == 0
    target.write_text(TARGET_TOML.replace("target = 1200", 'target = "many"'))
    git(repository, "add", "-A")
    target.write_text(TARGET_TOML)  # fixed in the working tree, but the broken one is what is committed
    assert runner.invoke(app, ["--dir", str(root), "validate"]).exit_code == 0
    staged = runner.invoke(app, ["--dir", str(root), "validate", "--staged"])
    assert staged.exit_code == 2, staged.output
    assert f"{root / 'firms.toml'}:4: target must be a number" in staged.output
    assert "kpitrack-staged-" not in staged.output
