"""Hostile files and names (issue 14, cases 7, 8, 10 and 11): escapes in printed paths, nesting,
non-regular files, huge text, huge figures, far dates, bounded walks, plain notation, stray .tmp
files. Every broken file is one message with exit 2, and the other targets are still reported."""

import os
import time
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app
from kpitrack.words.display import visible
from kpitrack.domain.model import Entry
from kpitrack.writing.write import entry_block

runner = CliRunner()


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


@pytest.mark.parametrize("character", ["\u3164", "\u115f", "\ufe0f", "\u200b", "\u00a0", "\x1b", "\u2800"])
def test_invisible_characters_are_escaped(character):
    assert character not in visible(f"a{character}b") and "\\" in visible(f"a{character}b")


def test_chinese_text_and_its_ideographic_space_are_kept():
    assert visible("保障性住房\u3000（2023）") == "保障性住房\u3000（2023）"


def test_add_escapes_the_folder_name_it_prints(tmp_path):
    folder = "plan\x1b]52;c;ZXZpbA==\x07\u3164"  # OSC 52 writes the clipboard; U+3164 looks like nothing
    write(tmp_path / folder / "firms.toml", TARGET_TOML)
    result = run(tmp_path, "add", "firms", "5", "--date", "2023-05-01")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u3164" not in result.stdout
    assert "plan\\x1b]52;c;ZXZpbA==\\x07\\u3164" in result.stdout


def test_deep_nesting_is_one_message_and_the_rest_is_reported(tmp_path):
    write(tmp_path / "good.toml", TARGET_TOML)
    write(tmp_path / "deep.toml", TARGET_TOML + "x = " + "[" * 500 + "]" * 500 + "\n")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 2 and "good" in result.stdout
    assert "deep.toml: arrays or tables nested too deep" in result.stderr and "Traceback" not in result.output


def test_a_huge_title_is_refused_quickly(tmp_path):
    write(tmp_path / "good.toml", TARGET_TOML)
    write(tmp_path / "long.toml", TARGET_TOML.replace('"synthetic: new firms"', '"' + "x" * 20000 + '"'))
    began = time.monotonic()
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert time.monotonic() - began < 10
    assert result.exit_code == 2 and "title is 20,000 characters long, over the limit of 2,000" in result.stderr


def test_a_forty_digit_figure_is_refused_not_a_traceback(tmp_path):
    write(tmp_path / "firms.toml", TARGET_TOML)
    result = run(tmp_path, "add", "firms", "9" * 32 + "亿", "--date", "2023-05-01")
    assert result.exit_code == 2 and "more than 28 significant digits" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_year_9999_is_refused_with_its_limit(tmp_path):
    write(tmp_path / "good.toml", TARGET_TOML)
    write(tmp_path / "far.toml", TARGET_TOML.replace("due = 2023-12-31", "due = 9999-12-31\ncadence = \"monthly\""))
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 2 and "good" in result.stdout
    assert "far.toml:6: due 9999-12-31 is past 2999-12-31" in result.stderr


def test_a_folder_named_like_a_target_is_neither_target_nor_group(tmp_path):
    write(tmp_path / "good.toml", TARGET_TOML)
    write(tmp_path / "t2.toml" / "inner.toml", TARGET_TOML)
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 2 and "inner" not in result.stdout
    assert "t2.toml: not a regular file (a folder, pipe or device), so no target: rename or remove it" in result.stderr


def test_the_file_system_root_and_the_home_folder_are_refused():
    for folder in ("/", os.path.expanduser("~")):
        result = runner.invoke(app, ["--dir", folder, "status"])
        assert result.exit_code == 2 and "not a workspace" in result.stderr


def test_a_walk_past_its_bound_fails_fast(tmp_path, monkeypatch):
    import kpitrack.files.walk as walk

    monkeypatch.setattr(walk, "MAX_ENTRIES", 50)
    for number in range(60):
        write(tmp_path / f"t{number}.toml", TARGET_TOML)
    result = run(tmp_path, "status")
    assert result.exit_code == 2 and "over 50 files and folders below it" in result.stderr


def test_figures_are_written_in_plain_notation():
    block = entry_block(Entry(date(2023, 5, 1), Decimal("1E-20")))
    assert "value = 0.00000000000000000001\n" in block and "E" not in block


