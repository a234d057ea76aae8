"""fix, remove and undo (issue 18): corrections without hand-editing. All figures are synthetic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

runner = CliRunner()

# A hand-written file with comments and odd spacing, to show the untouched parts stay byte for byte.
FILE = TARGET_TOML + """
# figures from the monthly bulletin (synthetic)
[[progress]]
date = 2023-03-31
value = 300   # Q1
note = "first quarter"

[[progress]]
date   = 2023-06-30
value = 350

# the third quarter comes next
[[progress]]
date = 2023-09-30
value = 280
"""


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


@pytest.fixture
def target(tmp_path) -> Path:
    return write(tmp_path / "plan" / "firms.toml", FILE)


def test_fix_replaces_the_entry_of_a_date_says_what_it_replaced_and_keeps_the_rest(tmp_path, target):
    result = run(tmp_path, "fix", "firms", "360", "--date", "2023-06-30", "--note", "revised (数据修订)")
    assert result.exit_code == 0, result.output
    assert "360" in result.stdout and "was 350" in result.stdout
    expected = FILE.replace("[[progress]]\ndate   = 2023-06-30\nvalue = 350\n",
                            '[[progress]]\nvalue = 360\nnote = "revised (数据修订)"\ndate = 2023-06-30\n')
    assert target.read_text(encoding="utf-8") == expected


def test_fix_keeps_the_old_note_and_reads_a_month_as_its_last_day(tmp_path, target):
    assert run(tmp_path, "fix", "firms", "310", "--date", "2023-03").exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert 'value = 310\nnote = "first quarter"\n' in text and "# Q1" not in text
    assert text.count("[[progress]]") == 3


def test_remove_takes_out_one_block_and_nothing_else(tmp_path, target):
    result = run(tmp_path, "remove", "firms", "--date", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == FILE.replace("[[progress]]\ndate   = 2023-06-30\nvalue = 350\n\n", "")


def test_fix_and_remove_of_a_missing_date_say_so_and_change_nothing(tmp_path, target):
    for args in (("fix", "firms", "1", "--date", "2023-05-31"), ("remove", "firms", "--date", "2023-05-31")):
        result = run(tmp_path, *args)
        assert result.exit_code == 2
        assert "no entry dated 2023-05-31" in result.stderr
    assert target.read_text(encoding="utf-8") == FILE


def test_undo_takes_back_add_fix_and_remove_in_turn_to_the_very_bytes(tmp_path, target):
    original = target.read_bytes()
    assert run(tmp_path, "add", "firms", "40", "--date", "2023-10-31").exit_code == 0
    assert run(tmp_path, "fix", "firms", "360", "--date", "2023-06-30").exit_code == 0
    assert run(tmp_path, "remove", "firms", "--date", "2023-03-31").exit_code == 0
    states = []
    for word in ("remove", "fix", "add"):
        result = run(tmp_path, "undo")
        assert result.exit_code == 0, result.output
        assert word in result.stdout
        states.append(target.read_bytes())
    assert states[-1] == original
    result = run(tmp_path, "undo")
    assert result.exit_code == 2 and "nothing to undo" in result.stderr
    assert (tmp_path / ".kpitrack" / "journal.json").exists()


def test_undo_refuses_when_the_file_changed_since(tmp_path, target):
    assert run(tmp_path, "add", "firms", "40", "--date", "2023-10-31").exit_code == 0
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\n[[progress]]\ndate = 2023-11-30\nvalue = 1\n")
    changed = target.read_bytes()
    result = run(tmp_path, "undo")
    assert result.exit_code == 2 and "changed since" in result.stderr
    assert target.read_bytes() == changed


def test_undo_takes_back_an_import(tmp_path, target):
    original = target.read_bytes()
    csv = write(tmp_path / "in.csv", "id,date,value\nfirms,2023-10-31,40\nfirms,2023-11-30,41\n")
    assert run(tmp_path, "import", str(csv)).exit_code == 0
    assert target.read_bytes() != original
    result = run(tmp_path, "undo")
    assert result.exit_code == 0 and "import" in result.stdout
    assert target.read_bytes() == original


@pytest.mark.replaces_open_files
def test_fix_replaces_the_file_atomically_keeping_its_mode(tmp_path, target):
    os.chmod(target, 0o640)
    inode = target.stat().st_ino
    assert run(tmp_path, "fix", "firms", "360", "--date", "2023-06-30").exit_code == 0
    assert target.stat().st_ino != inode  # a new file renamed into place, not the old one rewritten
    assert target.stat().st_mode & 0o777 == 0o640
    assert not [path for path in target.parent.iterdir() if path.name.endswith(".tmp")]


def test_fix_of_two_entries_on_one_date_is_refused_and_remove_takes_the_last(tmp_path, target):
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\n[[progress]]\ndate = 2023-09-30\nvalue = 5\n")
    result = run(tmp_path, "fix", "firms", "1", "--date", "2023-09-30")
    assert result.exit_code == 2 and "2 entries dated 2023-09-30" in result.stderr
    assert run(tmp_path, "remove", "firms", "--date", "2023-09-30").exit_code == 0
    assert target.read_text(encoding="utf-8") == FILE


def test_quiet_corrections_print_nothing(tmp_path, target):
    for args in (("add", "firms", "40", "--date", "2023-10-31"), ("fix", "firms", "41", "--date", "2023-10-31"),
                 ("remove", "firms", "--date", "2023-10-31"), ("undo",)):
        result = run(tmp_path, *args, "--quiet")
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr == ""


def test_in_a_git_repository_it_says_git_diff_shows_the_change(tmp_path, target):
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("no git")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run(tmp_path, "fix", "firms", "360", "--date", "2023-06-30")
    assert "git diff" in result.stdout


@pytest.mark.replaces_open_files
def test_a_writer_waiting_on_the_lock_of_a_replaced_file_opens_the_new_one(tmp_path, target):
    """A writer that opened the file before a fix renamed the new one in must not write to the
    unlinked old file: once it has the lock, it checks the file is still the one at the path."""
    import fcntl
    import threading
    import time

    from kpitrack.writing.lock import locked_target

    got = {}

    def writer():
        with locked_target(target, tmp_path) as locked:
            got["inode"] = os.fstat(locked.fd).st_ino

    with open(target, "r+b") as old:
        fcntl.flock(old, fcntl.LOCK_EX)
        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.3)  # the writer has opened the old file and waits on its lock
        write(tmp_path / "new.toml", FILE)
        os.replace(tmp_path / "new.toml", target)  # as a fix does, while the old file is locked
    thread.join(10)
    assert got["inode"] == target.stat().st_ino
    assert sys.platform != "win32"
