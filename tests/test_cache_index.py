"""The cache as an index: a warm status looks up one state per target and reads no entry, a cold one
lets the entries it parsed go once their rows are written; the answers are those of a fresh parse;
rows replaced by another process meanwhile are noticed."""

import sqlite3
import tracemalloc
from datetime import date, timedelta

import pytest
from pathlib import Path

import kpitrack.files.cache
import kpitrack.files.schema
import kpitrack.files.stored
import kpitrack.files.workspace
from helpers import run, write
from kpitrack.reports.report import evaluate
from kpitrack.domain.timeline import entry_days, latest_entries, state_at
from kpitrack.files.workspace import load_workspace

HEAD = 'title = "synthetic {number}"\nunit = "u"\ntarget = {target}\nstart = 2023-01-01\ndue = 2023-12-31\n'


def block(day, value, total=False):
    return f"\n[[progress]]\ndate = {day}\nvalue = {value}\n" + ("total = true\n" if total else "")


@pytest.fixture
def workspace(tmp_path):
    """Synthetic targets: increments, a running total, a reading, a milestone and one with no entries."""
    root = tmp_path / "ws"
    write(root / "kpitrack.toml", "")
    days = [date(2023, 1, 1) + timedelta(days=9 * step) for step in range(30)]
    write(root / "plan" / "a.toml", HEAD.format(number=1, target=100) + "".join(
        block(day, step % 7 + 1) for step, day in enumerate(days)))
    write(root / "plan" / "b.toml", HEAD.format(number=2, target=50) + block(days[3], 10) + block(days[9], 40, True)
          + block(days[9], 5) + block(days[20], 60, True))
    write(root / "plan" / "c.toml", HEAD.format(number=3, target=80) + 'kind = "level"\nbaseline = 20\n'
          + block(days[2], 30) + block(days[12], 70) + block(days[25], 85))
    write(root / "plan" / "d.toml", 'title = "synthetic 4"\nkind = "milestone"\nstart = 2023-01-01\n'
          f'due = 2023-12-31\n\n[[progress]]\ndate = {days[15]}\ndone = true\n')
    write(root / "plan" / "e.toml", HEAD.format(number=5, target=10))
    return root


TARGET_ROWS = "SELECT count(*) FROM files WHERE target LIKE '{\"Target\"%'"  # not kpitrack.toml's


def answers(root, cache, as_of):
    return [(target.id, figures) for target, figures in evaluate(load_workspace(root, cache), as_of)]


AS_OF = [date(2022, 12, 31), date(2023, 1, 1), date(2023, 3, 15), date(2023, 6, 30), date(2023, 12, 31),
         date(2024, 3, 1)]


def test_the_index_answers_as_a_fresh_parse_does_on_every_day(workspace, tmp_path):
    cache = tmp_path / "cache"
    kpitrack.files.cache._connections.clear()
    for as_of in AS_OF:
        assert answers(workspace, cache, as_of) == answers(workspace, None, as_of), as_of


def test_a_warm_status_reads_no_entry(workspace, tmp_path):
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, cache)
    evaluate(loaded, date(2023, 6, 30))
    stored = [target.entries for target in loaded.targets]
    assert all(isinstance(entries, kpitrack.files.stored.StoredEntries) for entries in stored)
    assert all(entries._entries is None for entries in stored)  # the states came from the index alone
    assert [len(entries) for entries in stored] == [30, 4, 3, 1, 0]
    assert stored[1][3].value == 60 and stored[1]._entries is not None  # read when asked for


def test_the_same_rows_serve_a_workspace_however_it_is_named(workspace, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    monkeypatch.chdir(workspace.parent)
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace.relative_to(workspace.parent), cache)
    assert all(isinstance(target.entries, kpitrack.files.stored.StoredEntries) for target in loaded.targets)
    assert str(loaded.targets[0].path) == "ws/plan/a.toml"  # messages name the file as it was given
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (6,)  # and kpitrack.toml's


