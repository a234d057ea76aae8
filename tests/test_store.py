import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import TARGET_TOML, write
from kpitrack.errors import KpitrackError, NoWorkspace
from kpitrack.model import Entry, Kind, Target
from kpitrack.workspace import cache_folder
from kpitrack.workspace import find_root, find_target_file, load_settings, load_target, load_workspace
from kpitrack.starter import init_workspace
from kpitrack.write import append_entry, create_target, render_entry


def test_load_target_reads_exact_decimals_and_entries(tmp_path):
    path = write(tmp_path / "plan" / "firms.toml", TARGET_TOML + """
[[checkpoint]]
date = 2023-06-30
value = 500.5

[[progress]]
date = 2023-03-31
value = 310.10
note = "Q1"

[[progress]]
date = 2023-06-30
value = 650
total = true
""")
    target = load_target(path, tmp_path)
    assert (target.id, target.group, target.target, target.kind) == ("firms", "plan", Decimal(1200), Kind.CUMULATIVE)
    assert target.checkpoints[0].value == Decimal("500.5")
    assert [(e.date, e.value, e.total, e.line) for e in target.entries] == [
        (date(2023, 3, 31), Decimal("310.10"), False, 12), (date(2023, 6, 30), Decimal(650), True, 17)]


@pytest.mark.parametrize("text, line, message", [
    (TARGET_TOML + "titel = 'x'\n", 7, "unknown key 'titel'; did you mean 'title'?"),
    (TARGET_TOML.replace("target = 1200", 'target = "abc"'), 4, "target must be a number, not 'abc'"),
    (TARGET_TOML.replace("due = 2023-12-31", "due = 2022-12-31"), 6, "due 2022-12-31 is before start 2023-01-01"),
    (TARGET_TOML + 'kind = "sometimes"\n', 7, "kind 'sometimes' is not one of: cumulative, level, milestone"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalu = 3\n", 9, "unknown key 'valu'; did you mean 'value'?"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\n", 7, "progress entry has no value"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalue = nan\n", 9, "value must be a finite number"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05T10:00:00\nvalue = 3\n", 8, "date must be a date"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalue = 3\ndone = true\n", 7, "`done` is only for milestones"),
    (TARGET_TOML + 'kind = "level"\n[[progress]]\ndate = 2023-01-05\nvalue = 3\ntotal = true\n', 8,
     "`total` is only for cumulative targets"),
    (TARGET_TOML + 'kind = "milestone"\n', 4, "a milestone has no 'target'"),
    (TARGET_TOML.replace("target = 1200", "target = 0"), 4, "target equals baseline"),
    (TARGET_TOML.replace("target = 1200", "target = -5"), 4, 'set direction = "decrease"'),
    (TARGET_TOML + "[[checkpoint]]\ndate = 2024-01-05\nvalue = 3\n", 7, "outside the period"),
    (TARGET_TOML + "[[checkpoint]]\ndate = 2023-05-05\nvalue = 3000\n", 7, "must lie between"),
    (TARGET_TOML + "[[progress]]\ndate = 2023-01-05\nvalue = 3\n[[progress]]\ndate = 2023-0", 11, "invalid TOML"),
    (TARGET_TOML.replace("title =", "title"), 2, "invalid TOML: Expected '=' after a key"),
    (TARGET_TOML.replace('title = "synthetic: new firms"\n', ""), 1, "missing key 'title'"),
    (TARGET_TOML + "tags = 'x'\n", 7, "tags must be a list of text"),
    (TARGET_TOML.replace("target = 1200", "target = 1234567890123456789012345678.9"), 4, "more than 28 significant"),
])
def test_load_target_reports_each_problem_with_its_line(tmp_path, text, line, message):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(KpitrackError) as caught:
        load_target(path, tmp_path)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_toml_syntax_errors_carry_the_column(tmp_path):
    path = write(tmp_path / "bad.toml", TARGET_TOML.replace("title =", "title"))
    with pytest.raises(KpitrackError) as caught:
        load_target(path, tmp_path)
    assert (caught.value.line, caught.value.column) == (2, 7)


def test_non_utf8_file_is_reported_not_crashed_on(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(TARGET_TOML.replace("synthetic", "新增企业").encode("gbk"))
    with pytest.raises(KpitrackError, match="not UTF-8"):
        load_target(path, tmp_path)


def test_file_names_must_be_ids(tmp_path):
    path = write(tmp_path / "Bad Name.toml", TARGET_TOML)
    with pytest.raises(KpitrackError, match="not a valid id"):
        load_target(path, tmp_path)


def test_workspace_lists_broken_files_and_keeps_the_good_ones(tmp_path):
    write(tmp_path / "a" / "good.toml", TARGET_TOML)
    write(tmp_path / "b" / "good.toml", TARGET_TOML)  # the same id in another folder
    write(tmp_path / "broken.toml", "title = ")
    workspace = load_workspace(tmp_path)
    assert [t.id for t in workspace.targets] == ["good"]
    assert len(workspace.problems) == 2
    assert "already used by" in str(workspace.problems[1])


def test_settings_file_and_plan_files_are_not_targets(tmp_path):
    write(tmp_path / "kpitrack.toml", "at_risk_band = 5\n")
    write(tmp_path / "x" / "plan.toml", "title = 'a plan'\n")
    write(tmp_path / "x" / "kpitrack.toml", TARGET_TOML)  # only the root's is the settings file
    workspace = load_workspace(tmp_path)
    assert (workspace.settings.yellow, workspace.settings.red) == (0, 5)  # the old name, read as red
    assert [t.id for t in workspace.targets] == ["kpitrack"]


@pytest.mark.parametrize("text, message", [("at_risk_bnd = 5\n", "did you mean 'at_risk_band'"),
                                           ("at_risk_band = 0\n", "above 0"),
                                           ("at_risk_band = 'x'\n", "must be a number")])
def test_bad_settings_are_reported(tmp_path, text, message):
    write(tmp_path / "kpitrack.toml", text)
    with pytest.raises(KpitrackError, match=message):
        load_settings(tmp_path)


def test_find_root_prefers_dir_then_environment_then_targets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "targets").mkdir()
    (tmp_path / "other").mkdir()
    assert find_root("other", {"KPITRACK_DIR": "targets"}) == Path("other")
    assert find_root(None, {"KPITRACK_DIR": "other"}) == Path("other")
    assert find_root(None, {}) == Path("targets")
    with pytest.raises(KpitrackError, match="no such folder"):
        find_root("missing", {})


def test_find_root_without_a_workspace_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoWorkspace):
        find_root(None, {})
    write(tmp_path / "kpitrack.toml", "")
    assert find_root(None, {}) == Path(".")


