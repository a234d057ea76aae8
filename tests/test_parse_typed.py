"""Figures, dates and names as people type them (issue 18)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app
from kpitrack.domain.parse import parse_date, parse_figure


@pytest.mark.parametrize("typed, unit, figure", [
    ("194.7亿", "亿元", "194.7"), ("194.7亿元", "亿元", "194.7"), ("194.7", "亿元", "194.7"),
    ("１９４．７", "亿元", "194.7"), ("2600套", "套", "2600"), ("3.5万套", "套", "35000"),
    ("4.1%", "%", "4.1"), ("1.8万", "万个", "1.8"), ("18.5万", "家", "185000"), ("36421万元", "亿元", "3.6421"),
    ("1,200", "家", "1200"), ("１，２００", "家", "1200"),
])
def test_a_figure_in_the_targets_unit_or_scale(typed, unit, figure):
    assert parse_figure(typed, unit) == Decimal(figure)


def test_another_unit_is_refused_naming_the_expected_one():
    with pytest.raises(ValueError, match="write the figure in 套"):
        parse_figure("2600元", "套")


@pytest.mark.parametrize("typed", ["2024-06", "2024年6月", "2024年6月末", "2024Q2", "2024年二季度", "2024年第2季度",
                                   "２０２４-０６-３０"])
def test_a_month_or_quarter_is_its_last_day(typed):
    assert parse_date(typed) == date(2024, 6, 30)


def test_a_thirteenth_month_is_refused():
    with pytest.raises(ValueError):
        parse_date("2024-13")


def test_add_and_import_read_figures_in_the_targets_unit(tmp_path):
    runner = CliRunner()
    path = write(tmp_path / "revenue.toml", TARGET_TOML.replace('"firms"', '"亿元"').replace("1200", "410"))
    result = runner.invoke(app, ["--dir", str(tmp_path), "add", "revenue", "194.7亿元", "--date", "2023年6月"])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith("value = 194.7\ndate = 2023-06-30\n")
    csv = write(tmp_path / "in.csv", "id,date,value\nrevenue,2023-07,10亿\n")
    assert runner.invoke(app, ["--dir", str(tmp_path), "import", str(csv)]).exit_code == 0
    assert path.read_text(encoding="utf-8").endswith("value = 10\ndate = 2023-07-31\n")


def test_a_title_fragment_names_a_target_and_several_matches_are_listed(tmp_path):
    runner = CliRunner()
    write(tmp_path / "a.toml", TARGET_TOML.replace("synthetic: new firms", "新增高新技术企业 (synthetic)"))
    write(tmp_path / "b.toml", TARGET_TOML.replace("synthetic: new firms", "新增专精特新企业 (synthetic)"))
    result = runner.invoke(app, ["--dir", str(tmp_path), "add", "高新技术企业", "95", "--date", "2023-06-30"])
    assert result.exit_code == 0, result.output
    assert "a.toml" in result.stdout
    result = runner.invoke(app, ["--dir", str(tmp_path), "add", "企业", "95", "--date", "2023-06-30"])
    assert result.exit_code == 2 and "a (新增高新技术企业" in result.stderr and "b (新增专精特新企业" in result.stderr


def test_the_base_unit_typed_on_a_scaled_target_is_converted():
    """18000个 on a 万个 target is 1.8 万个, not 18000 万个 (a user's trial found it recorded as 18000)."""
    from kpitrack.domain.parse import parse_figure

    assert parse_figure("18000个", "万个") == Decimal("1.8")
    assert parse_figure("18000 个", "万个") == Decimal("1.8")
    assert parse_figure("1.8万个", "万个") == Decimal("1.8")
    assert parse_figure("1.8", "万个") == Decimal("1.8")
    assert parse_figure("194.7亿元", "亿元") == Decimal("194.7")
    assert parse_figure("2600套", "套") == 2600


@pytest.mark.parametrize("typed, unit, suggested", [
    ("2600元", "亿元", "2600万元 or 2600亿元"), ("2600 元", "亿元", "2600万元 or 2600亿元"),
    ("5万元", "万亿元", "5亿元 or 5万亿元"), ("3个", "亿个", "3万个 or 3亿个"),
])
def test_the_base_unit_on_a_target_counted_in_yi_of_it_is_refused_as_a_slip(typed, unit, suggested):
    """2600元 on a 亿元 target was recorded as 0.000026 亿元 (a new user's trial): a figure 10^8
    times smaller than its target's unit is a slip, refused with the figures the typist meant."""
    with pytest.raises(ValueError, match=f"would be .* {unit}, which no report means: did you mean {suggested}"):
        parse_figure(typed, unit)


@pytest.mark.parametrize("typed, unit, figure", [
    ("36421万元", "亿元", "3.6421"), ("2600千元", "亿元", "0.026"), ("18000个", "万个", "1.8"),
    ("1.2万亿元", "亿元", "12000"), ("2600", "亿元", "2600"), ("5亿元", "万亿元", "0.0005"),
])
def test_a_figure_one_scale_from_its_targets_still_converts(typed, unit, figure):
    assert parse_figure(typed, unit) == Decimal(figure)


def test_add_refuses_yuan_on_a_yi_yuan_target_in_one_line_writing_nothing(tmp_path):
    runner = CliRunner()
    path = write(tmp_path / "revenue.toml", TARGET_TOML.replace('"firms"', '"亿元"').replace("1200", "410"))
    before = path.read_bytes()
    for lang, words in (("en", "did you mean 2600万元 or 2600亿元?"), ("zh", "是否应为 2600万元 或 2600亿元？")):
        result = runner.invoke(app, ["--lang", lang, "--dir", str(tmp_path), "add", "revenue", "2600元",
                                     "--date", "2023-06-30"])
        assert result.exit_code == 2 and words in result.stderr and len(result.stderr.splitlines()) == 1, result.output
    assert path.read_bytes() == before