def test_rows_replaced_meanwhile_are_read_from_the_file_again(workspace, tmp_path):
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, cache)
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as other:  # another process, in between
        other.execute("DELETE FROM days")
        other.execute("DELETE FROM files")
    expected = answers(workspace, None, date(2023, 6, 30))
    assert [(target.id, figures) for target, figures in evaluate(loaded, date(2023, 6, 30))] == expected
    assert loaded.targets[0].entries[0].value == 1


def test_a_file_changed_meanwhile_is_read_as_it_is_now(workspace, tmp_path):
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, cache)  # its entries are not kept yet: read from the file when asked for
    path = workspace / "plan" / "a.toml"
    path.write_text(path.read_text() + block("2023-12-30", 1))  # cron adds a figure meanwhile
    assert len(list(loaded.targets[0].entries)) == 31  # no failure half-way through an export


@pytest.mark.parametrize("entries", [True, False])  # False: nothing written, so the parsed entries kept
def test_a_busy_cache_is_given_up_for_the_run_not_waited_for_each_file(workspace, tmp_path, entries):
    cache = tmp_path / "cache"
    expected = answers(workspace, None, date(2023, 6, 30))
    kpitrack.files.cache._open(cache)
    kpitrack.files.cache._connections.clear()
    holder = sqlite3.connect(cache / kpitrack.files.cache.DATABASE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        attempts = []
        connection = kpitrack.files.cache._open(cache)
        connection.set_trace_callback(lambda statement: attempts.append(statement) if "BEGIN" in statement else None)
        loaded = load_workspace(workspace, cache, entries)
        assert figures(loaded, date(2023, 6, 30)) == expected and not loaded.problems
        assert all(type(target.entries) is tuple for target in loaded.targets)
        assert len(attempts) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        kpitrack.files.stored.unwritable.clear()


def test_a_workspace_is_written_in_one_transaction(workspace, tmp_path):
    cache = tmp_path / "cache"
    kpitrack.files.cache._open(cache)
    commits = []
    kpitrack.files.cache._connections[cache].set_trace_callback(
        lambda statement: commits.append(statement) if statement == "COMMIT" else None)
    load_workspace(workspace, cache)
    assert commits == ["COMMIT"]
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (6,)  # and kpitrack.toml's
        chunks = [kpitrack.files.stored.states_of(row[0]) for row in connection.execute("SELECT states FROM days")]
    assert sum(map(len, chunks)) == 30 + 3 + 3 + 1  # a state for each day with entries


def test_the_latest_entries_come_from_the_rows_as_from_a_parse(tmp_path):
    root = tmp_path / "ws"
    write(root / "kpitrack.toml", "")
    shuffled = ["2023-03-01", "2023-01-05", "2023-03-01", "2023-02-01", "2023-01-05", "2023-04-01", "2023-02-01"]
    write(root / "a.toml", HEAD.format(number=1, target=100) + "".join(
        block(day, number + 1) for number, day in enumerate(shuffled)))
    cache = tmp_path / "cache"
    parsed = load_workspace(root, None).targets[0]
    load_workspace(root, cache)
    list(load_workspace(root, cache).targets[0].entries)  # kept the first time they are read
    kpitrack.files.cache._connections.clear()
    for count in range(len(shuffled) + 2):
        stored = load_workspace(root, cache).targets[0]
        assert latest_entries(stored, count) == latest_entries(parsed, count), count
        assert stored.entries._entries is None  # made from their rows alone
    assert [entry.value for entry in latest_entries(parsed, 3)[0]] == [1, 3, 6]  # file order within a day


def test_a_timeline_longer_than_a_row_is_looked_up_on_every_day(tmp_path):
    root = tmp_path / "ws"
    write(root / "kpitrack.toml", "")
    days = [date(2023, 1, 1) + timedelta(days=step * 2) for step in range(kpitrack.files.stored.CHUNK * 2 + 7)]
    write(root / "a.toml", HEAD.format(number=1, target=500) + "".join(
        block(day, 3, total=step % 9 == 0) for step, day in enumerate(days)))
    cache = tmp_path / "cache"
    parsed = load_workspace(root, None).targets[0]
    load_workspace(root, cache)
    kpitrack.files.cache._connections.clear()
    stored = load_workspace(root, cache).targets[0]
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        assert connection.execute("SELECT count(*) FROM days").fetchone() == (3,)
    for offset in range(-1, (days[-1] - days[0]).days + 2):
        day = days[0] + timedelta(days=offset)
        assert state_at(stored, day) == state_at(parsed, day), day
        assert entry_days(stored, day) == entry_days(parsed, day), day
    assert stored.entries._entries is None


def test_entries_are_kept_the_first_time_a_command_reads_them(workspace, tmp_path, monkeypatch):

    cache = tmp_path / "cache"
    load_workspace(workspace, cache)  # a status: the index, no entries
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        assert connection.execute(TARGET_ROWS + " AND entries IS NULL").fetchone() == (5,)
    first = [list(target.entries) for target in load_workspace(workspace, cache).targets]  # parsed, then kept
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        assert connection.execute(TARGET_ROWS + " AND entries IS NULL").fetchone() == (0,)
    monkeypatch.setattr(kpitrack.files.schema, "target_from_document", lambda *args: pytest.fail("parsed again"))
    kpitrack.files.cache._connections.clear()
    assert [list(target.entries) for target in load_workspace(workspace, cache).targets] == first


def test_a_busy_cache_is_read_without_and_never_taken_for_damaged(workspace, tmp_path, capsys):
    cache = tmp_path / "cache"
    expected = answers(workspace, cache, date(2023, 6, 30))
    kpitrack.files.cache._connections.clear()
    holder = sqlite3.connect(cache / kpitrack.files.cache.DATABASE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another kpitrack, writing its rows
    try:
        assert answers(workspace, cache, date(2023, 6, 30)) == expected
        assert "damaged" not in capsys.readouterr().err
    finally:
        holder.execute("COMMIT")  # its database is still there, and whole
        holder.close()
        kpitrack.files.stored.unwritable.clear()
    assert (cache / kpitrack.files.cache.DATABASE).exists()


def test_a_workspace_whose_path_is_not_utf8(tmp_path):
    import os

    root = Path(os.fsdecode(os.fsencode(tmp_path) + b"/ws\xff"))
    write(root / "a.toml", HEAD.format(number=1, target=100) + block("2023-02-01", 5))
    cache = tmp_path / "cache"
    assert answers(root, cache, date(2023, 6, 30)) == answers(root, None, date(2023, 6, 30))
    kpitrack.files.cache._connections.clear()
    warm = load_workspace(root, cache)
    assert isinstance(warm.targets[0].entries, kpitrack.files.stored.StoredEntries)


@pytest.mark.parametrize("damage", [
    "UPDATE days SET states = 'garbage'",
    "UPDATE days SET states = '[[1, 2]]'",
    "UPDATE files SET entries = '[[\"2023-01-01\"]]'",
    "UPDATE files SET entries = 'garbage'",
    "UPDATE files SET latest = 'garbage'",
    "DELETE FROM days WHERE day = (SELECT min(day) FROM days WHERE day > (SELECT min(day) FROM days))",
])
def test_damaged_rows_are_read_from_the_file_again(tmp_path, damage):
    root = tmp_path / "ws"
    days = [date(2023, 1, 1) + timedelta(days=step) for step in range(kpitrack.files.stored.CHUNK * 3)]
    write(root / "a.toml", HEAD.format(number=1, target=10000) + "".join(block(day, 7) for day in days))
    cache = tmp_path / "cache"
    load_workspace(root, cache)
    list(load_workspace(root, cache).targets[0].entries)  # the entries kept too
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        connection.execute(damage)
    kpitrack.files.cache._connections.clear()
    parsed, stored = load_workspace(root, None).targets[0], load_workspace(root, cache).targets[0]
    for day in (days[10], days[CHUNK_SECOND], days[-1], date(2024, 1, 1)):
        assert state_at(stored, day) == state_at(parsed, day), day
        assert entry_days(stored, day) == entry_days(parsed, day), day
    for count in (3, kpitrack.files.stored.LATEST + 1):  # from the row of the latest, and from all
        assert latest_entries(stored, count) == latest_entries(parsed, count)
    assert list(stored.entries) == list(parsed.entries)


CHUNK_SECOND = kpitrack.files.stored.CHUNK + 5  # a day in the second row of a timeline


def test_the_rows_of_a_file_gone_are_deleted(workspace, tmp_path):
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    (workspace / "plan" / "e.toml").unlink()
    (workspace / "plan" / "a.toml").rename(workspace / "plan" / "a2.toml")
    load_workspace(workspace, cache)
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        places = sorted(row[0].split("\0")[1] for row in connection.execute("SELECT place FROM files"))
        files = {row[0] for row in connection.execute("SELECT id FROM files")}
        assert {row[0] for row in connection.execute("SELECT file FROM days")} <= files
    assert places == ["kpitrack.toml", "plan/a2.toml", "plan/b.toml", "plan/c.toml", "plan/d.toml"]


def test_a_target_given_another_baseline_after_reading_is_not_answered_from_the_index(workspace, tmp_path):
    from dataclasses import replace
    from decimal import Decimal

    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    kpitrack.files.cache._connections.clear()
    stored, parsed = load_workspace(workspace, cache).targets[0], load_workspace(workspace, None).targets[0]
    for baseline in (Decimal("0.0"), Decimal(5)):  # equal to the file's 0, or not: either is written its own way
        day = date(2023, 6, 30)
        assert str(state_at(replace(stored, baseline=baseline), day).figure) == str(
            state_at(replace(parsed, baseline=baseline), day).figure)


def test_the_code_hash_covers_every_module_that_reads_or_computes_a_target():
    """Modules live in packages by layer: the hash must follow them into the sub-folders, or a
    cache row written by old code survives an edit to compute or the schema."""
    import sys

    import kpitrack.domain.verdicts  # noqa: F401
    import kpitrack.files.workspace  # noqa: F401
    from kpitrack.files.cache import code_modules

    package = Path(kpitrack.files.cache.__file__).parents[1]
    hashed = {path.resolve() for path in code_modules(package)}
    needed = {Path(module.__file__).resolve() for name, module in list(sys.modules.items())
              if name.startswith(("kpitrack.domain.", "kpitrack.files.", "kpitrack.words."))}
    assert len(needed) > 10 and needed <= hashed, needed - hashed


def test_a_status_looks_its_day_up_for_every_target_in_one_query(workspace, tmp_path):
    """The first target asks for its row alone, the second for everyone's (stored.DayRows)."""
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, cache)
    statements = []
    kpitrack.files.cache._connections[cache].set_trace_callback(
        lambda statement: statements.append(statement) if "FROM days" in statement else None)
    assert [(target.id, figures) for target, figures in evaluate(loaded, date(2023, 6, 30))] == answers(
        workspace, None, date(2023, 6, 30))
    assert len(statements) == 2


def test_a_timeline_row_is_written_as_json_would_write_it():
    from decimal import Decimal
    import json
    from kpitrack.domain.model import ReadingQualifier
    from kpitrack.domain.timeline import DayState

    states = [DayState(date(2023, 1, 1) + timedelta(days=step), Decimal(step * 37 - 900) / 8,
                       [None, *ReadingQualifier][step % 4], step % 3 == 0,
                       [None, Decimal("-3.25"), Decimal("1E+3")][step % 3], [None, date(2023, 2, 2)][step % 2])
              for step in range(150)]
    rows = kpitrack.files.stored.timeline_chunks(states)
    encoded = [[state.day.isoformat(), str(state.figure), state.wording and state.wording.value, state.estimate,
                None if state.change is None else str(state.change), state.met_since and state.met_since.isoformat()]
               for state in states]
    size = kpitrack.files.stored.CHUNK
    assert rows == [(encoded[start][0], json.dumps(encoded[start:start + size])[1:-1].replace("], [", "]\n["),
                     encoded[start + size][0] if start + size < len(encoded) else None)
                    for start in range(0, len(encoded), size)]


def figures(loaded, as_of):
    return [(target.id, figures) for target, figures in evaluate(loaded, as_of)]


def test_a_cold_load_for_figures_keeps_no_entry_and_answers_as_a_parse(workspace, tmp_path, monkeypatch):
    expected = {as_of: answers(workspace, None, as_of) for as_of in AS_OF}
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, tmp_path / "cache", entries=False)
    monkeypatch.setattr(kpitrack.files.schema, "target_from_document", lambda *args: pytest.fail("parsed again"))
    for as_of in AS_OF:
        assert figures(loaded, as_of) == expected[as_of], as_of
    stored = [target.entries for target in loaded.targets]
    assert all(isinstance(entries, kpitrack.files.stored.StoredEntries) and entries._entries is None for entries in stored)
    assert [len(entries) for entries in stored] == [30, 4, 3, 1, 0]


