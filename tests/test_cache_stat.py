"""The cache's stat check (kpitrack.files.cache): a file whose stat is as the cache kept it is not
read; a file changed within the same tick of the file system's clock (racily clean) is never taken
for unchanged. Synthetic targets, made-up figures."""

import os
import time
from pathlib import Path
from decimal import Decimal

import pytest

import kpitrack.files.cache
import kpitrack.files.schema
import kpitrack.files.workspace
from helpers import progress, status_rows, target_toml, write
from kpitrack.files.workspace import load_workspace

LATER = 10 * 10**9  # ns: the clock as a run ten seconds later reads it, when every file has settled


def text_with(value: int) -> str:
    """A target file whose size is the same for every value from 100 to 999."""
    return target_toml() + progress("2023-03-31", value)


def first_value(root, cache) -> Decimal:
    [target] = load_workspace(root, cache).targets
    return target.entries[0].value


class Coarse:
    """A stat as a file system with a one-second clock gives it (FAT's is two, ext3's and HFS+'s
    one): every write within a second leaves mtime and ctime as they were."""

    def __init__(self, status):
        self.status = status

    def __getattr__(self, name):
        value = getattr(self.status, name)
        return value - value % 10**9 if name in ("st_mtime_ns", "st_ctime_ns") else value


@pytest.fixture
def coarse_clock(monkeypatch):
    real = os.stat
    monkeypatch.setattr(kpitrack.files.workspace.os, "stat", lambda path, *a, **k: Coarse(real(path, *a, **k)))


@pytest.fixture
def fresh(monkeypatch):
    """Each load as a new process finds the cache."""
    kpitrack.files.cache._connections.clear()
    yield
    kpitrack.files.cache._connections.clear()


def test_an_edit_of_the_same_size_within_the_same_tick_is_always_seen(tmp_path, coarse_clock, fresh):
    """An editor rewriting the file in place (same inode, same size) many times a second, a load
    after each write: the stat is the same every time within a second, so only the racy check can
    tell. Broken (every stat trusted), this fails at the second write."""
    root, cache = tmp_path / "ws", tmp_path / "cache"
    path = write(root / "firms.toml", text_with(100))
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    for value in range(100, 300):
        path.write_text(text_with(value), encoding="utf-8")
        os.utime(path, ns=(mtime, mtime))  # a tool that keeps the mtime, too
        assert path.stat().st_ino == inode and path.stat().st_size == len(text_with(100))
        assert first_value(root, cache) == value, value


def test_status_sees_every_edit_of_the_same_size_within_the_same_tick(tmp_path, coarse_clock, fresh, monkeypatch):
    monkeypatch.setenv("KPITRACK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "ws"
    write(root / "kpitrack.toml", "")
    path = write(root / "firms.toml", text_with(100))
    for value in range(100, 130):
        path.write_text(text_with(value), encoding="utf-8")
        assert status_rows(root, "--as-of", "2023-06-30")["firms"]["current"] == value, value


def test_edits_of_the_same_size_and_mtime_are_seen_on_this_file_system(tmp_path, fresh):
    """The same without a simulated clock: whatever this file system's clock gives."""
    root, cache = tmp_path / "ws", tmp_path / "cache"
    path = write(root / "firms.toml", text_with(100))
    mtime = path.stat().st_mtime_ns
    for value in range(100, 200):
        path.write_text(text_with(value), encoding="utf-8")
        os.utime(path, ns=(mtime, mtime))
        assert first_value(root, cache) == value, value


def reads(monkeypatch) -> list:
    """The target files read from here on."""
    read, real = [], kpitrack.files.workspace.read_bytes

    def counted(path):
        if path.name != "kpitrack.toml":
            read.append(path.name)
        return real(path)

    monkeypatch.setattr(kpitrack.files.workspace, "read_bytes", counted)
    return read


def later(monkeypatch, ns: int = LATER) -> None:
    real = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: real() + ns)


def test_a_settled_file_whose_stat_is_kept_is_not_read(tmp_path, fresh, monkeypatch):
    root, cache = tmp_path / "ws", tmp_path / "cache"
    write(root / "a.toml", text_with(100))
    write(root / "b.toml", text_with(200))
    read = reads(monkeypatch)
    load_workspace(root, cache)  # cold: read and parsed; just written, so racily clean
    load_workspace(root, cache)  # still racily clean: read and hashed again
    assert read == ["a.toml", "b.toml"] * 2
    later(monkeypatch)  # the files have settled: read once more, and their stats kept
    load_workspace(root, cache)
    del read[:]
    kpitrack.files.cache._connections.clear()
    targets = load_workspace(root, cache).targets
    assert read == [] and [target.entries[0].value for target in targets] == [100, 200]


