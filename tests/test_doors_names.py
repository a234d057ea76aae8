"""Paths and names at the doors (synthetic workspaces): a folder name in GBK bytes, ids that clash
with kpitrack's own files or Windows' device names, names too long, encodings that are no file
encoding; every OSError and UnicodeError is one clear line, never a traceback, never after a write."""

import os
import sys

import pytest

from helpers import TARGET_TOML, progress

GBK_FOLDER = os.fsdecode(b"\xb9\xe3\xb6\xab")  # 广东 in GBK, as a zip made on Chinese Windows names it


@pytest.fixture
def gbk_workspace(make_workspace, tmp_path):
    if sys.platform in ("darwin", "win32"):
        pytest.skip("this file system takes only valid Unicode names")
    root = make_workspace({"kpitrack.toml": ""})
    folder = root / GBK_FOLDER
    folder.mkdir()
    (folder / "firms.toml").write_text(TARGET_TOML + progress("2023-03-31", 100), encoding="utf-8")
    return root


@pytest.mark.parametrize("arguments", [("add", "firms", "50", "--date", "2023-04-30"),
                                       ("fix", "firms", "120", "--date", "2023-03-31")])
def test_a_folder_name_in_gbk_bytes_is_written_journalled_and_undone(gbk_workspace, cli, arguments):
    path = gbk_workspace / GBK_FOLDER / "firms.toml"
    before = path.read_bytes()
    result = cli(gbk_workspace, *arguments)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "\\udcb9" in result.output  # the name shown escaped
    undone = cli(gbk_workspace, "undo")
    assert undone.exit_code == 0, undone.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("form", ["markdown", "html", "xlsx", "docx"])
def test_a_report_of_a_gbk_folder_is_written(gbk_workspace, cli, tmp_path, form):
    out = tmp_path / f"report.{form}"
    result = cli(gbk_workspace, "report", "--as-of", "2023-06-30", "--format", form, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


@pytest.mark.parametrize("name", ["plan", "kpitrack", "con", "nul", "aux", "prn", "com1", "com9", "lpt1", "lpt9"])
def test_ids_that_clash_with_kpitrack_or_windows_are_refused(make_workspace, cli, name):
    root = make_workspace({"kpitrack.toml": ""})
    result = cli(root, "new", name, "--title", "synthetic", "--target", "5", "--start", "2023-01-01",
                 "--due", "2023-12-31")
    assert result.exit_code == 2 and "keeps for itself" in result.output
    assert sorted(os.listdir(root)) == ["kpitrack.toml"] and (root / "kpitrack.toml").read_text() == ""
    grouped = cli(root, "new", "fine", "--group", "p/" + name, "--title", "synthetic", "--target", "5",
                  "--start", "2023-01-01", "--due", "2023-12-31")
    assert (grouped.exit_code == 0) == (name in ("plan", "kpitrack")), grouped.output  # a folder may be called plan


def test_a_250_character_id_is_one_clear_line(make_workspace, cli):
    root = make_workspace({"kpitrack.toml": ""})
    result = cli(root, "new", "a" * 250, "--title", "synthetic", "--target", "5", "--start", "2023-01-01",
                 "--due", "2023-12-31")
    assert result.exit_code == 2 and "over the limit of 100" in result.output
    assert len(result.output.strip().splitlines()) == 1 and sorted(os.listdir(root)) == ["kpitrack.toml"]


def test_a_name_too_long_for_the_file_system_is_one_clear_line(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/firms.toml": TARGET_TOML})
    result = cli(root, "report", "--as-of", "2023-06-30", "--out", str(tmp_path / ("r" * 250 + ".md")))
    assert result.exit_code == 2 and "File name too long" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ["undefined", "idna", "punycode", "rot13", "base64", "no-such"])
@pytest.mark.parametrize("command", [("status", "--format", "csv"), ("report", "--format", "csv"),
                                     ("export", "--format", "csv"), ("import", "in.csv")])
def test_encodings_that_are_no_file_encoding_are_refused(make_workspace, cli, tmp_path, encoding, command):
    root = make_workspace({"kpitrack.toml": "", "p/firms.toml": TARGET_TOML})
    (tmp_path / "in.csv").write_text("id,date,value\nfirms,2023-03-31,5\n", encoding="utf-8")
    command = tuple(str(tmp_path / part) if part == "in.csv" else part for part in command)
    before = (root / "p/firms.toml").read_bytes()
    result = cli(root, *command, "--encoding", encoding)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and encoding in result.output
    assert (root / "p/firms.toml").read_bytes() == before


def test_a_stray_oserror_is_one_line_naming_the_path(make_workspace, cli, monkeypatch):
    import kpitrack.cli.checks

    root = make_workspace({"kpitrack.toml": "", "p/firms.toml": TARGET_TOML})

    def read_only(*arguments, **options):
        raise PermissionError(13, "Permission denied", str(root / ".kpitrack"))

    monkeypatch.setattr(kpitrack.cli.checks, "load", read_only)
    result = cli(root, "report")
    assert result.exit_code == 2
    assert result.output.strip() == f"kpitrack: {root / '.kpitrack'}: Permission denied"


def test_a_read_only_workspace_is_one_clear_line(tmp_path, cli):
    """A real read-only file system (a tmpfs remounted read-only, where the tests run as root)."""
    import shutil
    import subprocess

    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root and mount to make a read-only file system")
    folder = tmp_path / "ro"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (folder / "kpitrack.toml").write_text("", encoding="utf-8")
        (folder / "firms.toml").write_text(TARGET_TOML, encoding="utf-8")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        for arguments in (("new", "abc", "--title", "synthetic", "--target", "5", "--start", "2023-01-01",
                           "--due", "2023-12-31"),
                          ("report", "--as-of", "2023-06-30", "--out", str(folder / "r.md")),
                          ("add", "firms", "5", "--date", "2023-03-31")):
            result = cli(folder, *arguments)
            assert result.exit_code == 2 and "Read-only file system" in result.output, result.output
            assert len(result.output.strip().splitlines()) == 1
        assert cli(folder, "status", "--as-of", "2023-06-30").exit_code == 0
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)
