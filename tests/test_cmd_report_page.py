"""report --format html|svg: a self-contained page (template shipped as package data) and a chart."""

import re
import xml.etree.ElementTree as ElementTree
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitrack.cli import app

ROOT = Path(__file__).parents[1]


def run(*args):
    result = CliRunner().invoke(app, ["--dir", str(ROOT / "targets"), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def page():
    return run("report", "--as-of", "2023-12-31", "--format", "html", "--lang", "zh", "--group", "shenzhen-2023")


def test_the_template_is_package_data():
    assert (resources.files("kpitrack") / "templates" / "page.html.j2").is_file()


@pytest.mark.slow
def test_the_page_fetches_nothing_and_runs_nothing(page):
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""(src|href)=["']?https?:""", page) and not re.search(r"url\((?!#)", page)


def test_every_id_on_the_page_is_its_own(page):
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert page.count("<svg") >= 2 and len(ids) == len(set(ids))  # many charts inline, no id twice


def test_the_page_prints_on_a4_with_repeating_headers_and_has_cjk_fonts(page):
    assert "@page { size: A4" in page and "thead { display: table-header-group; }" in page
    assert "break-inside: avoid" in page
    for font in ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"):
        assert font in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_the_chinese_page_has_the_ledgers_words_and_one_plan(page):
    assert '<html lang="zh-CN">' in page
    for words in ("序号", "指标", "责任单位", "目标值", "累计完成", "完成率", "序时进度", "进度差", "状态", "需要关注"):
        assert f">{words}<" in page
    assert page.count('<section class="plan"') == 1 and "luohu-2024" not in page


def test_report_svg_is_one_panel_per_plan_or_the_one_asked_for():
    both = ElementTree.fromstring(run("report", "--as-of", "2024-06-30", "--format", "svg"))
    texts = "".join(both.itertext())
    assert "luohu-2024 — " in texts and "shenzhen-2023 — " in texts
    one = "".join(ElementTree.fromstring(run("report", "--as-of", "2024-06-30", "--format", "svg", "--lang", "zh",
                                             "--group", "luohu-2024")).itertext())
    assert "luohu-2024 — " in one and "shenzhen-2023" not in one and "完成率与序时进度（%）" in one