def test_find_target_file_suggests_a_close_id(tmp_path):
    write(tmp_path / "plan" / "new-firms.toml", TARGET_TOML)
    assert find_target_file(tmp_path, "new-firms") == tmp_path / "plan" / "new-firms.toml"
    with pytest.raises(KpitrackError, match="did you mean 'new-firms'"):
        find_target_file(tmp_path, "new-firm")


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "A", "a b", "/etc/passwd", "a\\b", "x\0", ""])
def test_ids_that_could_escape_the_workspace_are_refused(tmp_path, bad_id):
    with pytest.raises(KpitrackError, match="not a valid id"):
        find_target_file(tmp_path, bad_id)


def test_a_target_linked_from_outside_the_workspace_is_refused(tmp_path):
    outside = write(tmp_path / "outside" / "secret.toml", TARGET_TOML)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "secret.toml").symlink_to(outside)
    with pytest.raises(KpitrackError, match="outside the workspace"):
        find_target_file(workspace, "secret")
    assert "outside the workspace" in str(load_workspace(workspace).problems[0])


# --- writing -------------------------------------------------------------------------------

HAND_WRITTEN = TARGET_TOML + """
# a comment the user wrote, with odd   spacing
[[progress]]
date = 2023-03-31
value = 310   # Q1 bulletin
"""


def test_append_keeps_every_existing_byte_and_adds_one_block(tmp_path):
    path = write(tmp_path / "firms.toml", HAND_WRITTEN)
    before = path.read_bytes()
    entry = Entry(date(2023, 6, 30), Decimal("340.5"), note='say "hi" \\ 你好\n"""', source="bulletin")
    append_entry(path, tmp_path, entry)
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == render_entry(entry)
    reread = load_target(path, tmp_path).entries[-1]
    assert (reread.date, reread.value, reread.note, reread.source) == (entry.date, entry.value, entry.note, entry.source)


