"""Imports all or none (issue 14, cases 4 and 5): duplicates decided under the locks when two
imports run at once, and a write-ahead journal that the next command completes or rolls back
after a kill -9 at any byte. Synthetic data only."""

import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app
from kpitrack.writing.importer import apply_import, plan_import, read_import
from kpitrack.writing.writeahead import JOURNAL, recover
from kpitrack.files.workspace import load_target, load_workspace

runner = CliRunner()
NAMES = ("a-firms", "b-firms", "c-firms", "d-firms")
ROWS = [(name, f"2023-0{month}-28", str(100 * index + month)) for index, name in enumerate(NAMES, 1)
        for month in (3, 4, 5)]


def workspace_with_csv(tmp_path):
    root = tmp_path / "ws"
    for name in NAMES:
        write(root / f"{name}.toml", TARGET_TOML)
    csv_file = write(tmp_path / "in.csv", "id,date,value,note\n" + "".join(
        f"{name},{day},{value},synthetic row {name} {day}\n" for name, day, value in ROWS))
    return root, csv_file


def recorded(root):
    return {name: [str(entry.value) for entry in load_target(root / f"{name}.toml", root).entries] for name in NAMES}


def import_in_process(root, csv_file):
    workspace = load_workspace(root)
    rows, problems, encoding = read_import(csv_file)
    return apply_import(workspace, plan_import(workspace, csv_file, rows, problems, encoding))


def test_two_imports_at_once_record_each_row_once(tmp_path):
    root, csv_file = workspace_with_csv(tmp_path)
    lost, wrong = concurrent_round(root, csv_file)
    assert (lost, wrong) == (0, 0)


def concurrent_round(root, csv_file):
    """Both imports plan against the same workspace before either writes: the old race."""
    workspace = load_workspace(root)
    rows, problems, encoding = read_import(csv_file)
    plans = [plan_import(workspace, csv_file, list(rows), list(problems), encoding) for _ in range(2)]
    counts, barrier = [], threading.Barrier(2)

    def run(plan):
        barrier.wait()
        counts.append(apply_import(workspace, plan))

    threads = [threading.Thread(target=run, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    got = recorded(root)
    expected = {name: [value for row_name, _, value in ROWS if row_name == name] for name in NAMES}
    lost = sum(len(set(expected[name]) - set(got[name])) for name in NAMES)
    wrong = sum(len(got[name]) - len(set(got[name])) for name in NAMES) + (sorted(counts) != [0, len(ROWS)])
    return lost, wrong


@pytest.mark.slow
def test_hundreds_of_concurrent_imports_record_each_row_once(tmp_path):
    lost = wrong = 0
    for number in range(120):
        root, csv_file = workspace_with_csv(tmp_path / str(number))
        counts = concurrent_round(root, csv_file)
        lost, wrong = lost + counts[0], wrong + counts[1]
    print(f"120 pairs of concurrent imports: {lost} lost, {wrong} wrong")
    assert (lost, wrong) == (0, 0)


# A kpitrack import that dies (os._exit, as kill -9 would) after writing `limit` bytes to the targets.
DIE_AFTER = """
import os, sys
from kpitrack.cli import main
real, left = os.write, [int(sys.argv.pop(1))]
def write(fd, data):
    if os.readlink(f"/proc/self/fd/{fd}").endswith("-firms.toml"):
        if left[0] <= 0:
            os._exit(9)
        count = real(fd, bytes(data[:left[0]]))
        left[0] -= count
        return count
    return real(fd, data)
os.write = write
main()
"""


def all_or_none(root):
    got = recorded(root)
    expected = {name: [value for row_name, _, value in ROWS if row_name == name] for name in NAMES}
    complete = [got[name] == expected[name] for name in NAMES]
    empty = [got[name] == [] for name in NAMES]
    return all(complete) or all(empty)


def killed_import(tmp_path, limit):
    root, csv_file = workspace_with_csv(tmp_path)
    subprocess.run([sys.executable, "-c", DIE_AFTER, str(limit), "--dir", str(root), "import", str(csv_file)],
                   capture_output=True, timeout=60)
    return root


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="the byte-exact kill needs /proc")
def test_a_kill_mid_import_is_completed_by_the_next_command(tmp_path):
    root = killed_import(tmp_path, 250)  # the first file whole, the second torn
    assert (root / ".kpitrack" / JOURNAL).exists()
    result = runner.invoke(app, ["--dir", str(root), "validate"])
    assert result.exit_code == 0, result.output
    assert "was interrupted; completed it" in result.stderr and "in.csv" in result.stderr
    assert all_or_none(root) and recorded(root)["d-firms"] != []
    assert not (root / ".kpitrack" / JOURNAL).exists()


def test_an_interrupted_import_is_rolled_back_when_a_file_changed_since(tmp_path):
    root = killed_import(tmp_path, 250)
    journal = json.loads((root / ".kpitrack" / JOURNAL).read_text())
    last = root / journal["files"][-1]["path"]
    last.write_text(last.read_text() + "# edited by hand meanwhile\n")
    message = recover(root)
    assert "rolled it back" in str(message)  # a Sentence, worded where it is shown
    assert all(values == [] for values in recorded(root).values())


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="the byte-exact kill needs /proc")
def test_kills_at_every_byte_of_an_import_lose_and_falsify_nothing(tmp_path):
    chance = random.Random(14)
    limits = list(range(0, 700, 7)) + [chance.randrange(0, 800) for _ in range(20)]
    lost = wrong = 0
    for number, limit in enumerate(limits):
        root = killed_import(tmp_path / str(number), limit)
        recover(root)
        try:
            ok = all_or_none(root)
        except Exception:
            ok = False
        wrong += not ok
        lost += not (root / ".kpitrack" / JOURNAL).exists() and not ok
    print(f"{len(limits)} imports killed at a byte: {lost} lost, {wrong} wrong")
    assert len(limits) >= 100 and (lost, wrong) == (0, 0)


@pytest.mark.slow
def test_real_kill_9_during_imports(tmp_path):
    chance = random.Random(99)
    wrong = 0
    for number in range(100):
        root, csv_file = workspace_with_csv(tmp_path / str(number))
        process = subprocess.Popen([sys.executable, "-m", "kpitrack", "--dir", str(root), "import", str(csv_file)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.1, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        recover(root)
        wrong += not all_or_none(root)
    print(f"100 imports killed by SIGKILL: 0 lost, {wrong} wrong")
    assert wrong == 0
