"""Plans and roll-ups (issue 5): parents add up parts exactly, across unit scales."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import write
from kpitrack.cli import app
from kpitrack.compute import current_figure, disagreements, figures
from kpitrack.workspace import load_workspace
from kpitrack.units import conversion, split_unit

runner = CliRunner()
SHIPPED = Path(__file__).parents[1] / "targets"


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def figure_file(title="synthetic", unit="亿元", target=None, extra=""):
    text = f'title = "{title}"\nunit = "{unit}"\nstart = 2023-01-01\ndue = 2023-12-31\n'
    return text + (f"target = {target}\n" if target is not None else "") + extra


def progress(when, value):
    return f"\n[[progress]]\ndate = {when}\nvalue = {value}\n"


@pytest.mark.parametrize("unit, scale, base", [
    ("亿元", Decimal(10) ** 8, "元"), ("万套", Decimal(10) ** 4, "套"), ("万平方米", Decimal(10) ** 4, "平方米"),
    ("万亿元", Decimal(10) ** 12, "元"), ("k firms", Decimal(1000), "firms"), ("M", Decimal(10) ** 6, ""),
    ("km", Decimal(1), "km"), ("家", Decimal(1), "家"), ("亿美元", Decimal(10) ** 8, "美元"),
])
def test_units_split_into_scale_and_base(unit, scale, base):
    assert split_unit(unit) == (scale, base)


def test_conversion_is_exact_and_refuses_different_bases():
    assert conversion("万元", "亿元") == Decimal("0.0001")
    assert Decimal("1234.5678") * conversion("万元", "亿元") == Decimal("0.12345678")
    assert conversion("k firms", "firms") == 1000
    assert conversion("个", "家") is None


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
    ({"a": figure_file(extra='parts = ["b"]\n'),
      "b": 'title = "m"\nkind = "milestone"\nstart = 2023-01-01\ndue = 2023-12-31\n'}, "is a milestone"),
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


def test_plans_summarise_each_folder(tmp_path):
    write(tmp_path / "p1" / "plan.toml", 'title = "synthetic plan"\nissuer = "office"\ndate = 2023-01-20\n'
                                         'period = "2023"\nsource = "a synthetic report"\n')
    write(tmp_path / "p1" / "done.toml", figure_file(target=5, extra=progress("2023-03-01", 5)))
    write(tmp_path / "p1" / "slow.toml", figure_file(target=100, extra=progress("2023-03-01", 1)))
    write(tmp_path / "p1" / "ok.toml", figure_file(target=100, extra=progress("2023-03-01", 60)))
    write(tmp_path / "p2" / "late.toml", figure_file(target=100, extra=progress("2023-03-01", 20)))
    document = json.loads(run(tmp_path, "plans", "--as-of", "2023-06-30", "--format", "json").stdout,
                          parse_float=Decimal)
    first, second = document["plans"]
    assert (first["group"], first["title"], first["issuer"], first["date"], first["period"], first["source"]) == (
        "p1", "synthetic plan", "office", "2023-01-20", "2023", "a synthetic report")
    assert (first["targets"], first["counts"]["done"], first["counts"]["on-track"], first["counts"]["behind"]) == (
        3, 1, 1, 1)
    assert (first["done_share"], first["on_track_share"]) == (Decimal("33.33"), Decimal("66.67"))
    assert first["worst"] == {"id": "slow", "lag": Decimal("48.59")}
    assert (second["title"], second["worst"]["id"]) == (None, "late")
    early = json.loads(run(tmp_path, "plans", "--as-of", "2022-06-30", "--format", "json").stdout)["plans"]
    assert [plan["worst"] for plan in early] == [None, None]  # nothing under way, so nothing behind
    table = run(tmp_path, "plans", "--as-of", "2023-06-30").stdout
    assert "synthetic plan" in table and "slow" in table and "+48.59 pt" in table


def test_a_bad_plan_file_is_reported(tmp_path):
    write(tmp_path / "p1" / "plan.toml", 'title = "x"\ntitel = "y"\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2 and "plan.toml:2: unknown key 'titel'; did you mean 'title'?" in result.stderr


def test_the_shipped_project_book_adds_up_to_the_published_totals():
    workspace = load_workspace(SHIPPED)
    assert workspace.problems == []
    others = {target.id: target for target in workspace.targets}
    projects, investment = others["sz23-projects-started"], others["sz23-projects-investment"]
    assert len(projects.parts) == len(investment.parts) == 12
    assert (projects.target, investment.target) == (Decimal(266), Decimal("3295.3"))
    as_of = date(2023, 12, 31)
    assert current_figure(projects, as_of, others) == 266
    assert current_figure(investment, as_of, others) == Decimal("3295.3")
    assert str(current_figure(investment, as_of, others)) == "3295.3"


def test_the_shipped_city_line_shows_its_twelve_districts_in_the_tree():
    result = run(SHIPPED, "status", "--group", "shenzhen-2023", "--tree", "--as-of", "2023-12-31")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if line.split()[:1] == ["sz23-projects-investment"])
    assert "3,295.3 / 3,295.3 亿元" in lines[start]  # current / target, on the target's one line
    parts = [line.split()[1].rstrip("…") for line in lines[start:] if line.split()[:1] == ["└"]][:12]
    names = ("baoan", "longgang", "longhua", "nanshan", "futian", "guangming", "luohu", "pingshan", "qianhai",
             "shenshan", "yantian", "dapeng")
    assert len(parts) == 12 and all(len(part) >= 12 for part in parts)
    assert parts == [f"sz23-invest-{name}"[:len(part)] for part, name in zip(parts, names)]  # ids cut to fit


def test_every_shipped_folder_has_a_plan():
    plans = load_workspace(SHIPPED).plans
    assert set(plans) == {"shenzhen-2023", "luohu-2024"}
    assert plans["shenzhen-2023"].date == date(2023, 2, 6)


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


def test_units_with_a_space_after_the_scale_convert():
    assert conversion("万 套", "套") == 10000
