"""The ledger (台账) as an Excel workbook: one sheet per plan, numbers as numbers, lights as fills."""

from __future__ import annotations

import io
import re
import sys
from copy import copy
from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.domain.lights import COLOURS
from kpitrack.words.i18n import N_, in_language
from kpitrack.words.labels import period_words, word
from kpitrack.words.display import ESTIMATE_MARK, group_name, number as figure_text, printed_decimals as PRINTED_DECIMALS, xml_safe
from kpitrack.domain.model import Plan
from kpitrack.reports.ledger import ledger, row_status_words
from kpitrack.reports.report import Item

# The office's form: these columns, in this order (编号 and 单位 and 截至日期 make it importable).
LEDGER_COLUMNS = ("number", "id", "title", "owner", "co_owners", "unit", "target", "fill", "period", "current",
                  "reading", "as_of", "note", "completion", "planned", "lag", "status", "last_update")
STRETCH_COLUMN = "stretch_completion"  # 力争目标完成率, after 完成率, on a sheet holding a 确保X、力争Y pledge


def sheet_columns(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """A sheet's columns: LEDGER_COLUMNS, with the stretch completion after the completion when a row
    has a stretch figure (the page and the document show it in the completion's cell)."""
    if not any(row["stretch_target"] is not None for row in rows):
        return LEDGER_COLUMNS
    at = LEDGER_COLUMNS.index("completion") + 1
    return LEDGER_COLUMNS[:at] + (STRETCH_COLUMN,) + LEDGER_COLUMNS[at:]


WIDTHS = {"number": 6, "id": 30, "title": 48, "owner": 18, "co_owners": 18, "unit": 8, "status": 12, "fill": 30,
          "note": 24}
PERCENT = ("completion", "planned", STRETCH_COLUMN)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would read as a formula (OWASP)
# The cells a unit fills in (this period's running total and the date it is for): highlighted and
# unlocked; the rest of the sheet is protected (no password) so computed columns are not overwritten.
FILL_IN = ("as_of", "note")  # and the row's figure: current (累计完成) or reading (读数), as `fill` says
FIGURE_CELL = {"running": "current", "reading": "reading", "done": "reading"}
FILL_IN_COLOUR = "FFFFF2CC"
# The last sheet's words (the catalogue has their Chinese): how to fill the ledger in and send it back.
INSTRUCTIONS_TITLE = N_("How to fill in")
INSTRUCTIONS = (
    N_("How to fill in this ledger"),
    N_("1. Fill in only the yellow cells, each row as its \"What to fill in\" says: a cumulative target's "
       "running total in \"Completed to date\", a growth rate's or a level's reading in \"Reading\" (a rate "
       "as a number: 5.9), done in \"Reading\" once a milestone is (one with nodes: done for the node its "
       "row names, done: and its name for another); numbers without their unit, worded as published if they "
       "are (近60, 超50, 约6.0, 60 (est.)). \"As of\" "
       "takes the date the figure is for, within \"This period\" (2025-07-31 for 2025-07); \"Note\" what "
       "you want to add."),
    N_("2. The other columns (target value, completion, time-elapsed progress, gap, status) are "
       "computed; the sheet is protected so they cannot be overwritten."),
    N_("3. Leave a target without a new figure as it is; do not write 0. A figure sent back as it came counts as "
       "not reported: if it has not changed, say so in \"Note\" (e.g. no change this month), and it is recorded "
       "as it stands, wording and all (近60 stays 近60)."),
    N_("4. Do not add or remove rows or columns, and do not change the header or the sheet's name."),
    N_("5. Save it as .xlsx and send it back under its name; it is read with kpitrack import FILE."),
)


def ledger_workbook(items: list[Item], plans: dict[str, Plan] | None = None, lang: str = "zh",
                    cells: bool = False) -> bytes:
    """The workbook's bytes. Headers follow `lang` (Chinese by default: the office's form); figures
    are numbers (percentages as fractions with a % format), dates are dates.

    openpyxl writes the workbook: its styles, sheets, header rows, protection and print setup. The
    plans' rows are written as the XML openpyxl writes for them (`_rows_xml`: the same bytes, five
    times as fast) into the sheets it wrote, unless a value is one that XML cannot be sure to hold
    as openpyxl does (a line break, a tab, another kind), or with `cells`: then every row is made
    of openpyxl cells, as tests/test_ledger_xlsx.py compares."""
    Workbook, styles = _openpyxl()
    from openpyxl.utils import get_column_letter

    Font, Alignment = styles.Font, styles.Alignment
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    looks: dict[tuple, Any] = {}  # each look's style (StyleArray), made once: see _look
    written: list[tuple[Any, bytes, int, int]] = []  # (sheet, its rows as XML, its last row, its columns)
    for sheet_data in ledger(items, plans) or [{"group": "", "rows": []}]:
        sheet = book.create_sheet(_sheet_name(group_name(sheet_data["group"], lang), used))
        columns = sheet_columns(sheet_data["rows"])
        sheet.append([word(column, lang) for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if cells:
            for line, row in enumerate(sheet_data["rows"], 2):
                sheet.append([_cell(column, row, lang) for column in columns])
                for index, column in enumerate(columns, 1):
                    cell = sheet.cell(line, index)
                    if isinstance(cell.value, str):  # user text is text, never a formula (=HYPERLINK(...)),
                        cell.data_type = "s"  # and stays text when someone edits the cell (Excel's ' prefix)
                    cell._style = copy(_look(looks, styles, sheet, index, column, cell.value, row))
        elif sheet_data["rows"]:
            for cell in sheet[1]:
                cell.style_id  # the header's style numbered first, as openpyxl numbers it when saving
            try:
                written.append((sheet, _rows_xml(book, sheet, sheet_data["rows"], lang, looks, styles, columns),
                                len(sheet_data["rows"]) + 1, len(columns)))
            except _Unusual:
                return ledger_workbook(items, plans, lang, cells=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 13)
        _print_setup(sheet)
    _instructions(book, lang, used)
    buffer = io.BytesIO()
    book.save(buffer)
    if not written:
        return buffer.getvalue()
    return _with_rows(buffer, {sheet.path[1:]: (rows, last, width) for sheet, rows, last, width in written})


def _look(looks: dict[tuple, Any], styles, sheet, index: int, column: str, value: Any, row: dict[str, Any]):
    """The style (openpyxl's StyleArray) of a row's cell: its look (column, formula guard, number
    format, fill-in, light) styled through openpyxl's setters on a cell of `sheet` (not placed in
    it) the first time it comes
    up, then reused: the same styles in the same order, without openpyxl hashing a new Font and
    PatternFill for every cell of 1,000 rows."""
    quoted = isinstance(value, str) and value[:1] in FORMULA_STARTS
    if column in PERCENT:
        number_format = "0." + "0" * PRINTED_DECIMALS() + "%"  # kpitrack.toml `decimals`
    elif column == "lag":
        number_format = "+{0};-{0};{0}".format("0." + "0" * PRINTED_DECIMALS())
    elif column == "target":
        number_format = _figure_format(row["target"], row["target_mark"])
    elif column in ("current", "reading"):
        number_format = _figure_format(row["current"] if column == FIGURE_CELL.get(row["fill"], "current") else None)
    elif column in ("last_update", "as_of"):
        number_format = "yyyy-mm-dd"
    else:
        number_format = None
    filled = column in FILL_IN or column == FIGURE_CELL.get(row["fill"])
    look = (index, quoted, number_format, filled, row["light"] if column == "status" else None)
    if look not in looks:
        from openpyxl.cell import Cell

        scratch = Cell(sheet)
        if quoted:
            scratch.quotePrefix = True
        if number_format is not None:
            scratch.number_format = number_format
        if filled:
            scratch.fill = styles.PatternFill("solid", start_color=FILL_IN_COLOUR, end_color=FILL_IN_COLOUR)
            scratch.protection = styles.Protection(locked=False)
        if column == "status":
            fill, ink = COLOURS[row["light"]]
            scratch.fill = styles.PatternFill("solid", start_color="FF" + fill[1:].upper(),
                                              end_color="FF" + fill[1:].upper())
            scratch.font = styles.Font(color="FF" + ink[1:].upper(), bold=True)
        looks[look] = copy(scratch._style)
    return looks[look]


class _Unusual(Exception):
    """A value `_rows_xml` leaves to openpyxl's cells."""


def _rows_xml(book, sheet, rows: list[dict[str, Any]], lang: str, looks: dict[tuple, Any], styles,
              columns: tuple[str, ...] = LEDGER_COLUMNS) -> bytes:
    """The plans' rows (from row 2) as openpyxl's writer writes their cells (openpyxl.cell._writer):
    inline strings, numbers as "%.16g", dates as Excel's day numbers, empty cells only where
    styled; each look's style numbered when first met, as openpyxl numbers them when saving."""
    from openpyxl.cell import Cell
    from openpyxl.compat import safe_string
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
    numbered: dict[tuple, int | None] = {}
    out = []
    dated = False
    for line, row in enumerate(rows, 2):
        out.append(f'<row r="{line}">')
        values = [_cell(column, row, lang) for column in columns]
        if not dated and date in map(type, values):  # openpyxl gives a cell a date's number format as
            Cell(sheet, value=next(value for value in values if type(value) is date))  # the row is added
            dated = True
        for index, (column, value) in enumerate(zip(columns, values), 1):
            style = _look(looks, styles, sheet, index, column, value, row)
            key = None if style is None else tuple(style)  # None: a cell openpyxl never styled
            if key not in numbered:
                numbered[key] = book._cell_styles.add(style) if key is not None and any(key) else None
            number = numbered[key]
            start = f'<c r="{letters[index - 1]}{line}"' + ("" if number is None else f' s="{number}"')
            kind = type(value)
            if value is None:
                if number is not None:
                    out.append(start + ' t="n"></c>')
            elif kind is str:
                if not value:
                    out.append(start + ' t="inlineStr"></c>')
                    continue
                if not value.isprintable():  # a tab, a line break: as openpyxl writes them
                    raise _Unusual
                space = ' xml:space="preserve"' if value != value.strip() else ""
                text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                out.append(f'{start} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif kind is int or kind is float:
                out.append(f'{start} t="n"><v>{safe_string(value)}</v></c>')
            elif kind is date:
                out.append(f'{start} t="n"><v>{safe_string(to_excel(value, book.epoch))}</v></c>')
            else:
                raise _Unusual
        out.append("</row>")
    return "".join(out).encode("ascii", "xmlcharrefreplace")  # as openpyxl's XML: ASCII, &#...; for the rest


def _with_rows(saved: io.BytesIO, rows: dict[str, tuple[bytes, int, int]]) -> bytes:
    """The saved workbook with each sheet's rows (by the sheet's part) after its header row, and
    its dimension (A1:R1 as saved) reaching the last row."""
    import zipfile

    from openpyxl.utils import get_column_letter

    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in rows:
                xml, last, width = rows[info.filename]
                last_column = get_column_letter(width)
                header_end, dimension = b"</row></sheetData>", f'<dimension ref="A1:{last_column}1"/>'.encode()
                if data.count(header_end) != 1 or data.count(dimension) != 1:
                    raise ValueError(f"openpyxl wrote {info.filename} otherwise")
                data = data.replace(header_end, b"</row>" + xml + b"</sheetData>").replace(
                    dimension, f'<dimension ref="A1:{last_column}{last}"/>'.encode())
            target.writestr(info, data)
    return out.getvalue()


def _openpyxl():
    """openpyxl's Workbook and styles, imported without numpy and Pillow: openpyxl imports them
    when they are installed (to take numpy's numbers as cell values, to embed pictures), which
    costs more than the ledger's rows (0.15 s, 2.5 x kpitrack's start-up); the ledger writes
    neither. Either already imported is used as it is."""
    blocked = [name for name in ("numpy", "PIL") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import of it raises ImportError
    try:
        from openpyxl import Workbook, styles
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return Workbook, styles


def _cell(column: str, row: dict[str, Any], lang: str) -> Any:
    if column in ("current", "reading"):  # 累计完成 for a running total, 读数 for a reading
        value = row["current"] if column == FIGURE_CELL.get(row["fill"], "current") else None  # a parent's sum: 累计完成
        if value is not None and (row["current_mark"] or row["estimate"]):  # 近60, 60（预计）: text, read back as worded
            return row["current_mark"] + figure_text(value) + (in_language(lang, ESTIMATE_MARK) if row["estimate"] else "")
        return None if value is None else _cell("target", {"target": value}, lang)
    value = row[column]
    if column == "fill" and row["node"]:  # a node plan: the node 已完成 reports, and how to name another
        return word("fill_node", lang, node=row["node"])
    if column == "completion" and value is None:  # a growth rate's gap, an indicator's change, or —
        from kpitrack.formats.html import completion_cell

        return None if completion_cell(row, lang) == "—" else completion_cell(row, lang)
    if column == "fill":
        return word("fill_" + value, lang)
    if column == "period":
        return period_words(value, lang)
    if column == "status":
        label, *flags = row_status_words(row, lang)
        return label + "".join(f"（{flag}）" if lang == "zh" else f" ({flag})" for flag in flags)
    if isinstance(value, Decimal):
        value = value / 100 if column in PERCENT else value
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date) or value is None or isinstance(value, int):
        return value
    return xml_safe(str(value))


def _figure_format(figure: Decimal | None, mark: str = "") -> str:
    """Thousands and exactly the figure's own decimals (6.0 shows 6.0; `#,##0.##` would show 20 as
    `20.` in Excel), after the target's mark as literal text: `"超"#,##0`, so the cell stays a number."""
    exponent = figure.as_tuple().exponent if isinstance(figure, Decimal) else 0
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return (f'"{mark}"' if mark else "") + "#,##0" + ("." + "0" * decimals if decimals else "")


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
    styles = _openpyxl()[1]
    Alignment, Font = styles.Alignment, styles.Font

    sheet = book.create_sheet(_sheet_name(in_language(lang, INSTRUCTIONS_TITLE), used))
    for line in INSTRUCTIONS:
        sheet.append([in_language(lang, line)])
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
