"""kpitrack.toml and the plan.toml files through the cache, as target files are: a warm status reads
them from it and needs neither the TOML parser nor the file validators; a changed or damaged one
is read from the file again."""

import sqlite3

import pytest

import kpitrack.files.cache
from helpers import modules_after, write
from kpitrack.files.workspace import load_workspace

TARGET = 'title = "synthetic {number}"\nunit = "u"\ntarget = 10\n\n[[progress]]\ndate = 2023-03-01\nvalue = 4\n'


@pytest.fixture
def workspace(tmp_path):
    """Settings that are not the defaults, and a plan whose period gives its targets their dates."""
    root = tmp_path / "ws"
    write(root / "kpitrack.toml", 'yellow = 3\nred = 12\nlanguage = "en"\ncadence = "monthly"\ndecimals = 1\n')
    write(root / "plan" / "plan.toml", 'title = "synthetic plan"\nstart = 2023-01-01\ndue = 2023-12-31\n'
                                       'pace = 120\nwarn_days = 10\n')
    for number in range(3):
        write(root / "plan" / f"t{number}.toml", TARGET.format(number=number))
    return root


def parsed_nothing(monkeypatch):
    """Reading kpitrack.toml or a plan.toml from its file fails the test: the parser (fasttoml reads
    these small files itself, tomllib the rest) and the validators that make Settings and a Plan."""
    import tomllib

    import kpitrack.files.schema

    def fail(*arguments, **how):
        pytest.fail(f"parsed again: {arguments[0]!r}")

    monkeypatch.setattr(tomllib, "loads", fail)
    monkeypatch.setattr(kpitrack.files.schema, "settings_from_document", fail)
    monkeypatch.setattr(kpitrack.files.schema, "plan_from_document", fail)


def test_settings_and_plans_come_from_the_cache_as_they_were_parsed(workspace, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = load_workspace(workspace, cache)
    assert first.settings.red == 12 and first.plans["plan"].pace == 120 and not first.problems
    parsed_nothing(monkeypatch)
    kpitrack.files.cache._connections.clear()
    again = load_workspace(workspace, cache)
    assert (again.settings, again.plans) == (first.settings, first.plans)
    assert [(target.id, target.start, target.due) for target in again.targets] == [
        (target.id, target.start, target.due) for target in first.targets]


def test_a_changed_settings_or_plan_file_is_read_again(workspace, tmp_path):
    cache = tmp_path / "cache"
    load_workspace(workspace, cache)
    write(workspace / "kpitrack.toml", "yellow = 1\nred = 7\n")
    write(workspace / "plan" / "plan.toml", 'title = "synthetic plan"\nstart = 2023-02-01\ndue = 2023-11-30\n')
    kpitrack.files.cache._connections.clear()
    again = load_workspace(workspace, cache)
    assert (again.settings.red, again.settings.decimals, again.plans["plan"].pace) == (7, 2, None)
    assert {target.start.isoformat() for target in again.targets} == {"2023-02-01"}


def test_a_damaged_settings_row_is_read_from_the_file(workspace, tmp_path):
    cache = tmp_path / "cache"
    first = load_workspace(workspace, cache)
    kpitrack.files.cache._connections.clear()
    with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
        connection.execute("""UPDATE files SET target = '{"Settings": {"red": {"decimal": "NaN"}}}'
                              WHERE target LIKE '{"Settings"%'""")
        connection.execute("""UPDATE files SET target = '{"Target": {}}' WHERE target LIKE '{"Plan"%'""")
    again = load_workspace(workspace, cache)
    assert (again.settings, again.plans) == (first.settings, first.plans)


def test_a_broken_settings_file_stays_a_problem_on_every_run(workspace, tmp_path):
    cache = tmp_path / "cache"
    write(workspace / "kpitrack.toml", "red = [\n")
    for _ in range(2):
        kpitrack.files.cache._connections.clear()
        assert [problem.path.name for problem in load_workspace(workspace, cache).problems] == ["kpitrack.toml"]


@pytest.mark.slow
def test_a_warm_status_imports_no_toml_parser_nor_validators(workspace, tmp_path):
    """The second run finds every file in the cache (a file racily clean is hashed, not parsed)."""
    environment = {"KPITRACK_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    command = ("--dir", str(workspace), "status", "--as-of", "2023-06-30", "--format", "json")
    first, done = modules_after(*command, env=environment)
    assert done.returncode == 0, done.stderr
    readers = {"tomllib", "kpitrack.files.fasttoml", "kpitrack.files.document", "kpitrack.files.schema",
               "kpitrack.files.blocks"}
    assert {"kpitrack.files.document", "kpitrack.files.schema"} <= first  # the check can fail: the cold run parses
    modules, done = modules_after(*command, env=environment)
    assert done.returncode == 0, done.stderr
    assert not modules & readers


def test_a_row_of_the_wrong_types_or_count_is_read_from_the_file(workspace, tmp_path):
    """The cache is untrusted: a field of another type than its annotation names (a target given as
    text, a settings' yellow as text, an id as a number) or a negative entries' count made the
    command fail later (Decimal arithmetic on text, len() < 0); such a row is damaged, the file read."""
    cache = tmp_path / "cache"
    first = load_workspace(workspace, cache)
    for damage in ("""UPDATE files SET target = replace(target, '"unit": "u"', '"unit": 5') WHERE target LIKE '{"Target"%'""",
                   """UPDATE files SET target = '{"Settings": {"yellow": "3", "red": {"decimal": "12"}}}'
                      WHERE target LIKE '{"Settings"%'""",
                   "UPDATE files SET count = -1 WHERE target LIKE '{\"Target\"%'"):
        kpitrack.files.cache._connections.clear()
        with sqlite3.connect(cache / kpitrack.files.cache.DATABASE) as connection:
            assert connection.execute(damage).rowcount
        again = load_workspace(workspace, cache)
        assert again.settings == first.settings and not again.problems
        assert [(target.unit, len(target.entries)) for target in again.targets] == [("u", 1)] * 3
