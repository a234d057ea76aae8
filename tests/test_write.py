"""Writing: locked appends and atomic replaces keep every byte, survive kills and concurrent writers."""

import fcntl
import os
import random
import signal
import subprocess
import threading
import time
import tomllib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from helpers import HAND_WRITTEN_FIRMS, MILESTONE_FIELDS, TARGET_TOML, any_text, examples, kpitrack_command, write
from kpitrack.domain.errors import KpitrackError
from kpitrack.domain.model import Entry, Target
from kpitrack.files.workspace import load_target
from kpitrack.writing.write import append_entry, create_target, entry_block


def test_append_keeps_every_existing_byte_and_adds_one_block(tmp_path):
    path = write(tmp_path / "firms.toml", HAND_WRITTEN_FIRMS)
    before = path.read_bytes()
    entry = Entry(date(2023, 6, 30), Decimal("340.5"), note='say "hi" \\ 你好\n"""', source="bulletin")
    append_entry(path, tmp_path, entry)
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == entry_block(entry)
    reread = load_target(path, tmp_path).entries[-1]
    assert (reread.date, reread.value, reread.note, reread.source) == (entry.date, entry.value, entry.note, entry.source)


def test_append_to_a_file_without_a_final_newline_starts_a_new_line(tmp_path):
    path = write(tmp_path / "firms.toml", HAND_WRITTEN_FIRMS.rstrip("\n"))
    append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert [e.value for e in load_target(path, tmp_path).entries] == [310, 1]


def test_append_refuses_a_torn_file_and_leaves_it_alone(tmp_path):
    torn = HAND_WRITTEN_FIRMS + "\n[[progress]]\ndate = 2023-06-30\nvalue = 3"  # value cut mid-number is still valid...
    torn = torn[:-9]  # ...so cut inside the key instead: "[[progress]]\ndate = 2023-06-30\n"
    path = write(tmp_path / "firms.toml", torn)
    with pytest.raises(KpitrackError, match="progress entry has no value"):
        append_entry(path, tmp_path, Entry(date(2023, 7, 1), Decimal(1)))
    assert path.read_text() == torn


def test_append_refuses_an_entry_that_does_not_fit_the_kind(tmp_path):
    path = write(tmp_path / "bridge.toml", 'title = "bridge"\nkind = "milestone"\nstart = 2024-01-01\n'
                                           'due = 2024-12-31\n')
    before = path.read_bytes()
    with pytest.raises(KpitrackError, match="milestone entry"):
        append_entry(path, tmp_path, Entry(date(2024, 5, 1), Decimal(1)))
    assert path.read_bytes() == before
    append_entry(path, tmp_path, Entry(date(2024, 5, 1), done=True))
    assert load_target(path, tmp_path).entries[0].done is True


def test_append_restores_the_file_when_the_disk_write_fails(tmp_path, monkeypatch):
    path = write(tmp_path / "firms.toml", HAND_WRITTEN_FIRMS)
    before = path.read_bytes()
    real_fsync = os.fsync
    calls = []

    def failing_fsync(descriptor):
        calls.append(descriptor)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(KpitrackError, match="No space left on device.*unchanged"):
        append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert path.read_bytes() == before


def test_create_target_writes_a_file_that_reads_back_the_same(tmp_path):
    fields = dict(title="保障性住房 \"超5000套\"", start=date(2024, 1, 1), due=date(2024, 12, 31),
                  target=Decimal("5000"), unit="套", tags=["housing"], stretch=True, owner="罗湖区", source="report")
    path = create_target(tmp_path, "housing", "luohu-2024", fields)
    assert path == tmp_path / "luohu-2024" / "housing.toml"
    reread = load_target(path, tmp_path)
    assert reread == Target(id="housing", group="luohu-2024", path=path, **{**fields, "tags": ("housing",)})
    with pytest.raises(KpitrackError, match="already used"):
        create_target(tmp_path, "housing", "luohu-2024", fields)


@pytest.mark.parametrize("group", ["../up", "/abs", "a/../b", "Caps"])
def test_create_target_refuses_groups_outside_the_workspace(tmp_path, group):
    with pytest.raises(KpitrackError, match="group"):
        create_target(tmp_path, "x", group, MILESTONE_FIELDS)
    assert list(tmp_path.rglob("*")) == []


def test_whole_numbers_are_written_as_toml_integers_and_decimals_as_typed(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal("185000")))
    append_entry(path, tmp_path, Entry(date(2023, 7, 1), Decimal("18.50")))
    text = path.read_text()
    assert "value = 185000\n" in text and "value = 18.50\n" in text


