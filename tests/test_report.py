"""The report layer: roll-ups of parents over their parts, the tree order (synthetic data)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from helpers import figure_file, progress, run, write
from kpitrack.domain.compute import current_figure, disagreements, figures
from kpitrack.files.workspace import load_workspace


@pytest.fixture
def city(tmp_path):
    """Synthetic: a city line in 亿元 over two districts in 亿元 and one in 万元."""
    parts = '["district-a", "district-b", "district-c"]'
    write(tmp_path / "plan" / "city.toml", figure_file("synthetic city", extra=f"parts = {parts}\n"))
    write(tmp_path / "plan" / "district-a.toml", figure_file(target="847.6", extra=progress("2023-03-31", "100.1")))
    write(tmp_path / "plan" / "district-b.toml", figure_file(target="611.7", extra=progress("2023-06-30", "0.2")))
    write(tmp_path / "plan" / "district-c.toml",
          figure_file(unit="万元", target="12345.6789", extra=progress("2023-06-30", "5000.0001")))
    return tmp_path


def test_parent_target_and_figure_are_the_exact_sums_of_the_parts(city):
    workspace = load_workspace(city)
    assert workspace.problems == []
    others = {target.id: target for target in workspace.targets}
    parent = others["city"]
    assert parent.target == Decimal("847.6") + Decimal("611.7") + Decimal("1.23456789")  # 1459.3 + 12345.6789 万
    assert current_figure(parent, date(2023, 3, 31), others) == Decimal("100.1")
    assert current_figure(parent, date(2023, 6, 30), others) == Decimal("100.3") + Decimal("0.50000001")
    result = figures(parent, date(2023, 6, 30), others=others)
    assert (result.current, result.last_update) == (Decimal("100.80000001"), date(2023, 6, 30))


def test_parent_json_shows_the_sums(city):
    rows = {row["id"]: row for row in json.loads(
        run(city, "status", "--as-of", "2023-06-30", "--format", "json").stdout, parse_float=Decimal)["targets"]}
    assert (rows["city"]["target"], rows["city"]["current"]) == (Decimal("1460.53456789"), Decimal("100.80000001"))


def test_parent_with_entries_of_its_own_keeps_them_and_validate_warns_when_they_disagree(city):
    path = city / "plan" / "city.toml"
    path.write_text(path.read_text().replace("parts", "target = 1500\nparts") + progress("2023-06-30", "100.3"))
    workspace = load_workspace(city)
    others = {target.id: target for target in workspace.targets}
    assert current_figure(others["city"], date(2023, 6, 30), others) == Decimal("100.3")
    assert [(entry.date, own, summed) for entry, own, summed in disagreements(others["city"], others)] == [
        (date(2023, 6, 30), Decimal("100.3"), Decimal("100.80000001"))]
    result = run(city, "validate")
    assert result.exit_code == 0
    assert f"{path}:8: warning: 100.3 on 2023-06-30, but its parts add up to 100.80000001" in result.stderr


@pytest.mark.parametrize("files, message", [
    ({"a": figure_file(extra='parts = ["b"]\n'), "b": figure_file(extra='parts = ["a"]\n')},
     "parts go round in a circle: a -> b -> a"),
    ({"a": figure_file(extra='parts = ["a"]\n')}, "parts go round in a circle: a -> a"),
    ({"a": figure_file(extra='parts = ["nope"]\n')}, "part 'nope' is not a target of this workspace"),
    ({"a": figure_file(extra='parts = ["b"]\n'), "b": figure_file(unit="个", target=3)},
     "counts '个', which does not convert to '亿元'"),
    ({"a": 'title = "m"\nkind = "milestone"\nstart = 2023-01-01\ndue = 2023-12-31\nparts = ["b"]\n',
      "b": figure_file(target=3)}, "a milestone has no 'parts'"),  # milestones may be parts (issue 24), not parents
    ({"a": figure_file(extra='parts = ["b", "b"]\n'), "b": figure_file(target=3)}, "parts names a target twice"),
    ({"a": figure_file(extra='parts = "b"\n')}, "parts must be a list of target ids"),
    ({"a": figure_file(extra='parts = ["b"]\n[[checkpoint]]\ndate = 2023-06-30\nvalue = 1\n'),
      "b": figure_file(target=3)}, "checkpoints need a target and a baseline of the file's own"),
])
def test_broken_roll_ups_are_errors_naming_the_files(tmp_path, files, message):
    for name, text in files.items():
        write(tmp_path / f"{name}.toml", text)
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert f"{tmp_path / 'a.toml'}:" in result.stderr and message in result.stderr


def test_part_errors_name_the_part_file_too(tmp_path):
    write(tmp_path / "a.toml", figure_file(extra='parts = ["b"]\n'))
    write(tmp_path / "b.toml", figure_file(unit="个", target=3))
    assert str(tmp_path / "b.toml") in run(tmp_path, "validate").stderr


def test_tree_shows_parents_with_their_parts_indented(city):
    lines = run(city, "status", "--as-of", "2023-06-30", "--tree").stdout.splitlines()
    ids = [line.split()[0:2] for line in lines if "city" in line or "└" in line]
    assert [pair[0] for pair in ids if pair[0] in ("city", "└")] == ["city", "└", "└", "└"]  # ids cut to fit
    plain = run(city, "status", "--as-of", "2023-06-30").stdout
    assert "└" not in plain


def test_a_parent_with_its_own_target_takes_its_baseline_from_its_parts(tmp_path):
    for name in ("a", "b"):
        write(tmp_path / f"{name}.toml", figure_file(unit="个", target=200, extra="baseline = 100\n"
                                                     + progress("2023-06-30", 10)))
    write(tmp_path / "city.toml", figure_file(unit="个", target=400, extra='parts = ["a", "b"]\n'))
    rows = {row["id"]: row for row in json.loads(
        run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json").stdout, parse_float=Decimal)["targets"]}
    assert (rows["city"]["baseline"], rows["city"]["current"]) == (200, 220)
    assert rows["city"]["completion"] == rows["a"]["completion"] == Decimal("10.00")


def test_a_roll_up_is_stale_when_any_part_is(tmp_path):
    write(tmp_path / "a.toml", figure_file(unit="个", target=200, extra='cadence = "monthly"\n'
                                           + progress("2023-06-30", 100)))
    write(tmp_path / "b.toml", figure_file(unit="个", target=200, extra='cadence = "monthly"\n'
                                           + progress("2023-03-31", 100)))
    write(tmp_path / "city.toml", figure_file(unit="个", extra='parts = ["a", "b"]\n'))
    rows = {row["id"]: row["stale"] for row in json.loads(
        run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json").stdout)["targets"]}
    assert rows == {"a": False, "b": True, "city": True}
