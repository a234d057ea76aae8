"""Windows for real, played on any system by tests/windows.py: each behaviour that broke kpitrack
there, and the write, lock, cache and command tests run under the whole layer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from windows import as_on_windows

from helpers import TARGET_TOML, progress

ROOT = Path(__file__).parents[1]


@pytest.fixture
def workspace(make_workspace):
    return make_workspace({"kpitrack.toml": "", "plan/firms.toml": TARGET_TOML + progress("2023-03-31", 100)})


@pytest.mark.parametrize("arguments", [
    ("status", "--as-of", "2023-06-30"),  # the cache (os.getuid)
    ("add", "firms", "50", "--date", "2023-04-30"),  # set_blocking on a regular file, folder fsync
    ("fix", "firms", "120", "--date", "2023-03-31"),  # replacing the file it holds open
    ("remove", "firms", "--date", "2023-03-31"),
    ("new", "second", "--title", "synthetic", "--target", "5", "--start", "2023-01-01", "--due", "2023-12-31"),
    ("report", "--as-of", "2023-06-30", "--out", "REPORT"),
])
def test_commands_work_as_on_windows(workspace, cli, monkeypatch, tmp_path, arguments):
    arguments = tuple(str(tmp_path / "report.md") if part == "REPORT" else part for part in arguments)
    as_on_windows(monkeypatch)
    result = cli(workspace, *arguments)
    assert result.exit_code == 0, result.output
    assert not list(workspace.rglob(".*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    if arguments[0] == "fix":
        assert "value = 120" in (workspace / "plan/firms.toml").read_text(encoding="utf-8")
    if arguments[0] == "remove":
        assert "2023-03-31" not in (workspace / "plan/firms.toml").read_text(encoding="utf-8")


def test_init_works_as_on_windows(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kpitrack.cli import app

    as_on_windows(monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output


def test_undo_of_a_fix_works_as_on_windows(workspace, cli, monkeypatch):
    as_on_windows(monkeypatch)
    before = (workspace / "plan/firms.toml").read_bytes()
    assert cli(workspace, "fix", "firms", "120", "--date", "2023-03-31").exit_code == 0
    result = cli(workspace, "undo")
    assert result.exit_code == 0, result.output
    assert (workspace / "plan/firms.toml").read_bytes() == before


@pytest.mark.slow
def test_the_write_lock_cache_and_command_tests_pass_under_the_layer():
    files = ["tests/test_write.py", "tests/test_lock.py", "tests/test_cache.py", "tests/test_cache_index.py",
             *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").glob("test_cmd_*.py"))]
    environment = {**os.environ, "KPITRACK_TEST_WINDOWS": "1"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                             "-p", "no:xdist", *files], cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
