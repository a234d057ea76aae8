"""The pre-commit hook, run by the pre-commit package itself (slow: it installs kpitrack into a
fresh environment from the package index). Synthetic data."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import TARGET_TOML

ROOT = Path(__file__).parents[1]


def run(folder, *arguments, environment=None):
    return subprocess.run(list(arguments), cwd=folder, capture_output=True, text=True, env=environment)


@pytest.mark.slow
def test_pre_commit_try_repo_refuses_a_broken_target_and_accepts_a_good_one(tmp_path):
    pre_commit = shutil.which("pre-commit")
    assert pre_commit, "pip install -e '.[test]' installs pre-commit"
    environment = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    repository = tmp_path / "office"
    (repository / "targets").mkdir(parents=True)
    for arguments in (["git", "init", "-q"], ["git", "config", "user.name", "Synthetic Tester"],
                      ["git", "config", "user.email", "tester@example.org"]):
        assert run(repository, *arguments).returncode == 0
    target = repository / "targets" / "firms.toml"

    target.write_text(TARGET_TOML, encoding="utf-8")
    run(repository, "git", "add", "-A")
    good = run(repository, pre_commit, "try-repo", str(ROOT), "kpitrack-validate", environment=environment)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "kpitrack validate" in good.stdout and "Passed" in good.stdout

    target.write_text(TARGET_TOML.replace("target = 1200", 'target = "many"'), encoding="utf-8")
    run(repository, "git", "add", "-A")
    broken = run(repository, pre_commit, "try-repo", str(ROOT), "kpitrack-validate", environment=environment)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "firms.toml:4: target must be a number" in broken.stdout
