"""import of workbooks and of the CSV files Chinese Excel writes: Chinese headers, GBK with a stray
byte-order mark, UTF-16 "Unicode 文本", Excel dates, figures as text; and the ledger round trip.
All targets and figures here are synthetic."""

import json
from datetime import datetime
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

runner = CliRunner()


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def entries(root, target_id):
    shown = json.loads(run(root, "show", target_id, "--format", "json").stdout, parse_float=Decimal)
    return [(entry["date"], entry["value"], entry["total"], entry["note"]) for entry in shown["entries"]]


@pytest.fixture
def workspace(tmp_path):
    """Synthetic: two cumulative targets, a milestone and a parent summing two parts, in one plan."""
    root = tmp_path / "ws"
    write(root / "plan" / "firms.toml", TARGET_TOML + "\n[[progress]]\ndate = 2023-05-31\nvalue = 300\ntotal = true\n")
    write(root / "plan" / "parks.toml", TARGET_TOML.replace("synthetic: new firms", "synthetic: 新建公园")
          .replace("target = 1200", "target = 40000"))
    write(root / "plan" / "bridge.toml", 'title = "synthetic: bridge open"\nkind = "milestone"\n'
          "start = 2023-01-01\ndue = 2023-12-31\n")
    write(root / "plan" / "all.toml", TARGET_TOML.replace("synthetic: new firms", "synthetic: all") +
          'parts = ["east", "west"]\n')
    for part in ("east", "west"):
        write(root / "plan" / f"{part}.toml", TARGET_TOML.replace("target = 1200", "target = 600")
              .replace("synthetic: new firms", f"synthetic: {part}"))
    return root


def test_a_gbk_csv_with_chinese_headers_and_titles_for_ids(workspace, tmp_path):
    gbk = tmp_path / "进度.csv"
    gbk.write_bytes("指标,日期,数值,备注\r\nsynthetic: 新建公园,2023/7/31,1.2万,七月\r\nfirms,2023-07-31,50,\r\n"
                    .encode("gbk"))
    result = run(workspace, "import", str(gbk))
    assert result.exit_code == 0, result.output
    assert result.stdout == "added 2 entries to 2 targets; 0 rows already recorded, skipped (read as gbk)\n"
    assert entries(workspace, "parks") == [("2023-07-31", 12000, False, "七月")]


