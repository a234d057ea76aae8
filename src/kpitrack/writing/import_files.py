"""What one `import` reads: several files, or a folder of returned ledgers, read as one import
(all rows or none; a row in two files is recorded once)."""

from __future__ import annotations

from pathlib import Path

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_
from kpitrack.writing.importer import WORKBOOK_SUFFIXES, ImportRow, read_import

FOLDER_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")


def import_paths(paths: list[Path], encoding: str | None, sheet: str | None
                 ) -> tuple[Path, list[ImportRow], list[KpitrackError], str, list[str]]:
    """(the first file, rows, problems, encoding, warnings) of every file named or in a folder
    named (its .xlsx, .xlsm and .csv files, in name order; Excel's ~$ lock files left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(item for item in path.iterdir() if item.suffix.lower() in FOLDER_SUFFIXES
                           and item.is_file() and not item.name.startswith(("~$", ".")))
            if not found:
                raise KpitrackError(N_("no .xlsx or .csv file in this folder"), path)
            files += found
        elif not path.exists():
            raise KpitrackError(N_("no such file or folder; nothing was imported"), path)
        else:
            files.append(path)
    rows: list[ImportRow] = []
    problems: list[KpitrackError] = []
    warnings: list[str] = []
    used = "xlsx"
    for file in dict.fromkeys(files):  # a file named twice is read once
        more_rows, more_problems, encoding_used = read_import(file, encoding, sheet, warnings)
        rows += [_placed(row, file) for row in more_rows]
        problems += more_problems
        used = encoding_used if used == "xlsx" else used
    return files[0], rows, problems, used, warnings


def _placed(row: ImportRow, file: Path) -> ImportRow:
    from dataclasses import replace

    return row if row.where else replace(row, where=file)