def test_stray_tmp_files_are_ignored_and_never_block_init(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    for name in ("kpitrack.toml", "example.toml"):  # what an interrupted init may leave, for any pid
        (folder / f".{name}.{os.getpid()}.tmp").write_text("half")
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert run(folder, "validate").exit_code == 0


def test_sums_of_28_digit_figures_are_exact(tmp_path):
    from kpitrack.domain.compute import current_figure
    from kpitrack.files.workspace import load_target

    big = "9" * 28
    path = write(tmp_path / "firms.toml", TARGET_TOML.replace("target = 1200", f"target = {big}")
                 + f"\n[[progress]]\ndate = 2023-03-31\nvalue = {big}\n\n[[progress]]\ndate = 2023-04-30\nvalue = {big}\n")
    assert current_figure(load_target(path, tmp_path), date(2023, 6, 30)) == Decimal("1" + "9" * 27 + "8")


def test_add_never_reads_a_200_mb_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "firms.toml"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    reads = []
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, count: reads.append(count) or real(fd, count))
    result = run(tmp_path, "add", "firms", "5", "--date", "2023-05-01")
    monkeypatch.undo()
    assert result.exit_code == 2 and "200 MiB, over the 16 MiB limit" in result.stderr
    assert not reads or max(reads) < 1024 * 1024


def test_a_gbk_console_gets_escapes_not_a_traceback(tmp_path):
    import subprocess
    import sys

    write(tmp_path / "firms.toml", TARGET_TOML.replace("synthetic: new firms", "synthetic 🏭 firms ✓"))
    result = subprocess.run([sys.executable, "-m", "kpitrack", "--dir", str(tmp_path), "show", "firms",
                             "--as-of", "2023-06-30"], capture_output=True, timeout=60,
                            env={**os.environ, "PYTHONIOENCODING": "gbk"})
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    assert b"Traceback" not in result.stderr and "synthetic" in result.stdout.decode("gbk")


def test_a_file_system_mounted_inside_the_workspace_is_not_walked(tmp_path, monkeypatch):
    import kpitrack.files.workspace as workspace

    write(tmp_path / "good.toml", TARGET_TOML)
    write(tmp_path / "mnt" / "other.toml", TARGET_TOML)
    real = os.stat

    class Elsewhere:
        def __init__(self, status):
            self.status = status

        def __getattr__(self, name):
            return self.status.st_dev + 1 if name == "st_dev" else getattr(self.status, name)

    monkeypatch.setattr(workspace.os, "stat", lambda path, *a, **k: Elsewhere(real(path, *a, **k))
                        if os.path.basename(str(path)) == "mnt" else real(path, *a, **k))
    assert [path.name for path in workspace.target_files(tmp_path)] == ["good.toml"]


def test_stale_tmp_files_of_killed_writers_are_cleaned_and_no_others(tmp_path):
    """A writer killed between writing its temporary file and renaming it leaves `.NAME.PID.HEX.tmp`;
    the next write in that folder deletes ours that are old and whose process is gone, and nothing else."""
    write(tmp_path / "firms.toml", TARGET_TOML)
    old = time.time() - 2 * 86400
    stale = [tmp_path / ".firms.toml.999999999.0123abcd.tmp", tmp_path / ".kpitrack.toml.999999998.tmp"]
    kept = [tmp_path / ".firms.toml.999999997.0123abcd.tmp",  # young: its writer may still be at work
            tmp_path / f".firms.toml.{os.getpid()}.0123abcd.tmp",  # old, but its process runs
            tmp_path / ".notes.tmp", tmp_path / "draft.999999999.tmp"]  # not ours
    for path in stale + kept:
        path.write_text("half")
        if path != kept[0]:
            os.utime(path, (old, old))
    os.symlink(tmp_path / "firms.toml", tmp_path / ".link.toml.999999996.0123abcd.tmp")
    os.utime(tmp_path / ".link.toml.999999996.0123abcd.tmp", (old, old), follow_symlinks=False)
    assert run(tmp_path, "add", "firms", "5", "--date", "2023-05-01").exit_code == 0
    assert [path.exists() for path in stale] == [False, False]
    assert all(path.exists() for path in kept) and (tmp_path / ".link.toml.999999996.0123abcd.tmp").is_symlink()
