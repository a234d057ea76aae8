"""show ID --format html|svg: one target's page and its burn-up chart, drawn by matplotlib."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from typer.testing import CliRunner

from kpitrack.cli import app

ROOT = Path(__file__).parents[1]


def run(*args):
    return CliRunner().invoke(app, ["--dir", str(ROOT / "targets"), *args])


def test_show_svg_is_a_chart_with_named_fonts_and_nothing_fetched():
    result = run("show", "sz23-affordable-housing", "--as-of", "2024-06-30", "--format", "svg")
    assert result.exit_code == 0, result.output
    root = ElementTree.fromstring(result.stdout)
    text = "".join(root.itertext())
    assert "建设筹集保障性住房" in text and "2024-06-30" in text and "actual" in text and "plan" in text
    assert "Noto Sans CJK SC" in result.stdout and "Microsoft YaHei" in result.stdout
    assert "@import" not in result.stdout and "url(http" not in result.stdout and "<script" not in result.stdout
    assert result.stdout == run("show", "sz23-affordable-housing", "--as-of", "2024-06-30", "--format", "svg").stdout


def test_show_html_is_a_page_with_the_chart_and_every_entry():
    result = run("show", "sz23-affordable-housing", "--as-of", "2024-06-30", "--format", "html", "--lang", "zh")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert page.count("<svg") == 1 and "报送记录" in page and "累计完成" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_a_milestone_has_no_svg_chart_and_says_so():
    result = run("show", "lh24-buji-south-ring-road", "--as-of", "2024-06-30", "--format", "svg")
    assert result.exit_code == 2 and "milestone" in result.stderr
