"""The ledger (台账) as an Excel workbook: one sheet per plan, numbers as numbers, lights as fills."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.domain.lights import COLOURS
from kpitrack.words.labels import period_words, word
from kpitrack.words.display import printed_decimals as PRINTED_DECIMALS, xml_safe
from kpitrack.domain.model import Plan, Status
from kpitrack.reports.pace import status_label
from kpitrack.reports.ledger import ledger
from kpitrack.reports.report import Item

# The office's form: these columns, in this order (编号 and 单位 and 截至日期 make it importable).
LEDGER_COLUMNS = ("number", "id", "title", "owner", "co_owners", "unit", "target", "fill", "period", "current",
                  "reading", "as_of", "note", "completion", "planned", "lag", "status", "last_update")
WIDTHS = {"number": 6, "id": 30, "title": 48, "owner": 18, "co_owners": 18, "unit": 8, "status": 12, "fill": 30,
          "note": 24}
PERCENT = ("completion", "planned")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would read as a formula (OWASP)
# The cells a unit fills in (this period's running total and the date it is for): highlighted and
# unlocked; the rest of the sheet is protected (no password) so computed columns are not overwritten.
FILL_IN = ("as_of", "note")  # and the row's figure: current (累计完成) or reading (读数), as `fill` says
FIGURE_CELL = {"running": "current", "reading": "reading", "done": "reading"}
FILL_IN_COLOUR = "FFFFF2CC"
INSTRUCTIONS = {
    "zh": ("填报说明", [
        "填报说明",
        "1. 只需填写黄色底色的单元格，每行按“填报内容”列填写：累计型指标在“累计完成”填截至日的累计完成数，增速和水平类指标在“读数”填截至日的读数（增速填百分数的数字，如 5.9），项目类指标完成后在“读数”填“已完成”；数字不带单位。“截至日期”填该数据的截至日期，应在“本期”之内（如本期为2025年7月，填 2025-07-31）；“备注”可填说明。",
        "2. 其他列（目标值、完成率、序时进度、进度差、状态等）由系统计算，工作表已保护，无需也无法修改。",
        "3. 未取得新数据的指标请保持原样，不要填 0：空白表示未报送。",
        "4. 不要增删行列、不要改动表头和工作表名称。",
        "5. 填好后保存为 .xlsx 文件，原名发回；收到后由绩效办用 kpitrack import 文件名 导入核对。",
    ]),
    "en": ("How to fill in", [
        "How to fill in this ledger",
        "1. Fill in only the yellow cells, each row as its \"What to fill in\" says: a cumulative target's running "
        "total in \"Completed to date\", a growth rate's or a level's reading in \"Reading\" (a rate as a number: "
        "5.9), done in \"Reading\" once a milestone is; numbers without their unit. \"As of\" takes the date the "
        "figure is for, within \"This period\" (2025-07-31 for 2025-07); \"Note\" what you want to add.",
        "2. The other columns (target value, completion, time-elapsed progress, gap, status) are computed; "
        "the sheet is protected so they cannot be overwritten.",
        "3. Leave a target without a new figure as it is; do not write 0: a blank means not reported.",
        "4. Do not add or remove rows or columns, and do not change the header or the sheet's name.",
        "5. Save it as .xlsx and send it back under its name; it is read with kpitrack import FILE.",
    ]),
}


def ledger_workbook(items: list[Item], plans: dict[str, Plan] | None = None, lang: str = "zh") -> bytes:
    """The workbook's bytes. Headers follow `lang` (Chinese by default: the office's form); figures
    are numbers (percentages as fractions with a % format), dates are dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet_data in ledger(items, plans) or [{"group": "", "rows": []}]:
        sheet = book.create_sheet(_sheet_name(sheet_data["group"] or word("ledger", lang), used))
        sheet.append([word(column, lang) for column in LEDGER_COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in sheet_data["rows"]:
            sheet.append([_cell(column, row, lang) for column in LEDGER_COLUMNS])
            line = sheet.max_row
            for index, column in enumerate(LEDGER_COLUMNS, 1):
                cell = sheet.cell(line, index)
                if isinstance(cell.value, str):  # user text is text, never a formula (=HYPERLINK(...)),
                    cell.data_type = "s"  # and stays text when someone edits the cell (Excel's ' prefix)
                    if cell.value[:1] in FORMULA_STARTS:
                        cell.quotePrefix = True
                if column in PERCENT:
                    cell.number_format = "0." + "0" * PRINTED_DECIMALS() + "%"  # kpitrack.toml `decimals`
                elif column == "lag":
                    cell.number_format = "+{0};-{0};{0}".format("0." + "0" * PRINTED_DECIMALS())
                elif column in ("target", "current", "reading"):
                    cell.number_format = _figure_format(cell.value)
                elif column in ("last_update", "as_of"):
                    cell.number_format = "yyyy-mm-dd"
                if column in FILL_IN or column == FIGURE_CELL.get(row["fill"]):
                    cell.fill = PatternFill("solid", start_color=FILL_IN_COLOUR, end_color=FILL_IN_COLOUR)
                    cell.protection = Protection(locked=False)
            fill, ink = COLOURS[row["light"]]
            status = sheet.cell(line, LEDGER_COLUMNS.index("status") + 1)
            status.fill = PatternFill("solid", start_color="FF" + fill[1:].upper(), end_color="FF" + fill[1:].upper())
            status.font = Font(color="FF" + ink[1:].upper(), bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(LEDGER_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 13)
        _print_setup(sheet)
    _instructions(book, lang, used)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(column: str, row: dict[str, Any], lang: str) -> Any:
    if column in ("current", "reading"):  # 累计完成 for a running total, 读数 for a reading
        value = row["current"] if column == FIGURE_CELL.get(row["fill"], "current") else None  # a parent's sum: 累计完成
        return None if value is None else _cell("target", {"target": value}, lang)
    value = row[column]
    if column == "completion" and value is None:  # a growth rate's gap, an indicator's change, or —
        from kpitrack.formats.html import completion_cell

        return None if completion_cell(row, lang) == "—" else completion_cell(row, lang)
    if column == "fill":
        return word("fill_" + value, lang)
    if column == "period":
        return period_words(value, lang)
    if column == "status":
        return status_label(Status(value), row["pace"], lang) + (f"（{word('stale', lang)}）" if row["stale"] and lang == "zh" else
                                    f" ({word('stale', lang)})" if row["stale"] else "")
    if isinstance(value, Decimal):
        value = value / 100 if column in PERCENT else value
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date) or value is None or isinstance(value, int):
        return value
    return xml_safe(str(value))


def _figure_format(value: Any) -> str:
    """Thousands and exactly the value's decimals: `#,##0.##` would show 20 as `20.` in Excel."""
    if not isinstance(value, float):
        return "#,##0"
    decimals = len(repr(value).partition(".")[2]) if "e" not in repr(value) else 0
    return "#,##0." + "0" * decimals if decimals else "#,##0"


def _print_setup(sheet) -> None:
    """A4 landscape, one page wide (as many down as it takes), the header row on every page; the
    sheet protected without a password (the fill-in cells are unlocked)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "&P / &N"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widths may still be changed


def _instructions(book, lang: str, used: set[str]) -> None:
    """The last sheet, 填报说明: how to fill the ledger in and send it back. The importer reads the
    first sheet (or --sheet), so this one is never taken for figures."""
    from openpyxl.styles import Alignment, Font

    title, lines = INSTRUCTIONS["zh" if lang == "zh" else "en"]
    sheet = book.create_sheet(_sheet_name(title, used))
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", "-", xml_safe(name))[:31] or "sheet"
    candidate, count = base, 2
    while candidate.lower() in used:
        candidate = f"{base[:28]}-{count}"
        count += 1
    used.add(candidate.lower())
    return candidate


def ledger_workbook_of(report, lang: str) -> bytes:
    return ledger_workbook(list(report.items), report.plans, lang)


def unit_ledgers(items: list[Item], plans: dict[str, Plan], lang: str) -> list[tuple[str, str, bytes]]:
    """One ledger per responsible unit (report --by owner --out DIR): (unit, file name, bytes),
    each holding only the targets that unit leads or co-reports among `items`."""
    from kpitrack.reports.ledger import by_unit

    return [(unit, name, ledger_workbook(members, plans, lang)) for unit, name, members in by_unit(items)]