def test_append_to_a_file_without_a_final_newline_starts_a_new_line(tmp_path):
    path = write(tmp_path / "firms.toml", HAND_WRITTEN.rstrip("\n"))
    append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert [e.value for e in load_target(path, tmp_path).entries] == [310, 1]


def test_append_refuses_a_torn_file_and_leaves_it_alone(tmp_path):
    torn = HAND_WRITTEN + "\n[[progress]]\ndate = 2023-06-30\nvalue = 3"  # value cut mid-number is still valid...
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
    path = write(tmp_path / "firms.toml", HAND_WRITTEN)
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


MILESTONE = dict(title="x", start=date(2024, 1, 1), due=date(2024, 12, 31), kind="milestone")


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
        create_target(tmp_path, "x", group, MILESTONE)
    assert list(tmp_path.rglob("*")) == []


def test_init_makes_a_valid_workspace_and_never_overwrites(tmp_path):
    folder = tmp_path / "targets"
    written = init_workspace(folder, 2026)
    assert sorted(p.name for p in written) == ["example.toml", "kpitrack.toml", "plan.schema.json",
                                               "settings.schema.json", "target.schema.json"]
    workspace = load_workspace(folder)
    assert (workspace.problems, [t.id for t in workspace.targets]) == ([], ["example"])
    before = (folder / "example.toml").read_bytes()
    with pytest.raises(KpitrackError, match="already a kpitrack workspace"):
        init_workspace(folder, 2027)
    assert (folder / "example.toml").read_bytes() == before


def test_whole_numbers_are_written_as_toml_integers_and_decimals_as_typed(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal("185000")))
    append_entry(path, tmp_path, Entry(date(2023, 7, 1), Decimal("18.50")))
    text = path.read_text()
    assert "value = 185000\n" in text and "value = 18.50\n" in text


def test_append_that_does_not_read_back_is_undone(tmp_path, monkeypatch):
    import kpitrack.write as write_module

    path = write(tmp_path / "firms.toml", HAND_WRITTEN)
    before = path.read_bytes()
    monkeypatch.setattr(write_module, "render_entry", lambda entry: "\n[[progress]]\ndate = 2023-06-30\nvalue = 999\n")
    with pytest.raises(KpitrackError, match="does not read back"):
        append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert path.read_bytes() == before


# --- the parse cache -------------------------------------------------------------------------


