"""A workbook's sheets for `import`: every visible sheet with the columns is read (the ledger has
one per plan); a visible sheet with something in it but no columns, other than the ledger's
instructions, is named in a warning rather than passed over in silence. Hidden sheets are never read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kpitrack.domain.errors import KpitrackError
from kpitrack.files.schema import did_you_mean
from kpitrack.words.i18n import N_, _, os_reason
from kpitrack.writing.import_limits import MAX_COLUMNS, MAX_ROWS, check_unpacked

INSTRUCTION_SHEETS = {"填报说明", "how to fill in"}  # the ledger's last sheet (formats/workbook.py)

Table = list[tuple[int, list[Any]]]


def unsaved_formulas(values: list[Any], written) -> list[Any]:
    """The row's values, a formula whose value was never saved (written by a program, not Excel)
    given as its text, `=1+1`, so that it is refused as a CSV's is rather than read as a blank cell:
    a figure is never lost without a word. A formula Excel saved counts by its value, as shown."""
    return [formula if value is None and isinstance(formula, str) and formula.startswith("=") else value
            for value, formula in zip(values, [*written, *[None] * (len(values) - len(written))])]


def workbook_tables(path: Path, sheet: str | None, warnings: list[str] | None = None) -> list[tuple[Path, Table]]:
    """(where, table) for each sheet read: `where` is the file, or `file[sheet]` when several are."""
    from kpitrack.writing.importer import _has_header

    check_unpacked(path)
    try:
        from openpyxl import load_workbook
        book = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)  # for cells whose value was never saved
    except OSError as error:
        raise KpitrackError(N_("cannot read: {reason}"), path, reason=os_reason(error)) from None
    except Exception as error:  # openpyxl's own errors for a file that is not a workbook
        raise KpitrackError(N_("not a workbook Excel can open ({error}); save it again as .xlsx"), path,
                            error=type(error).__name__) from None
    if sheet is not None and sheet not in book.sheetnames:
        hint = did_you_mean(sheet, book.sheetnames) or _("its sheets: {sheets}").format(
            sheets=_(", ").join(book.sheetnames))
        raise KpitrackError(N_("no sheet {sheet!r}; {hint}"), path, sheet=sheet, hint=hint)
    try:
        sheets = [book[sheet]] if sheet else [sheet for sheet in book.worksheets
                                              if getattr(sheet, "sheet_state", "visible") == "visible"]
        found: list[tuple[str, Table]] = []
        table: Table = []
        for worksheet in sheets:
            table = []
            written = formulas[worksheet.title].iter_rows(values_only=True, max_col=MAX_COLUMNS)
            for number, cells in enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
                if number > MAX_ROWS:
                    raise KpitrackError(N_("a sheet of more than {count} rows; split it"), path, count=MAX_ROWS)
                table.append((number, unsaved_formulas(list(cells), next(written, ()))))
            if sheet or _has_header(table):
                found.append((worksheet.title, table))
            elif (warnings is not None and worksheet.title.casefold() not in INSTRUCTION_SHEETS
                  and any(cell not in (None, "") for _line, cells in table for cell in cells)):
                warnings.append(_("{file}: sheet {sheet!r} has no columns to import (编号, 截至日期, 累计完成 or "
                                  "读数…); what is in it was not read").format(file=path.name, sheet=worksheet.title))
    except KpitrackError:
        raise
    except Exception as error:  # a part openpyxl cannot read
        raise KpitrackError(N_("not a workbook Excel can open ({error}); save it again as .xlsx"), path,
                            error=type(error).__name__) from None
    finally:
        book.close()
        formulas.close()
    if not found:  # none has the columns: the last one read names what is missing
        return [(path, table)]
    return [(path if len(found) == 1 else Path(f"{path}[{name}]"), table) for name, table in found]
