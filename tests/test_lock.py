"""Locks (issue 14, cases 2, 9 and 12): the inode check after taking the lock, who holds a lock and
--wait, and locking through msvcrt on Windows, with nothing POSIX-only imported unconditionally."""

import ast
import os
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import TARGET_TOML, write
from kpitrack.writing.lock import locked_target
from kpitrack.domain.model import Entry
from kpitrack.files.workspace import load_target
from kpitrack.writing.write import append_entry

SOURCE = Path(__file__).parent.parent / "src" / "kpitrack"


def editor_saves(path, comment):
    """What editors do: write the whole file anew beside it, rename it over the original."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_bytes(path.read_bytes() + comment.encode())
    os.replace(temporary, path)


def add_while_an_editor_saves(tmp_path, path, number):
    """An add waits for the lock; meanwhile an editor replaces the file; then the lock is freed."""
    errors = []
    with locked_target(path, tmp_path):
        adder = threading.Thread(target=lambda: errors.extend(
            _try(lambda: append_entry(path, tmp_path, Entry(date(2023, 5, 1), Decimal(number))))))
        adder.start()
        time.sleep(0.02)  # the add has opened the file and waits for its lock
        editor_saves(path, f"# saved by an editor, round {number}\n")
    adder.join(timeout=30)
    return errors


def _try(action):
    try:
        action()
        return []
    except Exception as error:  # reported as a loss below
        return [error]


def count_losses(tmp_path, rounds):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    lost = wrong = 0
    for number in range(1, rounds + 1):
        errors = add_while_an_editor_saves(tmp_path, path, number)
        values = [entry.value for entry in load_target(path, tmp_path).entries]
        lost += number not in values or bool(errors)
        wrong += len(values) != len(set(values)) or any(value > number for value in values)
    return lost, wrong, path


@pytest.mark.replaces_open_files
def test_an_add_that_waited_writes_to_the_file_the_editor_saved(tmp_path):
    lost, wrong, path = count_losses(tmp_path, 3)
    assert (lost, wrong) == (0, 0)
    assert path.read_text().count("# saved by an editor") == 3


@pytest.mark.slow
def test_editor_renames_during_hundreds_of_adds_lose_nothing(tmp_path):
    lost, wrong, _ = count_losses(tmp_path, 150)
    print(f"150 adds against an editor: {lost} lost, {wrong} wrong")
    assert (lost, wrong) == (0, 0)


def kpitrack(workspace, *arguments):
    return [sys.executable, "-m", "kpitrack", "--dir", str(workspace), *arguments]


@pytest.mark.slow
def test_a_held_lock_is_announced_with_its_holder_and_wait_gives_up(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    before = path.read_bytes()
    with locked_target(path, tmp_path):
        began = time.monotonic()
        result = subprocess.run(kpitrack(tmp_path, "add", "firms", "5", "--date", "2023-05-01", "--wait", "1.5"),
                                capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - began
    assert result.returncode == 2, result.stderr
    first, last = result.stderr.splitlines()
    assert f"is locked by pid {os.getpid()}" in first and "since" in first and "waiting for it" in first
    assert last.endswith("gave up after 1.5 s; nothing was written")
    assert 1.5 <= waited < 20
    assert path.read_bytes() == before


@pytest.mark.slow
def test_without_wait_an_add_waits_until_the_lock_is_free(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    holder = locked_target(path, tmp_path)
    holder.__enter__()
    adding = subprocess.Popen(kpitrack(tmp_path, "add", "firms", "5", "--date", "2023-05-01"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    announced = adding.stderr.readline()  # it says so after a second, and keeps waiting
    assert "waiting for it" in announced and adding.poll() is None
    holder.__exit__(None, None, None)
    out, err = adding.communicate(timeout=60)
    assert adding.returncode == 0, err
    assert [entry.value for entry in load_target(path, tmp_path).entries] == [5]


@pytest.mark.slow
def test_a_pipe_named_like_a_target_is_refused_not_waited_on(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "firms.toml")
    result = subprocess.run(kpitrack(tmp_path, "add", "firms", "5", "--date", "2023-05-01"),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "no target 'firms'" in result.stderr  # the walk takes regular files only
    from kpitrack.domain.errors import KpitrackError
    with pytest.raises(KpitrackError, match="not a regular file"):  # nor does the lock open anything else
        with locked_target(tmp_path / "firms.toml", tmp_path):
            pass
    status = subprocess.run(kpitrack(tmp_path, "status"), capture_output=True, text=True, timeout=30)
    assert status.returncode == 2 and "firms.toml: not a regular file (a folder, pipe or device), so no target: rename or remove it" in status.stderr


def test_nothing_posix_only_is_imported_unconditionally():
    """fcntl, resource, pwd, grp, termios: only inside a function or a platform test, never at the
    top of a module (kpitrack must start on Windows)."""
    posix_only = {"fcntl", "resource", "pwd", "grp", "termios", "msvcrt"}
    found = []
    for module in SOURCE.rglob("*.py"):
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{module.name}: {name}" for name in names if name and name.split(".")[0] in posix_only]
    assert found == []


def test_locking_goes_through_msvcrt_on_windows(tmp_path, monkeypatch):
    """On Windows the lock is msvcrt.locking (as portalocker takes it without pywin32), on one byte
    past the end of every target so that readers are never refused; a second holder is refused,
    and a reader can read the file while it is locked (tests/windows.py's fake msvcrt)."""
    from windows import as_on_windows

    from kpitrack.domain.errors import KpitrackError
    from kpitrack.writing.lock import LOCK_BYTE, Waiting

    calls = []
    as_on_windows(monkeypatch, calls)
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    with locked_target(path, tmp_path):
        assert path.read_text(encoding="utf-8") == TARGET_TOML  # the file's own bytes are not locked
        with pytest.raises(KpitrackError, match="gave up after 0.2 s"):
            with locked_target(path, tmp_path, Waiting(0.2)):
                pass
    import msvcrt
    assert calls and {(offset, size) for _, offset, size in calls} == {(LOCK_BYTE, 1)}
    assert {mode for mode, _, _ in calls} == {msvcrt.LK_NBLCK, msvcrt.LK_UNLCK}
    with locked_target(path, tmp_path, Waiting(0.2)):  # released: taken again at once
        pass


@pytest.mark.replaces_open_files
def test_a_file_replaced_under_the_lock_sends_waiting_writers_to_the_new_file(tmp_path):
    """The API corrections build on: locked_target + replace_locked (write.py)."""
    from kpitrack.writing.write import replace_locked

    path = write(tmp_path / "firms.toml", TARGET_TOML + "\n[[progress]]\nvalue = 7\ndate = 2023-03-01\n")
    errors = []
    with locked_target(path, tmp_path) as locked:
        adder = threading.Thread(target=lambda: errors.extend(
            _try(lambda: append_entry(path, tmp_path, Entry(date(2023, 5, 1), Decimal(5))))))
        adder.start()
        time.sleep(0.02)
        replace_locked(locked, locked.read().replace(b"value = 7", b"value = 8"))
    adder.join(timeout=30)
    assert errors == []
    assert [entry.value for entry in load_target(path, tmp_path).entries] == [8, 5]
    assert not list(tmp_path.glob(".*.tmp"))