def test_append_that_does_not_read_back_is_undone(tmp_path, monkeypatch):
    import kpitrack.writing.write as write_module

    path = write(tmp_path / "firms.toml", HAND_WRITTEN_FIRMS)
    before = path.read_bytes()
    monkeypatch.setattr(write_module, "entry_block", lambda entry: "\n[[progress]]\ndate = 2023-06-30\nvalue = 999\n")
    with pytest.raises(KpitrackError, match="does not read back"):
        append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert path.read_bytes() == before


def test_append_reads_only_the_definition_and_the_last_entry_of_a_long_file(tmp_path, monkeypatch):
    import kpitrack.writing.write as store

    blocks = "".join(f"\n[[progress]]\ndate = 2023-03-{day % 28 + 1:02d}\nvalue = {day}\n" for day in range(2000))
    path = write(tmp_path / "firms.toml", TARGET_TOML + blocks)
    parsed = []
    real = store.toml_document

    def spy(text):
        parsed.append(len(text))
        return real(text)

    monkeypatch.setattr(store, "toml_document", spy)
    append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert parsed and max(parsed) < 200  # the head, the last block and the new block: never the whole file
    torn = path.read_text() + "\n[[progress]]\ndate = 2023-07-01\n"
    path.write_text(torn)
    with pytest.raises(KpitrackError, match=r"firms.toml:\d+: progress entry has no value"):
        append_entry(path, tmp_path, Entry(date(2023, 7, 2), Decimal(1)))
    assert path.read_text() == torn


def test_numbers_in_files_are_written_without_exponents(tmp_path):
    for text in ("target = 1e3", "target = 1e-60"):
        path = write(tmp_path / "x.toml", TARGET_TOML.replace("target = 1200", text))
        with pytest.raises(KpitrackError, match="exponent|decimal places"):
            load_target(path, tmp_path)


def test_add_checks_the_definition_and_the_last_entry_and_validate_checks_the_rest(tmp_path):
    middle = TARGET_TOML + '\n[[progress]]\ndate = 2023-03-01\nvalue = "oops"\n\n[[progress]]\ndate = 2023-04-01\nvalue = 2\n'
    path = write(tmp_path / "firms.toml", middle)
    append_entry(path, tmp_path, Entry(date(2023, 5, 1), Decimal(3)))  # documented: the middle is not read
    with pytest.raises(KpitrackError, match=r"firms.toml:10: value must be a number"):
        load_target(path, tmp_path)


def test_new_group_through_a_link_out_of_the_workspace_is_refused(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "ws" / "evil").symlink_to(tmp_path / "outside")
    with pytest.raises(KpitrackError, match="outside the workspace"):
        create_target(tmp_path / "ws", "x", "evil", MILESTONE_FIELDS)
    assert list((tmp_path / "outside").iterdir()) == []


def recorded_values(path, workspace):
    return [entry.value for entry in load_target(path, workspace).entries]


values = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda value: len(value.as_tuple().digits) <= 28 and -30 < value.as_tuple().exponent < 30)


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
            process = subprocess.Popen(kpitrack_command(tmp_path, "add", name, str(number), "--date", "2023-05-01"),
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
    processes = [subprocess.Popen(kpitrack_command(tmp_path, "add", "firms", str(number), "--date", "2023-05-01"),
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
        waiting = subprocess.Popen(kpitrack_command(tmp_path, "add", "busy", "1", "--date", "2023-05-01"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        other = subprocess.run(kpitrack_command(tmp_path, "add", "free", "2", "--date", "2023-05-01"),
                               capture_output=True, timeout=30)
        assert other.returncode == 0, other.stderr  # a different target is not blocked
        time.sleep(0.5)
        assert waiting.poll() is None  # the same target waits while the lock is held
    assert waiting.wait(timeout=30) == 0
    assert recorded_values(busy, tmp_path) == [1] and recorded_values(free, tmp_path) == [2]


@settings(max_examples=examples(300))
@given(st.dates(), values, st.booleans(), st.one_of(st.none(), any_text()), st.one_of(st.none(), any_text()))
def test_an_entry_written_reads_back_exactly(when, value, total, note, source):
    entry = Entry(date=when, value=value, total=total, note=note or None, source=source or None)
    table = tomllib.loads(entry_block(entry), parse_float=Decimal)["progress"][0]
    assert Decimal(table["value"]) == value
    assert (table["date"], table.get("total", False)) == (when, total)
    assert (table.get("note"), table.get("source")) == (entry.note, entry.source)
