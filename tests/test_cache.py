"""The parse cache: what it keeps, and that a broken or planted cache only means parsing again."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import HAND_WRITTEN_FIRMS, TARGET_TOML, write
from kpitrack.domain.errors import KpitrackError
from kpitrack.domain.model import Entry
from kpitrack.files.workspace import cache_folder, load_target
from kpitrack.writing.write import append_entry


def test_cache_folder_is_in_the_workspace_unless_the_environment_says_otherwise(tmp_path):
    assert cache_folder(tmp_path, {"KPITRACK_CACHE_DIR": "/c"}) == Path("/c")
    assert cache_folder(tmp_path, {"KPITRACK_CACHE_DIR": "off", "HOME": "/h"}) is None
    assert cache_folder(tmp_path, {"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == tmp_path / ".kpitrack" / "cache"
    assert cache_folder(tmp_path, {}) == tmp_path / ".kpitrack" / "cache"  # cron may give no home: same


def test_a_cached_target_is_not_parsed_again(tmp_path, monkeypatch):
    import kpitrack.files.schema

    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN_FIRMS)
    first = load_target(path, tmp_path / "ws", tmp_path / "cache")
    list(load_target(path, tmp_path / "ws", tmp_path / "cache").entries)  # entries are kept when first read
    monkeypatch.setattr(kpitrack.files.schema, "target_from_document", lambda *args: pytest.fail("parsed again"))
    assert load_target(path, tmp_path / "ws", tmp_path / "cache") == first


def test_any_change_to_the_bytes_is_seen_even_with_the_same_size_and_time(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN_FIRMS)
    stat = path.stat()
    assert load_target(path, tmp_path / "ws", tmp_path / "cache").entries[0].value == 310
    path.write_text(HAND_WRITTEN_FIRMS.replace("value = 310", "value = 319"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert load_target(path, tmp_path / "ws", tmp_path / "cache").entries[0].value == 319


def test_a_corrupt_or_unwritable_cache_only_means_parsing(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN_FIRMS)
    expected = load_target(path, tmp_path / "ws")
    load_target(path, tmp_path / "ws", tmp_path / "cache")
    database = tmp_path / "cache" / "targets.sqlite3"
    assert database.is_file()
    database.write_bytes(b"not a database")
    assert load_target(path, tmp_path / "ws", tmp_path / "cache") == expected
    blocked = write(tmp_path / "blocked", "a file where the cache folder should be")
    assert load_target(path, tmp_path / "ws", blocked) == expected


def test_broken_files_are_never_cached(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", "title = ")
    for _ in range(2):
        with pytest.raises(KpitrackError, match="invalid TOML"):
            load_target(path, tmp_path / "ws", tmp_path / "cache")
    import sqlite3

    database = tmp_path / "cache" / "targets.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM files").fetchone() == (0,)


def test_a_cache_entry_that_is_not_a_target_is_ignored(tmp_path):
    import json

    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN_FIRMS)
    expected = load_target(path, tmp_path / "ws", tmp_path / "cache")
    import sqlite3

    import kpitrack.files.cache

    with sqlite3.connect(tmp_path / "cache" / "targets.sqlite3") as connection:
        assert connection.execute("UPDATE files SET target = ?", (json.dumps({"not": "a target"}),)).rowcount == 1
    kpitrack.files.cache._connections.clear()  # as a new process would find it
    assert load_target(path, tmp_path / "ws", tmp_path / "cache") == expected


def test_the_cache_holds_no_code_and_a_planted_pickle_is_never_read(tmp_path):
    import pickle

    import kpitrack.files.cache

    path = write(tmp_path / "ws" / "firms.toml", HAND_WRITTEN_FIRMS)
    cache = tmp_path / "cache"
    load_target(path, tmp_path / "ws", cache)
    entry = cache / "targets.sqlite3"
    assert entry.read_bytes().startswith(b"SQLite format 3\0")  # rows of JSON text, never code
    entry.write_bytes(pickle.dumps(os.system))  # what a stranger could plant: not a database, so parsed anew
    assert load_target(path, tmp_path / "ws", cache).entries[0].value == 310
    assert "import pickle" not in Path(kpitrack.files.cache.__file__).read_text()


def test_each_file_keeps_one_cache_entry(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", TARGET_TOML)
    for day in range(1, 6):
        append_entry(path, tmp_path / "ws", Entry(date(2023, 3, day), Decimal(day)))
        load_target(path, tmp_path / "ws", tmp_path / "cache")
    import sqlite3

    with sqlite3.connect(tmp_path / "cache" / "targets.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (1,)