def test_a_file_touched_is_hashed_not_parsed_and_then_trusted(tmp_path, fresh, monkeypatch):
    root, cache = tmp_path / "ws", tmp_path / "cache"
    path = write(root / "a.toml", text_with(100))
    later(monkeypatch)
    load_workspace(root, cache)
    assert first_value(root, cache) == 100  # the entries kept too
    os.utime(path)  # git checkout, make, an editor saving without a change
    read = reads(monkeypatch)
    monkeypatch.setattr(kpitrack.files.schema, "target_from_document", lambda *args: pytest.fail("parsed again"))
    later(monkeypatch, 2 * LATER)
    assert first_value(root, cache) == 100
    assert read == ["a.toml"]  # read and hashed: the same bytes
    kpitrack.files.cache._connections.clear()
    assert first_value(root, cache) == 100 and read == ["a.toml"]  # its new stat vouches for it


def test_a_change_that_keeps_size_and_mtime_is_seen_once_the_file_has_settled(tmp_path, fresh, monkeypatch):
    """A trusted stat: a write keeping size and mtime (cp -p, an editor that restores it) still
    moves the ctime."""
    root, cache = tmp_path / "ws", tmp_path / "cache"
    path = write(root / "a.toml", text_with(100))
    later(monkeypatch)
    load_workspace(root, cache)
    status = path.stat()
    path.write_text(text_with(101), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert first_value(root, cache) == 101


def test_the_code_hash_changes_with_a_module(tmp_path, monkeypatch):
    """Rows made by other code are never trusted: the stat kept is the code's too."""
    package = tmp_path / "kpitrack"
    for name in kpitrack.files.cache.CODE_PACKAGES:
        write(package / name / "module.py", "A = 1\n")
    monkeypatch.setattr(kpitrack.files.cache, "__file__", str(package / "files" / "cache.py"))
    hashes = []
    for text in ("A = 1\n", "A = 2\n"):  # the same size, written in the same tick: racily clean, read
        write(package / "domain" / "module.py", text)
        monkeypatch.setattr(kpitrack.files.cache, "_code_hash", None)
        hashes.append(kpitrack.files.cache.code_hash())
    later(monkeypatch)
    monkeypatch.setattr(kpitrack.files.cache, "_code_hash", None)
    hashes.append(kpitrack.files.cache.code_hash())  # settled: known by its stat
    assert len(set(hashes)) == 3


@pytest.mark.parametrize("target, baseline", [("1", "0"), ("1.0", "0.00"), ("1000", "0")])
def test_a_definition_comes_back_exactly_with_its_defaults_left_out(target, baseline):
    """Fields as their defaults are not kept, but a figure written otherwise than the default
    (1.0 against 1) is: it prints otherwise."""
    from helpers import make_target
    from kpitrack.files.definition import definition_fields, encode_definition, restored

    made = make_target(target=target, baseline=baseline, tags=("a",), path=Path("p/t.toml"))
    text = encode_definition(made)
    back = restored({**definition_fields(text, Path("p/t.toml")), "entries": made.entries})
    assert back == made and str(back.target) == target and str(back.baseline) == baseline
    assert ('"target"' in text) == (target != "1") and '"stretch"' not in text and '"path"' not in text


def walked_as_os_walk_did(root, skipped):
    """The walk as kpitrack made it with os.walk before it kept each file's stat (the reference)."""
    import stat

    found = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        kept = []
        for name in sorted(subfolders):
            if name.startswith("."):
                continue
            if name.endswith(".toml"):
                skipped.append(here / name)
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            try:
                regular = stat.S_ISREG(os.stat(here / name).st_mode)
            except OSError:
                regular = False
            if regular:
                found.append(here / name)
            elif name.endswith(".toml"):
                skipped.append(here / name)
    return found


def test_the_walk_finds_what_os_walk_found(tmp_path):
    from kpitrack.files.walk import _walk

    root = tmp_path / "ws"
    for name in ("a.toml", "b/c.toml", "b/d/e.toml", "b/d/f/g.toml", ".hidden/h.toml", "z/y.toml", "k.toml/inner.toml",
                 "b/notes.txt", "elsewhere/i.toml"):
        write(root / name if not name.startswith("elsewhere") else tmp_path / name, "")
    os.symlink(tmp_path / "elsewhere", root / "linked")  # a link to a folder: listed, not walked
    os.symlink(root / "a.toml", root / "b" / "alias.toml")  # a link to a file: a file
    os.symlink(tmp_path / "gone", root / "broken.toml")  # a link to nothing: no regular file
    os.mkfifo(root / "b" / "pipe.toml")
    expected_skipped, skipped = [], []
    expected = walked_as_os_walk_did(root, expected_skipped)
    walked = list(_walk(root, skipped))
    assert [folder / found.name for folder, files in walked for found in files] == expected
    assert skipped == expected_skipped
    links = {found.relative: found.link for _, files in walked for found in files}
    assert links["b/alias.toml"] and not links["b/c.toml"] and "b/d/f/g.toml" in links
    assert all(found.status == os.stat(folder / found.name) for folder, files in walked for found in files)