def test_a_gbk_csv_behind_a_stray_utf8_mark(workspace, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_bytes(b"\xef\xbb\xbf" + "id,date,value,note\r\nfirms,2023-07-31,50,七月快报\r\n".encode("gbk"))
    result = run(workspace, "import", str(odd))
    assert result.exit_code == 0, result.output
    assert entries(workspace, "firms")[-1] == ("2023-07-31", 50, False, "七月快报")


@pytest.mark.parametrize("option", [[], ["--encoding", "utf-16"]])
def test_excels_unicode_text_utf16_tab_separated(workspace, tmp_path, option):
    unicode_text = tmp_path / "台账.txt"
    unicode_text.write_bytes("编号\t截至日期\t累计完成\t备注\r\nfirms\t2023-07-31\t\"1,500\"\t七月\r\n".encode("utf-16"))
    result = run(workspace, "import", str(unicode_text), *option)
    assert result.exit_code == 0, result.output
    assert entries(workspace, "firms")[-1] == ("2023-07-31", 1500, True, "七月")  # 累计完成: a running total


def test_the_ledger_round_trip_records_the_new_figures_and_nothing_else(workspace, tmp_path):
    from openpyxl import load_workbook

    ledger = tmp_path / "台账.xlsx"
    assert run(workspace, "report", "--as-of", "2023-07-31", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    book = load_workbook(ledger)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    rows = {sheet.cell(line, column["编号"]).value: line for line in range(2, sheet.max_row + 1)}
    assert sheet.cell(rows["firms"], column["累计完成"]).value == 300
    sheet.cell(rows["parks"], column["累计完成"]).value = 5000  # a unit fills in its column
    sheet.cell(rows["east"], column["累计完成"]).value = "120"
    book.save(ledger)
    before = entries(workspace, "firms")
    result = run(workspace, "import", str(ledger))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("added 2 entries to 2 targets; ")
    assert entries(workspace, "parks") == [("2023-07-31", 5000, True, None)]
    assert entries(workspace, "east") == [("2023-07-31", 120, True, None)]
    assert entries(workspace, "firms") == before  # unchanged figure: skipped
    assert entries(workspace, "all") == [] and entries(workspace, "bridge") == []  # parent, milestone
    assert run(workspace, "import", str(ledger)).stdout.startswith("added 0 entries")


def test_a_real_looking_workbook_with_a_merged_title_row_and_a_chosen_sheet(workspace, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "说明"
    cover["A1"] = "请填写第二页"
    sheet = book.create_sheet("6月")
    sheet.merge_cells("A1:E1")
    sheet["A1"] = "罗湖区2023年重点指标完成情况台账（合成测试数据）"
    sheet.append(["序号", "指标", "截至日期", "完成值", "备注"])
    sheet.append([1, "synthetic: 新建公园", datetime(2023, 6, 30), "1.2万", "半年"])
    sheet.append([2, "firms", 45138, 40, None])  # 45138: Excel's day number of 2023-07-31
    sheet.append([None, None, None, None, None])
    path = tmp_path / "罗湖区2023年重点指标台账（6月）.xlsx"
    book.save(path)
    result = run(workspace, "import", str(path))  # the cover sheet is first: the ledger's is found by its header
    assert result.exit_code == 0, result.output
    assert entries(workspace, "parks") == [("2023-06-30", 12000, False, "半年")]
    assert entries(workspace, "firms")[-1] == ("2023-07-31", 40, False, None)
    chosen = run(workspace, "import", str(path), "--sheet", "6月")
    assert chosen.exit_code == 0 and chosen.stdout.startswith("added 0 entries"), chosen.output
    cover_only = run(workspace, "import", str(path), "--sheet", "说明")
    assert cover_only.exit_code == 2 and "must name the columns" in cover_only.stderr
    wrong = run(workspace, "import", str(path), "--sheet", "6 月")
    assert wrong.exit_code == 2 and "no sheet '6 月'" in wrong.stderr


def test_a_bad_workbook_row_names_its_sheet_row_and_nothing_is_written(workspace, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["编号", "日期", "数值"])
    book.active.append(["firms", "2023-07-31", 10])
    book.active.append(["firms", "2023-02-30", 10])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    result = run(workspace, "import", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"{path}:3: date: '2023-02-30' is not a calendar date")
    assert entries(workspace, "firms") == [("2023-05-31", 300, True, None)]


def test_not_a_workbook_is_one_line(workspace, tmp_path):
    path = write(tmp_path / "fake.xlsx", "id,date,value\n")
    result = run(workspace, "import", str(path))
    assert result.exit_code == 2 and "not a workbook" in result.stderr and "Traceback" not in result.output


def test_the_english_ledger_imports_too(workspace, tmp_path):
    from openpyxl import load_workbook

    ledger = tmp_path / "ledger.xlsx"
    assert run(workspace, "report", "--as-of", "2023-07-31", "--format", "xlsx", "--lang", "en",
               "--out", str(ledger)).exit_code == 0
    book = load_workbook(ledger)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    line = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[header.index("ID")].value == "parks")
    sheet.cell(line, header.index("Completed to date") + 1).value = 7000
    book.save(ledger)
    result = run(workspace, "import", str(ledger))
    assert result.exit_code == 0, result.output
    assert entries(workspace, "parks") == [("2023-07-31", 7000, True, None)]


def test_a_formula_whose_value_was_never_saved_is_refused_not_lost(workspace, tmp_path):
    """A unit types =1+1 (or a program writes a formula) in a figure's cell: openpyxl keeps no value
    for it, and the row was read as blank, skipped in silence. It is refused, naming its row, as a
    CSV's =1+1 is; nothing is written. Synthetic."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["编号", "截至日期", "累计完成"])
    book.active.append(["firms", "2023-06-30", "=1+1"])
    book.save(tmp_path / "filled.xlsx")
    before = (workspace / "plan" / "firms.toml").read_bytes()
    result = run(workspace, "import", str(tmp_path / "filled.xlsx"))
    assert result.exit_code == 2, result.output
    assert "filled.xlsx:2" in result.output and "=1+1" in result.output
    assert (workspace / "plan" / "firms.toml").read_bytes() == before
