"""The SQLite parse cache: the same outputs with it on, off and damaged; its folder must be ours."""

import os
import sqlite3

import pytest
from test_golden import CASES, GOLDEN, ROOT, golden_name, rendered, run_case

import kpitrack.files.cache
from kpitrack.files.workspace import load_target

NOTICE = "was damaged; rebuilding it"
QUICK = [case for case in CASES if case.startswith(("status --format json", "show sz23-affordable-housing --as-of",
                                                    "report --format json", "check --as-of"))]


def outputs(cases, notices=None):
    for case in cases:
        result = run_case(case)
        text = rendered(case, result).replace(str(ROOT), "<repo>")
        if notices is not None and NOTICE in text:
            notices.append(case)
            text = "\n".join(line for line in text.split("\n") if NOTICE not in line)
            text = text.replace("--- stderr\n--- exit", "--- exit")
        assert text == (GOLDEN / golden_name(case)).read_text(encoding="utf-8"), case


def damage(folder):
    (folder / kpitrack.files.cache.DATABASE).write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    kpitrack.files.cache._connections.clear()  # as a new process would find it


def check_modes(cases, tmp_path, monkeypatch):
    monkeypatch.setenv("KPITRACK_CACHE_DIR", "off")
    outputs(cases)
    assert not (tmp_path / kpitrack.files.cache.DATABASE).exists()
    monkeypatch.setenv("KPITRACK_CACHE_DIR", str(tmp_path))
    outputs(cases)  # cold, then warm
    outputs(cases)
    assert (tmp_path / kpitrack.files.cache.DATABASE).exists()
    damage(tmp_path)
    notices = []
    outputs(cases, notices)
    assert notices == cases[:1]  # said once, then rebuilt
    outputs(cases)


@pytest.mark.slow  # every golden output three times: the golden test itself runs in the fast subset
def test_golden_outputs_with_the_cache_off_on_and_damaged(tmp_path, monkeypatch):
    check_modes(QUICK, tmp_path, monkeypatch)


@pytest.mark.slow
def test_every_golden_output_with_the_cache_off_on_and_damaged(tmp_path, monkeypatch):
    check_modes(CASES, tmp_path, monkeypatch)


def test_a_damaged_cache_is_rebuilt_quietly_with_quiet(tmp_path, monkeypatch):
    monkeypatch.setenv("KPITRACK_CACHE_DIR", str(tmp_path))
    assert run_case("check --as-of 2023-06-30 --quiet").stderr == ""
    damage(tmp_path)
    result = run_case("check --as-of 2023-06-30 --quiet")
    assert result.stderr == "" and result.exit_code in (0, 1)
    damage(tmp_path)
    assert NOTICE in run_case("check --as-of 2023-06-30").stderr


def test_only_changed_files_are_parsed_again(tmp_path, monkeypatch):
    import kpitrack.files.document as document

    (tmp_path / "ws").mkdir()
    paths = []
    for number in range(3):
        path = tmp_path / "ws" / f"t{number}.toml"
        path.write_text(f'title = "t{number}"\nunit = "u"\ntarget = 10\nstart = 2023-01-01\ndue = 2023-12-31\n'
                        "\n[[progress]]\ndate = 2023-02-01\nvalue = 1\n")
        paths.append(path)
    cache = tmp_path / "cache"
    first = [load_target(path, tmp_path / "ws", cache) for path in paths]
    parsed = []
    real = document.parse_toml
    monkeypatch.setattr(document, "parse_toml", lambda *args: parsed.append(args[1]) or real(*args))
    paths[1].write_text(paths[1].read_text() + "\n[[progress]]\ndate = 2023-03-01\nvalue = 2\n")
    again = [load_target(path, tmp_path / "ws", cache) for path in paths]
    assert parsed == [paths[1]]
    assert again[0] == first[0] and again[2] == first[2] and len(again[1].entries) == 2


@pytest.mark.parametrize("mode", [0o770, 0o707])
def test_a_folder_others_can_write_is_not_used(tmp_path, mode):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, mode)
    assert not kpitrack.files.cache.safe_folder(folder)
    os.chmod(folder, 0o700)
    assert kpitrack.files.cache.safe_folder(folder)


