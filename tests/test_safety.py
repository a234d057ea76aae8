"""Nothing lost, nothing obeyed: crashes, concurrent writers and hostile text (issue 3)."""

import fcntl
import json
import random
import signal
import subprocess
import sys
import threading
import time
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from helpers import TARGET_TOML, write
from kpitrack.model import Entry
from kpitrack.formats.machine import to_json
from kpitrack.workspace import load_target
from kpitrack.write import entry_block


def kpitrack(workspace, *arguments):
    return [sys.executable, "-m", "kpitrack", "--dir", str(workspace), *arguments]


def recorded_values(path, workspace):
    return [entry.value for entry in load_target(path, workspace).entries]


@pytest.mark.slow
def test_sigkill_at_any_instant_leaves_every_file_whole(tmp_path):
    """Start `kpitrack add`, kill it after a random delay, hundreds of times over two targets:
    every file still parses and holds exactly the successful entries, plus at most the killed ones."""
    lanes = {name: write(tmp_path / f"{name}.toml", TARGET_TOML) for name in ("lane-a", "lane-b")}
    succeeded = {name: [] for name in lanes}
    killed = {name: [] for name in lanes}
    chance = random.Random(20231231)
    delays = {name: [chance.uniform(0, 0.3) for _ in range(110)] for name in lanes}

    def lane(name):
        for number, delay in enumerate(delays[name], start=1):
            process = subprocess.Popen(kpitrack(tmp_path, "add", name, str(number), "--date", "2023-05-01"),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            error = process.communicate()[1]
            if process.returncode == 0:
                succeeded[name].append(Decimal(number))
            else:
                assert process.returncode == -signal.SIGKILL, error.decode()
                killed[name].append(Decimal(number))

    threads = [threading.Thread(target=lane, args=(name,)) for name in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name, path in lanes.items():
        values = recorded_values(path, tmp_path)
        assert path.read_text().startswith(TARGET_TOML)
        assert len(values) == len(set(values))  # nothing twice
        assert set(succeeded[name]) <= set(values) <= set(succeeded[name]) | set(killed[name])
        assert values == sorted(values)  # in the order they were added
    assert all(succeeded.values()) and all(killed.values())  # both outcomes were exercised


@pytest.mark.slow
def test_twenty_concurrent_writers_lose_nothing(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    processes = [subprocess.Popen(kpitrack(tmp_path, "add", "firms", str(number), "--date", "2023-05-01"),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for number in range(1, 21)]
    errors = [process.communicate()[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * 20, errors
    assert sorted(recorded_values(path, tmp_path)) == [Decimal(n) for n in range(1, 21)]


@pytest.mark.slow
def test_a_writer_waits_for_the_lock_on_its_own_target_only(tmp_path):
    busy = write(tmp_path / "busy.toml", TARGET_TOML)
    free = write(tmp_path / "free.toml", TARGET_TOML)
    with open(busy, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen(kpitrack(tmp_path, "add", "busy", "1", "--date", "2023-05-01"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        other = subprocess.run(kpitrack(tmp_path, "add", "free", "2", "--date", "2023-05-01"),
                               capture_output=True, timeout=30)
        assert other.returncode == 0, other.stderr  # a different target is not blocked
        time.sleep(0.5)
        assert waiting.poll() is None  # the same target waits while the lock is held
    assert waiting.wait(timeout=30) == 0
    assert recorded_values(busy, tmp_path) == [1] and recorded_values(free, tmp_path) == [2]


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = subprocess.run(kpitrack(tmp_path, "validate"), capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "50 MiB, over the 16 MiB limit" in result.stderr


# --- round trips ---------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # anything UTF-8 can hold
values = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda value: len(value.as_tuple().digits) <= 28 and -30 < value.as_tuple().exponent < 30)


@settings(max_examples=300)
@given(st.dates(), values, st.booleans(), st.one_of(st.none(), texts), st.one_of(st.none(), texts))
def test_an_entry_written_reads_back_exactly(when, value, total, note, source):
    entry = Entry(date=when, value=value, total=total, note=note or None, source=source or None)
    table = tomllib.loads(entry_block(entry), parse_float=Decimal)["progress"][0]
    assert Decimal(table["value"]) == value
    assert (table["date"], table.get("total", False)) == (when, total)
    assert (table.get("note"), table.get("source")) == (entry.note, entry.source)


@given(texts)
def test_json_output_holds_any_text_exactly(text):
    assert json.loads(to_json({"note": text})) == {"note": text}


def test_json_shows_invisible_characters_as_escapes():
    rendered = to_json("a\u202eb\u200bc\x1b[2J")
    assert rendered == '"a\\u202eb\\u200bc\\u001b[2J"'


def test_unicode_notes_survive_the_cli_round_trip(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    note = 'he said "超额完成" \\ \n """ \'\'\' 🎉 \t end'
    result = subprocess.run(kpitrack(tmp_path, "add", "firms", "5", "--date", "2023-05-01", "--note", note),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert load_target(path, tmp_path).entries[0].note == note


def test_undecodable_bytes_from_the_terminal_are_refused(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    before = path.read_bytes()
    result = subprocess.run(kpitrack(tmp_path, "add", "firms", "5", "--date", "2023-05-01")
                            + [b"--note", b"caf\xe9"], capture_output=True, timeout=30)
    assert result.returncode == 2
    assert b"--note is not valid UTF-8" in result.stderr
    assert path.read_bytes() == before
