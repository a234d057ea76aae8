"""report --out destroys nothing (synthetic workspace): it writes a new file or replaces a regular
file that is not the workspace's own, never through a link, never over a device or a FIFO."""

import os
import stat

import pytest

from helpers import TARGET_TOML, write


@pytest.fixture
def workspace(make_workspace):
    return make_workspace({"kpitrack.toml": "", "p/t.toml": TARGET_TOML, "plan.toml": 'title = "synthetic"\n'})


def report(cli, root, out):
    return cli(root, "report", "--as-of", "2023-06-30", "--out", str(out))


@pytest.mark.parametrize("name", ["p/t.toml", "kpitrack.toml", "p/new.toml", ".kpitrack/journal.json"])
def test_workspace_files_are_refused(workspace, cli, name):
    path = workspace / name
    path.parent.mkdir(exist_ok=True)
    before = path.read_bytes() if path.exists() else None
    result = report(cli, workspace, path)
    assert result.exit_code == 2 and "file of the workspace" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (path.read_bytes() if path.exists() else None) == before


def test_a_symlink_is_refused_and_left_as_it_was(workspace, cli, tmp_path):
    victim = write(tmp_path / "victim.txt", "keep me")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    result = report(cli, workspace, link)
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert link.is_symlink() and victim.read_text() == "keep me"


def test_a_link_into_the_workspace_folder_is_refused(workspace, cli, tmp_path):
    (tmp_path / "into").symlink_to(workspace / "p")
    before = (workspace / "p/t.toml").read_bytes()
    assert report(cli, workspace, tmp_path / "into" / "t.toml").exit_code == 2
    assert (workspace / "p/t.toml").read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_and_a_device_are_refused(workspace, cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = report(cli, workspace, fifo)
    assert result.exit_code == 2 and "FIFO" in result.output and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if os.path.exists("/dev/null"):
        result = report(cli, workspace, "/dev/null")
        assert result.exit_code == 2 and "device" in result.output
        assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_folder_is_refused(workspace, cli, tmp_path):
    (tmp_path / "folder").mkdir()
    result = report(cli, workspace, tmp_path / "folder")
    assert result.exit_code == 2 and "folder" in result.output


def test_a_new_or_regular_file_is_written_whole_and_nothing_is_left_beside_it(workspace, cli, tmp_path):
    out = tmp_path / "out" / "report.md"
    out.parent.mkdir()
    assert report(cli, workspace, out).exit_code == 0
    first = out.read_text()
    out.write_text("old report")
    assert report(cli, workspace, out).exit_code == 0
    assert out.read_text() == first and os.listdir(out.parent) == ["report.md"]


def test_an_unwritable_folder_is_one_clear_line(workspace, cli, tmp_path, monkeypatch):
    def refused(*arguments, **options):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refused)  # a read-only folder, even for root
    result = report(cli, workspace, tmp_path / "report.md")
    monkeypatch.undo()
    assert result.exit_code == 2 and "report.md: cannot write: Permission denied" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "report.md").exists()