def test_a_folder_of_another_user_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    assert not kpitrack.files.cache.safe_folder(folder)


def test_an_unsafe_folder_leaves_no_database(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, 0o777)
    path = tmp_path / "ws" / "a.toml"
    path.parent.mkdir()
    path.write_text('title = "a"\nunit = "u"\ntarget = 10\nstart = 2023-01-01\ndue = 2023-12-31\n')
    assert load_target(path, tmp_path / "ws", folder).title == "a"
    assert not (folder / kpitrack.files.cache.DATABASE).exists()


def test_the_database_holds_text_rows_only(tmp_path):
    path = tmp_path / "ws" / "a.toml"
    path.parent.mkdir()
    path.write_text('title = "a"\nunit = "u"\ntarget = 10\nstart = 2023-01-01\ndue = 2023-12-31\n'
                    '\n[[progress]]\ndate = 2023-02-01\nvalue = 1.50\nnote = "x"\n')
    load_target(path, tmp_path / "ws", tmp_path / "cache")
    target = load_target(path, tmp_path / "ws", tmp_path / "cache")
    list(target.entries)  # kept the first time a command reads them
    with sqlite3.connect(tmp_path / "cache" / kpitrack.files.cache.DATABASE) as connection:
        types = connection.execute("SELECT typeof(key), typeof(target), typeof(entries) FROM files").fetchall()
        states = connection.execute("SELECT typeof(states) FROM days").fetchall()
    assert types == [("text", "text", "text")] and states == [("text",)]
    assert str(target.entries[0].value) == "1.50"


def test_the_notice_of_a_damaged_cache_speaks_the_chosen_language(tmp_path, monkeypatch):
    monkeypatch.setenv("KPITRACK_CACHE_DIR", str(tmp_path))
    run_case("check --as-of 2023-06-30")
    damage(tmp_path)
    assert f"kpitrack: 缓存 {tmp_path / kpitrack.files.cache.DATABASE} 已损坏，正在重建\n" in run_case(
        "--lang zh check --as-of 2023-06-30").stderr


@pytest.mark.parametrize("figure", ["NaN", "sNaN", "1e999999", "-Infinity", "not a number"])
@pytest.mark.parametrize("place", ["days", "entries", "definition"])
def test_a_figure_tampered_in_the_cache_rebuilds(tmp_path, monkeypatch, figure, place):
    """A figure made NaN, sNaN or huge in the cache (anyone who can write it) is a damaged row: the
    target is read from its file, never a decimal.InvalidOperation traceback."""
    from helpers import TARGET_TOML, runner
    from kpitrack.cli import app

    monkeypatch.setenv("KPITRACK_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "firms.toml").write_text(TARGET_TOML + "\n[[progress]]\ndate = 2023-02-01\nvalue = 15\n")
    for command in (["status", "--as-of", "2023-06-30"], ["show", "firms", "--as-of", "2023-06-30"]):
        runner.invoke(app, ["--dir", str(tmp_path / "ws"), *command])
    with sqlite3.connect(tmp_path / "cache" / kpitrack.files.cache.DATABASE) as connection:
        if place == "days":
            connection.execute("UPDATE days SET states = replace(states, '\"15\"', ?)", (f'"{figure}"',))
        elif place == "entries":
            connection.execute("UPDATE files SET entries = replace(entries, '\"15\"', ?), "
                               "latest = replace(latest, '\"15\"', ?)", (f'"{figure}"', f'"{figure}"'))
        else:
            connection.execute("UPDATE files SET target = replace(target, '\"1200\"', ?)", (f'"{figure}"',))
        assert connection.total_changes
    kpitrack.files.cache._connections.clear()
    for command in (["status", "--as-of", "2023-06-30", "--format", "json"], ["show", "firms", "--as-of", "2023-06-30"]):
        result = runner.invoke(app, ["--dir", str(tmp_path / "ws"), *command])
        assert result.exit_code == 0, result.output
        assert "15" in result.output and "NaN" not in result.output and "Infinity" not in result.output