def test_a_cold_load_with_entries_keeps_those_it_parsed(workspace, tmp_path, monkeypatch):
    """validate and export read every entry: not parsed a second time."""
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, tmp_path / "cache")
    monkeypatch.setattr(kpitrack.files.schema, "target_from_document", lambda *args: pytest.fail("parsed again"))
    assert all(type(target.entries) is tuple for target in loaded.targets)
    assert [len(list(target.entries)) for target in loaded.targets] == [30, 4, 3, 1, 0]


def test_a_cold_load_for_figures_holds_far_less_memory(tmp_path):
    root, cache = tmp_path / "ws", tmp_path / "cache"
    days = [date(2023, 1, 1) + timedelta(days=step) for step in range(1000)]
    for number in range(20):
        write(root / f"t{number}.toml", HEAD.format(number=number, target=10000) + "".join(
            block(day, f"{step}.5") + f'note = "entry {step}"\n' for step, day in enumerate(days)))

    def held(entries: bool) -> int:
        kpitrack.files.cache._connections.clear()
        tracemalloc.start()
        try:
            loaded = load_workspace(root, cache / str(entries), entries)  # each cold
            assert len(figures(loaded, date(2023, 6, 30))) == 20
            return tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()

    lean, full = held(False), held(True)
    assert lean * 4 < full, (lean, full)  # the lean one holds a target's definition and fasttoml's lines


def test_rows_gone_after_a_cold_load_are_read_from_the_file_again(workspace, tmp_path):
    cache = tmp_path / "cache"
    expected = answers(workspace, None, date(2023, 6, 30))
    kpitrack.files.cache._connections.clear()
    loaded = load_workspace(workspace, cache, entries=False)
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as other:  # another process, in between
        other.execute("DELETE FROM days")
        other.execute("DELETE FROM files")
    assert figures(loaded, date(2023, 6, 30)) == expected
    assert [len(list(target.entries)) for target in loaded.targets] == [30, 4, 3, 1, 0]


@pytest.mark.parametrize("command, entries", [
    (("status",), False), (("status", "--format", "json"), False), (("check", "--fail-on", "behind"), False),
    (("plans",), False), (("export",), True), (("validate",), True), (("show", "a"), True)])
def test_the_commands_that_print_figures_only_let_the_entries_go(workspace, monkeypatch, command, entries):
    asked = []
    loading = kpitrack.files.workspace.load_workspace
    monkeypatch.setattr(kpitrack.files.workspace, "load_workspace",
                        lambda *args: asked.append(args[2:]) or loading(*args))
    result = run(workspace, *command)
    assert result.exit_code in (0, 1), result.output
    assert asked == [(entries,)]