def test_cache_folder_is_in_the_workspace_unless_the_environment_says_otherwise(tmp_path):
    assert cache_folder(tmp_path, {"KPITRACK_CACHE_DIR": "/c"}) == Path("/c")
    assert cache_folder(tmp_path, {"KPITRACK_CACHE_DIR": "off", "HOME": "/h"}) is None
    assert cache_folder(tmp_path, {"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == tmp_path / ".kpitrack" / "cache"
    assert cache_folder(tmp_path, {}) == tmp_path / ".kpitrack" / "cache"  # cron may give no home: same


def test_a_cached_target_is_not_parsed_again(tmp_path, monkeypatch):
    import kpitrack.workspace as workspace_module

    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN)
    first = load_target(path, tmp_path / "ws", tmp_path / "cache")
    monkeypatch.setattr(workspace_module, "target_from_document", lambda *args: pytest.fail("parsed again"))
    assert load_target(path, tmp_path / "ws", tmp_path / "cache") == first


def test_any_change_to_the_bytes_is_seen_even_with_the_same_size_and_time(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN)
    stat = path.stat()
    assert load_target(path, tmp_path / "ws", tmp_path / "cache").entries[0].value == 310
    path.write_text(HAND_WRITTEN.replace("value = 310", "value = 319"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert load_target(path, tmp_path / "ws", tmp_path / "cache").entries[0].value == 319


def test_a_corrupt_or_unwritable_cache_only_means_parsing(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN)
    expected = load_target(path, tmp_path / "ws")
    load_target(path, tmp_path / "ws", tmp_path / "cache")
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_bytes(b"not json")
    assert load_target(path, tmp_path / "ws", tmp_path / "cache") == expected
    blocked = write(tmp_path / "blocked", "a file where the cache folder should be")
    assert load_target(path, tmp_path / "ws", blocked) == expected


def test_broken_files_are_never_cached(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", "title = ")
    for _ in range(2):
        with pytest.raises(KpitrackError, match="invalid TOML"):
            load_target(path, tmp_path / "ws", tmp_path / "cache")
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_append_reads_only_the_definition_and_the_last_entry_of_a_long_file(tmp_path, monkeypatch):
    import tomllib as real_tomllib

    import kpitrack.write as store

    blocks = "".join(f"\n[[progress]]\ndate = 2023-03-{day % 28 + 1:02d}\nvalue = {day}\n" for day in range(2000))
    path = write(tmp_path / "firms.toml", TARGET_TOML + blocks)
    parsed = []

    class Spy:
        TOMLDecodeError = real_tomllib.TOMLDecodeError

        @staticmethod
        def loads(text, **options):
            parsed.append(len(text))
            return real_tomllib.loads(text, **options)

    monkeypatch.setattr(store, "tomllib", Spy)
    append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(1)))
    assert parsed and max(parsed) < 200  # the head, the last block and the new block: never the whole file
    torn = path.read_text() + "\n[[progress]]\ndate = 2023-07-01\n"
    path.write_text(torn)
    with pytest.raises(KpitrackError, match=r"firms.toml:\d+: progress entry has no value"):
        append_entry(path, tmp_path, Entry(date(2023, 7, 2), Decimal(1)))
    assert path.read_text() == torn


def test_a_cache_entry_that_is_not_a_target_is_ignored(tmp_path):
    import json

    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN)
    expected = load_target(path, tmp_path / "ws", tmp_path / "cache")
    for entry in (tmp_path / "cache").rglob("*.json"):
        key = json.loads(entry.read_text())["key"]
        entry.write_text(json.dumps({"key": key, "target": {"not": "a target"}}))
    assert load_target(path, tmp_path / "ws", tmp_path / "cache") == expected


def test_the_cache_holds_no_code_and_a_planted_pickle_is_never_read(tmp_path):
    import pickle

    import kpitrack.cache

    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN)
    cache = tmp_path / "cache"
    load_target(path, tmp_path / "ws", cache)
    entry = cache / "targets.sqlite3"
    assert entry.read_bytes().startswith(b"SQLite format 3\0")  # rows of JSON text, never code
    entry.write_bytes(pickle.dumps(os.system))  # what a stranger could plant: not a database, so parsed anew
    assert load_target(path, tmp_path / "ws", cache).entries[0].value == 310
    assert "import pickle" not in Path(kpitrack.cache.__file__).read_text()


def test_each_file_keeps_one_cache_entry(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", TARGET_TOML)
    for day in range(1, 6):
        append_entry(path, tmp_path / "ws", Entry(date(2023, 3, day), Decimal(day)))
        load_target(path, tmp_path / "ws", tmp_path / "cache")
    import sqlite3

    with sqlite3.connect(tmp_path / "cache" / "targets.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (1,)


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
        create_target(tmp_path / "ws", "x", "evil", MILESTONE)
    assert list((tmp_path / "outside").iterdir()) == []


def test_folders_that_are_files_are_one_clear_error(tmp_path):
    write(tmp_path / "ws" / "plan", "a file, not a folder")
    with pytest.raises(KpitrackError, match="cannot make the folder"):
        create_target(tmp_path / "ws", "x", "plan", MILESTONE)
    with pytest.raises(KpitrackError, match="cannot make the folder"):
        init_workspace(tmp_path / "ws" / "plan", 2026)


def test_the_state_folder_is_made_once_and_ignored_by_git(tmp_path):
    from kpitrack.workspace import load_workspace, state_folder

    folder = state_folder(tmp_path)
    assert folder == tmp_path / ".kpitrack" and folder.is_dir()
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    write(folder / "junk.toml", "not a target")  # nothing inside it is ever read as a target
    assert load_workspace(tmp_path).problems == []
    assert state_folder(tmp_path) == folder
