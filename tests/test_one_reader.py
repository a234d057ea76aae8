"""One reader of typed figures at every door (issue 22 item 2; issue 23's figures that are not what
was typed). Synthetic data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import FIRMS, one_error_line, read_toml, run, snapshot, write_target
from kpitrack.domain.parse import parse_date, parse_figure, parse_value

pytestmark = pytest.mark.usefixtures("plain_environment")

PERIOD = ("--start", "2025-01-01", "--due", "2025-12-31")


@pytest.mark.parametrize("typed, unit, written", [
    ("1500亿", "亿元", 1500), ("1500亿元", "亿元", 1500), ("1.8万", "万个", Decimal("1.8")), ("3.5万套", "套", 35000),
])
def test_new_reads_the_target_in_its_unit_as_add_does(tmp_path, typed, unit, written):
    result = run(tmp_path, "new", "d25-gdp", "--title", "synthetic", "--target", typed, "--unit", unit, *PERIOD)
    assert result.exit_code == 0, result.output
    assert read_toml(tmp_path / "d25-gdp.toml")["target"] == written


def test_new_reads_baseline_stretch_target_and_tolerance_in_the_unit(tmp_path):
    result = run(tmp_path, "new", "t", "--title", "synthetic", "--unit", "亿元", "--target", "1500亿元",
                 "--baseline", "1200亿", "--stretch-target", "1600亿元", *PERIOD)
    assert result.exit_code == 0, result.output
    document = read_toml(tmp_path / "t.toml")
    assert (document["target"], document["baseline"], document["stretch_target"]) == (1500, 1200, 1600)


def test_new_refuses_another_unit_naming_the_option(tmp_path):
    result = run(tmp_path, "new", "t", "--title", "synthetic", "--unit", "套", "--target", "2600元", *PERIOD)
    assert result.exit_code == 2
    assert "--target" in result.output and "套" in result.output
    assert not (tmp_path / "t.toml").exists()


@pytest.mark.parametrize("typed", ["10²", "0.5²", "①", "1①", "٣", "१२", "²⁰", "2024"[:0] + "5₀"])
def test_digits_that_are_not_ascii_or_full_width_are_refused(typed):
    with pytest.raises(ValueError, match="not a digit"):
        parse_figure(typed, "家")
    with pytest.raises(ValueError, match="not a digit"):
        parse_value(typed)


def test_full_width_digits_are_still_digits():
    assert parse_figure("１０", "家") == 10


def test_a_unit_with_a_superscript_is_still_its_unit():
    assert parse_figure("100m²", "m²") == 100


@pytest.mark.parametrize("typed", ["2024-0²-01", "２０２４-①-01", "2024年⑥月"])
def test_dates_with_odd_digits_are_refused(typed):
    with pytest.raises(ValueError, match="not a digit"):
        parse_date(typed)


@pytest.mark.parametrize("typed", ["10²", "①"])
def test_add_refuses_a_superscript_and_records_nothing(tmp_path, typed):
    write_target(tmp_path, "firms", FIRMS)
    before = snapshot(tmp_path)
    result = run(tmp_path, "add", "firms", typed, "--date", "2023-06-30")
    assert result.exit_code == 2, result.output
    assert "not a digit" in one_error_line(result)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["add", "fix"])
def test_a_date_past_what_a_file_keeps_is_refused_at_the_door(tmp_path, command):
    write_target(tmp_path, "firms", FIRMS)
    if command == "fix":
        assert run(tmp_path, "add", "firms", "5", "--date", "2023-06-30").exit_code == 0
    before = snapshot(tmp_path)
    arguments = ["add", "firms", "5", "--date", "9999-12-31"] if command == "add" else \
        ["fix", "firms", "6", "--date", "9999-12-31"]
    result = run(tmp_path, *arguments)
    assert result.exit_code == 2, result.output
    assert "2999-12-31" in one_error_line(result)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("row, said", [("firms,2023-06-30,10²", "not a digit"), ("firms,9999-12-31,10", "2999-12-31")])
def test_import_refuses_a_superscript_or_a_date_past_what_a_file_keeps_naming_the_line(tmp_path, row, said):
    write_target(tmp_path, "firms", FIRMS)
    before = snapshot(tmp_path)
    (tmp_path.parent / "in.csv").write_text(f"id,date,value\n{row}\n", encoding="utf-8")
    result = run(tmp_path, "import", str(tmp_path.parent / "in.csv"))
    assert result.exit_code == 2, result.output
    assert said in result.output and "in.csv:2:" in result.output
    assert snapshot(tmp_path) == before
