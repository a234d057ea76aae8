"""report --format xlsx: the ledger (台账) read back cell by cell against status --format json."""

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitrack.cli import app

ROOT = Path(__file__).parents[1]
HEADERS_ZH = ["序号", "编号", "指标", "责任单位", "配合单位", "单位", "目标值", "填报内容", "本期", "累计完成", "读数",
              "截至日期", "备注", "完成率", "序时进度", "进度差", "状态", "更新日期"]
STATUS_ZH = {"done": "已完成", "on-track": "达到序时进度", "at-risk": "滞后", "behind": "严重滞后",
             "overdue": "逾期未完成", "not-started": "未开始", "no-data": "未报送", "tracked": "跟踪监测"}
VERDICT_ZH = {"done-early": "提前完成", "on-time": "按时完成", "done-late": "逾期完成", "missed": "未完成",
              "not-reported": "未报送"}
FILLS = {"done": "C6EFCE", "on-track": "C6EFCE", "at-risk": "FFEB9C", "behind": "FFC7CE", "overdue": "FFC7CE",
         "not-started": "E7E6E6", "no-data": "E7E6E6", "tracked": "E7E6E6"}


def run(*args):
    return CliRunner().invoke(app, ["--dir", str(ROOT / "targets"), *args])


def as_decimal(value):
    return None if value is None else Decimal(str(value))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    from openpyxl import load_workbook

    out = tmp_path_factory.mktemp("ledger") / "台账.xlsx"
    result = run("report", "--as-of", "2024-06-30", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    return load_workbook(out)


def test_one_sheet_per_plan_with_the_chinese_header_frozen_and_sized(ledger):
    assert ledger.sheetnames == ["luohu-2024", "shenzhen-2023", "填报说明"]
    for sheet in ledger.worksheets[:-1]:
        assert [cell.value for cell in sheet[1]] == HEADERS_ZH
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["C"].width == 48  # 指标: room for the pledge's words


def test_every_cell_agrees_with_status_json(ledger):
    status = json.loads(run("status", "--as-of", "2024-06-30", "--format", "json", "--all").stdout,
                        parse_float=Decimal)["targets"]
    rows = [row for sheet in ledger.worksheets[:-1] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(status)
    by_id = {row[1].value: row for row in rows}
    for target in status:
        row = {header: cell for header, cell in zip(HEADERS_ZH, by_id[target["id"]])}
        assert row["指标"].value == target["title"]
        if target["kind"] == "milestone" or target["target"] is None:  # a milestone, an indicator
            assert row["目标值"].value is None
        else:
            assert as_decimal(row["目标值"].value) == Decimal(str(target["target"]))
            figure, other = ("累计完成", "读数") if target["kind"] == "cumulative" else ("读数", "累计完成")
            assert row[other].value is None  # a running total under 累计完成, a reading under 读数
            if target["last_update"]:
                assert as_decimal(row[figure].value) == Decimal(str(target["current"]))
            else:
                assert row[figure].value is None  # nothing reported is not zero
        if target["gap"] is not None:  # a growth rate: its gap in points, as the terminal gives it
            assert row["完成率"].value == f"{Decimal(str(target['gap'])):+}个百分点"
        elif target["change"] is not None:  # an indicator: its change since the reading before
            assert row["完成率"].value == f"Δ{Decimal(str(target['change'])):+}"
        elif target["completion"] is None:  # no data (未报送): no completion
            assert row["完成率"].value is None
        else:
            assert isinstance(row["完成率"].value, (int, float))  # a number, not text
            assert as_decimal(row["完成率"].value) == Decimal(str(target["completion"])) / 100
            assert row["完成率"].number_format == "0.00%"
        planned = row["序时进度"].value
        assert (planned is None) == (target["planned"] is None)
        if planned is not None:
            assert as_decimal(planned) == Decimal(str(target["planned"])) / 100
            if target["lag"] is None:  # no figure reported: no gap to the plan
                assert row["进度差"].value is None
            else:
                assert as_decimal(row["进度差"].value) == -Decimal(str(target["lag"]))  # 进度差: completion − plan
        pace = {"ahead": "超进度", "at": "达进度", "behind": "欠进度", None: ""}[target["pace_class"]]
        worded = pace if target["status"] == "on-track" and pace else STATUS_ZH[target["status"]]
        if (target["exceeded_points"] or 0) > 0:  # ended: how, as the terminal words it
            worded = "超额完成"
        elif target["verdict"]:
            worded = VERDICT_ZH[target["verdict"]]
        elif target["status"] == "done" and target["last_update"] < target["due"]:
            worded = "提前完成"
        assert worded in row["状态"].value and pace in row["状态"].value, row["状态"].value  # 绿灯 欠进度
        assert row["状态"].fill.fgColor.rgb.endswith(FILLS[target["status"]])
        updated = row["更新日期"].value
        assert (updated.date().isoformat() if updated else None) == target["last_update"]
        assert row["截至日期"].value == datetime(2024, 6, 30)


def test_english_headers_behind_lang_en(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "ledger.xlsx"
    assert run("report", "--as-of", "2024-06-30", "--format", "xlsx", "--lang", "en", "--out", str(out)).exit_code == 0
    header = [cell.value for cell in load_workbook(out).worksheets[0][1]]
    assert header[:3] == ["No.", "ID", "Target"] and header[9:11] == ["Completed to date", "Reading"]


def test_binary_formats_need_out_and_write_nothing_to_stdout():
    result = run("report", "--as-of", "2024-06-30", "--format", "xlsx")
    assert result.exit_code == 2
    assert "add --out FILE.xlsx" in result.stderr and result.stdout == ""


@pytest.mark.slow
def test_docx_holds_the_summary_the_ledger_tables_and_the_charts(tmp_path):
    from docx import Document

    out = tmp_path / "report.docx"
    result = run("report", "--as-of", "2024-06-30", "--format", "docx", "--lang", "zh", "--out", str(out))
    assert result.exit_code == 0, result.output
    document = Document(out)
    assert len(document.tables) == 2
    assert [cell.text for cell in document.tables[0].rows[0].cells][:3] == ["序号", "指标", "责任单位"]
    rows = sum(len(table.rows) - 1 for table in document.tables)
    status = json.loads(run("status", "--as-of", "2024-06-30", "--format", "json", "--all").stdout,
                        parse_float=Decimal)["targets"]
    assert rows == len(status)
    assert document.inline_shapes and document.inline_shapes[0].type is not None  # burn-up pictures
    assert "进度报告（截至2024年6月30日）" in document.paragraphs[0].text


def test_the_ledger_prints_on_a4_landscape_one_page_wide_with_its_header_on_every_page(ledger):
    for sheet in ledger.worksheets[:-1]:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)  # as many pages down as it takes
        assert sheet.print_title_rows == "$1:$1"


def test_figures_never_show_a_trailing_point(ledger):
    """Excel shows 20 in `#,##0.##########` as `20.`: each figure's format has exactly its decimals."""
    for sheet in ledger.worksheets[:-1]:
        for row in sheet.iter_rows(min_row=2):
            for cell in (row[HEADERS_ZH.index("目标值")], row[HEADERS_ZH.index("累计完成")]):
                if isinstance(cell.value, int):
                    assert cell.number_format in ("#,##0", "General"), (cell.coordinate, cell.number_format)
                elif isinstance(cell.value, float):
                    assert not cell.number_format.endswith("#"), (cell.coordinate, cell.number_format)


def test_a_unit_fills_the_highlighted_unlocked_cells_and_cannot_overwrite_the_computed_ones(ledger):
    for sheet in ledger.worksheets[:-1]:
        assert sheet.protection.sheet and not sheet.protection.password  # protected, no password to lose
        for row in sheet.iter_rows(min_row=2):
            for header, cell in zip(HEADERS_ZH, row):
                how = row[HEADERS_ZH.index("填报内容")].value
                figure = "累计完成" if "“累计完成”" in how else None if how.startswith("无需") else "读数"
                fills = header in (figure, "截至日期", "备注")
                assert cell.protection.locked is not fills, (cell.coordinate, header)
                assert (cell.fill.fgColor.rgb == "FFFFF2CC") is fills, (cell.coordinate, header)


@pytest.mark.parametrize("lang, words", [("zh", ("累计完成", "截至日期", "kpitrack import")),
                                         ("en", ("Completed to date", "As of", "kpitrack import"))])
def test_the_instructions_sheet_says_how_to_fill_it_and_send_it_back(tmp_path, lang, words):
    from openpyxl import load_workbook

    out = tmp_path / "ledger.xlsx"
    assert run("report", "--as-of", "2024-06-30", "--format", "xlsx", "--lang", lang, "--out", str(out)).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames[-1] == ("填报说明" if lang == "zh" else "How to fill in")
    text = "\n".join(str(cell.value) for row in book.worksheets[-1].iter_rows() for cell in row if cell.value)
    for expected in words:
        assert expected in text


def test_docx_is_in_the_house_style_with_widths_by_content_page_numbers_and_real_properties(tmp_path):
    """公文 fonts for East Asian text (仿宋 body, 黑体 headings, 宋体 tables), 三号 body; the 指标
    column wider than the numbers; PAGE in the footer, the as-of date in the header; an author and
    the day it is made as created (not python-docx's author and 2013)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    out = tmp_path / "report.docx"
    assert run("report", "--as-of", "2024-06-30", "--format", "docx", "--lang", "zh", "--out", str(out)).exit_code == 0
    document = Document(out)

    def east_asian(style):
        return style.element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asian(document.styles["Normal"]).startswith("仿宋")
    assert document.styles["Normal"].font.size == Pt(16)
    for level in (1, 2, 3):
        assert east_asian(document.styles[f"Heading {level}"]) == "黑体"
    assert document.styles["Heading 1"].font.color.rgb is None or str(document.styles["Heading 1"].font.color.rgb) == "000000"
    table = document.tables[0]
    assert "宋体" in table._tbl.xml
    widths = [cell.width for cell in table.rows[0].cells]
    assert len(set(widths)) > 2 and widths[1] == max(widths)  # 指标 the widest, not ten equal columns
    section = document.sections[0]
    assert "PAGE" in section.footer._element.xml
    assert "截至：2024年6月30日" in "".join(paragraph.text for paragraph in section.header.paragraphs)
    properties = document.core_properties
    assert properties.author == "kpitrack"  # the shipped workspace names no office
    assert properties.created.year >= 2025


def test_the_word_documents_author_is_the_workspaces_office(tmp_path):
    """`office = "..."` in kpitrack.toml is the Word document's author (issue 25, item 4)."""
    from docx import Document

    from helpers import run as run_in, write_target

    write_target(tmp_path, "firms", 'title = "firms"\nstart = 2024-01-01\ndue = 2024-12-31\ntarget = 10\n')
    (tmp_path / "kpitrack.toml").write_text('office = "罗湖区发展和改革局"\n', encoding="utf-8")
    out = tmp_path / "report.docx"
    result = run_in(tmp_path, "report", "--as-of", "2024-06-30", "--format", "docx", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert Document(out).core_properties.author == "罗湖区发展和改革局"


@pytest.mark.parametrize("text", ["plain", " spaced ", "a\tb", "two\nlines", "cr\rhere", "&<>\"'", "", "\u3000全角\u3000"])
def test_the_documents_runs_are_written_as_python_docx_writes_them(text):
    """The Word document's body is written as text (formats/docx_report.py: python-docx element by
    element took most of a minute on 1,000 rows): its runs as python-docx's own, tabs, breaks and
    kept spaces alike."""
    from docx import Document
    from lxml import etree

    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml
    from kpitrack.formats.docx_report import _run

    paragraph = Document().add_paragraph()
    paragraph.add_run(text)
    ours = parse_xml(f"<w:p {nsdecls('w')}>{_run(text)}</w:p>")
    def canonical(element):
        return etree.tostring(element, method="c14n", exclusive=True)

    assert canonical(ours[0]) == canonical(paragraph._p[0])


def test_the_documents_body_written_as_text_is_the_xml_python_docx_writes(tmp_path):
    """word/document.xml, written as text (formats/docx_report._Body), is what python-docx itself
    serializes from it: read back and written again, the same bytes (the tables, headings, bullets
    and pictures alike)."""
    import zipfile

    from docx import Document
    from docx.opc.oxml import serialize_part_xml

    out = tmp_path / "report.docx"
    result = run("report", "--as-of", "2024-06-30", "--format", "docx", "--by", "owner", "--since", "2024-01-01",
                 "--missing", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = zipfile.ZipFile(out).read("word/document.xml")
    document = Document(out)
    assert serialize_part_xml(document.part.element) == written
    assert len(document.tables) == 2 and document.inline_shapes


def xml_parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts but docProps/ (which holds the time it was written)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if not name.startswith("docProps/")}


ODD_TITLES = ["=HYPERLINK(\"x\")", " leading and trailing ", "a & b < c > d \"quoted\" 'single'", "emoji 😀 and 中文",
              "-minus", "@at", "+plus", "tab\there"]


def ledgers_both_ways(root, monkeypatch, lang: str, as_of):
    """The ledger of the workspace at `root` with its rows written as XML text and made of
    openpyxl cells, and whether each plan's rows were written as text (or left to the cells)."""
    from kpitrack.files.workspace import load_workspace
    from kpitrack.formats import workbook
    from kpitrack.reports.build import build_report

    report = build_report(load_workspace(root), as_of)
    calls: list = []
    original = workbook._rows_xml

    def spy(*arguments):
        try:
            rows = original(*arguments)
        except workbook._Unusual:
            calls.append(False)
            raise
        calls.append(True)
        return rows

    monkeypatch.setattr(workbook, "_rows_xml", spy)
    fast = workbook.ledger_workbook(list(report.items), report.plans, lang)
    return fast, workbook.ledger_workbook(list(report.items), report.plans, lang, cells=True), calls


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rows_written_as_xml_are_the_rows_openpyxl_writes(lang, monkeypatch):
    """formats.workbook writes the plans' rows as XML text into the sheets openpyxl writes (five
    times as fast): the very bytes openpyxl writes for rows made of its cells, in every part (the
    sheets, the styles and their order) but the time stamps; every shipped plan's rows as text."""
    from datetime import date

    fast, cells, calls = ledgers_both_ways(ROOT / "targets", monkeypatch, lang, date(2024, 6, 30))
    assert xml_parts(fast) == xml_parts(cells)
    assert calls and all(calls)


def test_odd_text_in_the_ledger_is_written_as_openpyxl_writes_it(tmp_path, monkeypatch):
    """Formula starts, spaces kept, XML's own characters, characters beyond ASCII, a figure's
    format numbered before the dates' (openpyxl numbers a date's as the row is added); a tab is
    left to openpyxl's cells (the whole ledger then made of them)."""
    from datetime import date

    from helpers import TARGET_TOML, progress, write

    for number, title in enumerate(ODD_TITLES):
        toml = TARGET_TOML.replace('title = "synthetic: new firms"', f"title = {json.dumps(title, ensure_ascii=False)}")
        write(tmp_path / ("odd" if title != "tab\there" else "tab") / f"t{number}.toml",
              toml + f'owner = {json.dumps(title, ensure_ascii=False)}\n' + progress("2023-03-31", f"{100 + number}.5"))
    fast, cells, calls = ledgers_both_ways(tmp_path, monkeypatch, "zh", date(2023, 6, 30))
    assert xml_parts(fast) == xml_parts(cells)
    assert calls == [True, False]  # the plan with the tab is written by openpyxl's cells: the whole book then
    (tmp_path / "tab" / "t7.toml").unlink()
    fast, cells, calls = ledgers_both_ways(tmp_path, monkeypatch, "en", date(2023, 6, 30))
    assert xml_parts(fast) == xml_parts(cells) and calls == [True]


def test_a_sheet_with_a_stretch_column_is_written_as_openpyxl_writes_it(tmp_path, monkeypatch):
    """A sheet holding a 确保X、力争Y pledge has a column more (力争目标完成率): its rows as text are
    still the bytes openpyxl writes, its dimension reaching that column; a sheet without keeps its 18."""
    from datetime import date

    from helpers import TARGET_TOML, progress, write

    write(tmp_path / "a" / "s.toml", TARGET_TOML + "stretch_target = 1500\n" + progress("2023-03-31", 300))
    write(tmp_path / "b" / "t.toml", TARGET_TOML + progress("2023-03-31", 300))
    fast, cells, calls = ledgers_both_ways(tmp_path, monkeypatch, "zh", date(2023, 6, 30))
    assert xml_parts(fast) == xml_parts(cells) and calls == [True, True]
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(fast))
    assert book["a"].max_column == book["b"].max_column + 1 and "力争目标完成率" in [c.value for c in book["a"][1]]
