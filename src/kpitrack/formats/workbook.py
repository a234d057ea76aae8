"""The ledger (台账) as an Excel workbook: one sheet per plan, numbers as numbers, lights as fills."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.domain.lights import COLOURS
from kpitrack.words.labels import word
from kpitrack.words.display import xml_safe
from kpitrack.domain.model import Plan
from kpitrack.reports.report import Item, ledger

# The office's form: these columns, in this order (编号 and 单位 and 截至日期 make it importable).
LEDGER_COLUMNS = ("number", "id", "title", "owner", "unit", "target", "current", "completion", "planned",
                  "lag", "status", "last_update", "as_of")
WIDTHS = {"number": 6, "id": 30, "title": 48, "owner": 18, "unit": 8, "status": 12}
PERCENT = ("completion", "planned")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would read as a formula (OWASP)


def ledger_workbook(items: list[Item], plans: dict[str, Plan] | None = None, lang: str = "zh") -> bytes:
    """The workbook's bytes. Headers follow `lang` (Chinese by default: the office's form); figures
    are numbers (percentages as fractions with a % format), dates are dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
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
                    cell.number_format = "0.00%"
                elif column == "lag":
                    cell.number_format = "+0.00;-0.00;0.00"
                elif column in ("target", "current"):
                    cell.number_format = "#,##0.##########"
                elif column in ("last_update", "as_of"):
                    cell.number_format = "yyyy-mm-dd"
            fill, ink = COLOURS[row["light"]]
            status = sheet.cell(line, LEDGER_COLUMNS.index("status") + 1)
            status.fill = PatternFill("solid", start_color="FF" + fill[1:].upper(), end_color="FF" + fill[1:].upper())
            status.font = Font(color="FF" + ink[1:].upper(), bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(LEDGER_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 13)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(column: str, row: dict[str, Any], lang: str) -> Any:
    value = row[column]
    if column == "completion" and value is None:  # a growth rate's gap, an indicator's change, or —
        from kpitrack.formats.html import completion_cell

        return None if completion_cell(row, lang) == "—" else completion_cell(row, lang)
    if column == "status":
        return word(value, lang) + (f"（{word('stale', lang)}）" if row["stale"] and lang == "zh" else
                                    f" ({word('stale', lang)})" if row["stale"] else "")
    if isinstance(value, Decimal):
        value = value / 100 if column in PERCENT else value
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date) or value is None or isinstance(value, int):
        return value
    return xml_safe(str(value))


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
