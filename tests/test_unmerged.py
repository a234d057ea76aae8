"""A merge driver that failed (not found, killed) leaves the file unmerged in git's index, maybe without
conflict markers: `validate` and `check` refuse while `git ls-files -u` lists a workspace file,
naming it and saying how to finish the merge (issue 23). Synthetic data."""

import subprocess

from helpers import TARGET_TOML, runner, write
from kpitrack.cli import app


def git(folder, *arguments):
    return subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True)


def failed_merge(tmp_path):
    repository = tmp_path / "office"
    root = repository / "targets"
    write(root / "kpitrack.toml", "")
    write(root / "firms.toml", TARGET_TOML)
    write(repository / ".gitattributes", "*.toml merge=kpitrack\n")
    for arguments in (["init", "-q", "-b", "main"], ["config", "user.name", "Synthetic Tester"],
                      ["config", "user.email", "tester@example.org"],
                      ["config", "merge.kpitrack.driver", "no-such-program-kpitrack %O %A %B %P"],
                      ["add", "-A"], ["commit", "-qm", "start"], ["checkout", "-qb", "other"]):
        assert git(repository, *arguments).returncode == 0, arguments
    (root / "firms.toml").write_text(TARGET_TOML + "\n[[progress]]\nvalue = 7\ndate = 2023-03-01\n")
    git(repository, "commit", "-qam", "theirs")
    git(repository, "checkout", "-q", "main")
    (root / "firms.toml").write_text(TARGET_TOML + "\n[[progress]]\nvalue = 5\ndate = 2023-02-01\n")
    git(repository, "commit", "-qam", "ours")
    assert git(repository, "merge", "-q", "other").returncode != 0
    assert "<<<<<<<" not in (root / "firms.toml").read_text()  # git kept ours, without markers
    return root


def test_validate_and_check_refuse_while_a_file_is_unmerged(tmp_path):
    root = failed_merge(tmp_path)
    for command in (["validate"], ["check", "--as-of", "2023-06-30"]):
        result = runner.invoke(app, ["--dir", str(root), *command])
        assert result.exit_code == 2, result.output
        assert "firms.toml" in result.output and "unmerged" in result.output and "git add" in result.output
    subprocess.run(["git", "add", "targets/firms.toml"], cwd=root.parent, check=True)
    assert runner.invoke(app, ["--dir", str(root), "validate"]).exit_code == 0
