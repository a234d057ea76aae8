"""The ledger a unit is sent, filled in on every row kind as a unit would (openpyxl), imports
without an edit to its columns, and a second import adds nothing (issue 27 item 2, issue 24 item 9)."""

from __future__ import annotations

import json
from pathlib import Path

TARGETS = {  # synthetic targets (tests only)
    "kpitrack.toml": 'cadence = "monthly"\n',
    "p/inv.toml": 'title = "synthetic investment"\nstart = 2025-01-01\ndue = 2025-12-31\ntarget = 500\nunit = "亿元"\n'
                  'owner = ["unit a", "unit b"]\n[[progress]]\ndate = 2025-06-30\nvalue = 200\ntotal = true\n',
    "p/gdp.toml": 'title = "synthetic growth"\nkind = "growth"\nstart = 2025-01-01\ndue = 2025-12-31\ntarget = 6\n'
                  'unit = "%"\nowner = "unit b"\n[[progress]]\ndate = 2025-06-30\nvalue = 5.5\n',
    "p/vac.toml": 'title = "synthetic level"\nkind = "level"\ndirection = "decrease"\nbaseline = 100\n'
                  'start = 2025-01-01\ndue = 2025-12-31\ntarget = 90\nunit = "%"\nowner = "unit c"\n',
    "p/park.toml": 'title = "synthetic milestone"\nkind = "milestone"\nstart = 2025-01-01\ndue = 2025-12-31\n'
                   'owner = "unit c"\n',
}


def fill(path: Path, figures: dict) -> None:
    """As a unit would: each row's figure where its 填报内容 says, nothing else touched."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        if cells["编号"].value in figures:
            cells["累计完成" if "“累计完成”" in cells["填报内容"].value else "读数"].value = figures[cells["编号"].value]
    book.save(path)


def test_every_row_kind_filled_in_imports_once(make_workspace, cli, tmp_path):
    root = make_workspace(TARGETS)
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    import openpyxl

    rows = list(openpyxl.load_workbook(ledger).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    by_id = {row[header.index("编号")]: dict(zip(header, row)) for row in rows[1:]}
    assert by_id["inv"]["配合单位"] == "unit b" and by_id["gdp"]["本期"] == "2025年7月"
    assert by_id["gdp"]["读数"] == 5.5 and by_id["gdp"]["累计完成"] is None
    fill(ledger, {"inv": 250, "gdp": 5.9, "vac": 95.5, "park": "已完成"})
    first = cli(root, "import", str(ledger))
    assert first.exit_code == 0, first.output
    assert "added 4 entries" in first.output
    again = cli(root, "import", str(ledger))
    assert again.exit_code == 0 and "added 0 entries" in again.output, again.output
    status = {row["id"]: row for row in json.loads(cli(root, "status", "--as-of", "2025-08-05", "--format",
                                                       "json").output)["targets"]}
    assert status["gdp"]["current"] == 5.9  # the reading 5.9, not a running total refused
    assert status["vac"]["current"] == 95.5 and status["inv"]["current"] == 250
    assert status["park"]["status"] == "done"
