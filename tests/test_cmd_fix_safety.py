"""fix under crashes and concurrent writers (issue 18): the same guarantees as add. Synthetic figures."""

import random
import signal
import subprocess
import sys
import time

import pytest

from helpers import TARGET_TOML, write
from kpitrack.files.workspace import load_target

START = TARGET_TOML + "\n[[progress]]\ndate = 2023-03-31\nvalue = 100\n"


def kpitrack(workspace, *arguments):
    return [sys.executable, "-m", "kpitrack", "--dir", str(workspace), *arguments]


@pytest.mark.slow
def test_sigkill_during_fix_leaves_the_old_file_or_the_new_one(tmp_path):
    path = write(tmp_path / "firms.toml", START)
    chance = random.Random(20240630)
    started = time.monotonic()  # how long one fix takes here: the kills fall before and after its end
    subprocess.run(kpitrack(tmp_path, "fix", "firms", "100", "--date", "2023-03-31"), check=True,
                   stdout=subprocess.DEVNULL)
    window = (time.monotonic() - started) * 1.5
    outcomes = set()
    for number in range(1, 41):
        before = path.read_text(encoding="utf-8")
        process = subprocess.Popen(kpitrack(tmp_path, "fix", "firms", str(100 + number), "--date", "2023-03-31"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(chance.uniform(0, window))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        after = path.read_text(encoding="utf-8")
        assert after in (before, TARGET_TOML + f"\n[[progress]]\nvalue = {100 + number}\ndate = 2023-03-31\n")
        outcomes.add(after == before)
        load_target(path, tmp_path)  # parses
    assert outcomes == {True, False}  # both a killed and a finished fix were seen


@pytest.mark.slow
def test_adds_racing_fixes_all_land_in_the_file(tmp_path):
    path = write(tmp_path / "firms.toml", START)
    processes = []
    for number in range(1, 13):
        processes.append(subprocess.Popen(kpitrack(tmp_path, "add", "firms", "1", "--date", f"2023-04-{number:02d}"),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        processes.append(subprocess.Popen(kpitrack(tmp_path, "fix", "firms", str(100 + number), "--date",
                                                   "2023-03-31"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    errors = [process.communicate()[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * len(processes), [e for e in errors if e]
    dates = {entry.date.isoformat() for entry in load_target(path, tmp_path).entries}
    assert {f"2023-04-{number:02d}" for number in range(1, 13)} <= dates
