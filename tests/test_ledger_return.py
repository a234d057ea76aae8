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


def unit_target(number: int, owner: str, due: str = "2025-12-31") -> str:
    return (f'title = "synthetic {number}"\nstart = 2025-01-01\ndue = {due}\ntarget = 100\nunit = "个"\n'
            f'owner = {owner}\n').replace("start = 2025-01-01\ndue = 2020", "start = 2020-01-01\ndue = 2020")


def test_one_ledger_per_unit_with_only_its_open_targets(make_workspace, cli, tmp_path):
    import openpyxl

    files = {"kpitrack.toml": ""}
    for number in range(8):
        files[f"p/t{number}.toml"] = unit_target(number, f'"unit {number}"')
    files["p/shared.toml"] = unit_target(8, '["unit 0", "unit 7"]')  # lead unit 0, co-unit 7
    files["old/closed.toml"] = unit_target(9, '"unit 1"', due="2020-12-31")  # a closed plan: left out
    root = make_workspace(files)
    out = tmp_path / "ledgers"
    result = cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--by", "owner", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == [f"unit {number}.xlsx" for number in range(8)]
    for number in range(8):
        sheets = openpyxl.load_workbook(out / f"unit {number}.xlsx").worksheets[:-1]
        ids = sorted(row[1] for sheet in sheets for row in sheet.iter_rows(min_row=2, values_only=True))
        assert ids == sorted([f"t{number}"] + (["shared"] if number in (0, 7) else [])), (number, ids)


def test_unit_file_names_are_confined_and_a_clash_is_refused(make_workspace, cli, tmp_path):
    from kpitrack.reports.ledger import unit_file_name

    assert unit_file_name("../../etc/x\n") == "etc-x.xlsx" and unit_file_name("CON") == "_CON.xlsx"
    assert "/" not in unit_file_name("a/b") and unit_file_name("..") == "unit.xlsx"
    root = make_workspace({"kpitrack.toml": "", "p/a.toml": unit_target(1, '"a/b"'),
                           "p/b.toml": unit_target(2, '"a:b"')})
    result = cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--by", "owner",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "would share the file a-b.xlsx" in result.output, result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())  # nothing written


def test_returned_ledgers_of_a_folder_every_sheet_read_once_and_other_edits_named(make_workspace, cli, tmp_path):
    import openpyxl

    files = {"kpitrack.toml": ""}
    for number, plan in ((1, "a"), (2, "b")):  # two plans: two sheets in the unit's ledger
        files[f"{plan}/t{number}.toml"] = unit_target(number, '"unit x"')
    files["c/t3.toml"] = unit_target(3, '"unit y"')
    root = make_workspace(files)
    out = tmp_path / "back"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--by", "owner", "--out",
               str(out)).exit_code == 0
    book = openpyxl.load_workbook(out / "unit x.xlsx")
    assert [sheet.title for sheet in book.worksheets] == ["a", "b", "填报说明"]
    for sheet, figure in zip(book.worksheets[:2], (10, 20)):
        sheet["J2"] = figure  # 累计完成
    book.create_sheet("草稿")["A1"] = "t1 12"  # an edit outside the ledger's sheets
    book.save(out / "unit x.xlsx")
    other = openpyxl.load_workbook(out / "unit y.xlsx")
    other.worksheets[0]["J2"] = 30
    other.save(out / "unit y.xlsx")
    result = cli(root, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "added 3 entries to 3 targets" in result.output and "'草稿'" in result.output, result.output
    assert "added 0 entries" in cli(root, "import", str(out / "unit x.xlsx"), str(out / "unit y.xlsx")).output


def test_a_date_outside_the_period_being_collected_is_refused_without_force(make_workspace, cli, tmp_path):
    import openpyxl

    root = make_workspace({"kpitrack.toml": "", "p/t1.toml": unit_target(1, '"unit x"')})
    ledger = tmp_path / "l.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    book = openpyxl.load_workbook(ledger)
    sheet = book.worksheets[0]
    assert sheet["I2"].value == "2025年7月" and sheet["L2"].value.date().isoformat() == "2025-07-31"
    sheet["J2"], sheet["L2"] = 40, "2025-06-15"  # a month off
    book.save(ledger)
    refused = cli(root, "import", str(ledger))
    assert refused.exit_code == 2 and "outside the period being collected (2025年7月)" in refused.output, refused.output
    assert "added 1 entry" in cli(root, "import", str(ledger), "--force").output
    sheet["L2"] = "2025-07-20"  # inside July: taken
    sheet["J2"] = 45
    book.save(ledger)
    assert "added 1 entry" in cli(root, "import", str(ledger)).output


def test_a_ledger_not_filled_in_imports_nothing_after_other_figures_came_in(make_workspace, cli, tmp_path):
    """Its 累计完成 is the figure it was sent with (on its 更新日期): not a July total of the old figure."""
    root = make_workspace(TARGETS)
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    assert cli(root, "add", "inv", "260", "--total", "--date", "2025-07-31").exit_code == 0  # by phone
    result = cli(root, "import", str(ledger))
    assert result.exit_code == 0, result.output
    assert "added 0 entries" in result.output, result.output


def test_a_revised_figure_for_a_recorded_date_is_a_revision_undone_by_undo(make_workspace, cli, tmp_path):
    """A unit's second return changes one figure: one revision, no second entry; undo puts it back."""
    root = make_workspace(TARGETS)
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    fill(ledger, {"inv": 250, "gdp": 5.9})
    assert "added 2 entries" in cli(root, "import", str(ledger)).output
    before = (root / "p/inv.toml").read_bytes()
    fill(ledger, {"inv": 255, "gdp": 5.9})
    result = cli(root, "import", str(ledger))
    assert result.exit_code == 0, result.output
    assert "revised inv 2025-07-31: 250 → 255" in result.output, result.output
    assert "added 0 entries to 0 targets" in result.output and "; 1 figure revised" in result.output, result.output
    text = (root / "p/inv.toml").read_text()
    assert text.count("date = 2025-07-31") == 1 and "value = 255" in text and "value = 250" not in text
    assert "added 0 entries" in cli(root, "import", str(ledger)).output  # a third import: nothing
    assert cli(root, "undo").exit_code == 0
    assert (root / "p/inv.toml").read_bytes() == before


def test_two_figures_for_one_date_in_one_import_are_refused_naming_both_rows(make_workspace, cli, tmp_path):
    root = make_workspace(TARGETS)
    rows = tmp_path / "rows.csv"
    rows.write_text("id,date,value,total\ninv,2025-07-31,250,true\ninv,2025-07-31,260,true\n")
    before = (root / "p/inv.toml").read_bytes()
    result = cli(root, "import", str(rows))
    assert result.exit_code == 2 and "rows.csv:2" in result.output and "rows.csv:3" in result.output, result.output
    assert (root / "p/inv.toml").read_bytes() == before


def test_a_revision_and_an_addition_to_one_target_are_one_import_undone_whole(make_workspace, cli, tmp_path):
    """A CSV: a reading revised on a level target, a new figure beside it; one undo takes back both."""
    root = make_workspace(TARGETS)
    first = tmp_path / "first.csv"
    first.write_text("id,date,value\nvac,2025-07-31,95.5\n")
    assert "added 1 entry" in cli(root, "import", str(first)).output
    before = (root / "p/vac.toml").read_bytes()
    second = tmp_path / "second.csv"
    second.write_text("id,date,value\nvac,2025-07-31,95.2\nvac,2025-08-31,94\n")
    result = cli(root, "import", str(second))
    assert result.exit_code == 0, result.output
    assert "revised vac 2025-07-31: 95.5 → 95.2" in result.output and "added 1 entry" in result.output, result.output
    assert cli(root, "undo").exit_code == 0
    assert (root / "p/vac.toml").read_bytes() == before


def test_the_dry_run_lists_each_row_as_it_would_land_and_writes_nothing(make_workspace, cli, tmp_path):
    root = make_workspace(TARGETS)
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    fill(ledger, {"inv": 250, "gdp": 5.9})
    assert cli(root, "import", str(ledger)).exit_code == 0
    fill(ledger, {"inv": 255, "gdp": 5.9, "vac": 95.5})
    files = sorted(path for path in root.rglob("*") if path.is_file())
    before = {path: path.read_bytes() for path in files}
    result = cli(root, "import", str(ledger), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "ledger.xlsx:3  inv  255 亿元 (running total)  2025-07-31  revised (250 → 255)" in lines, lines
    assert "ledger.xlsx:2  gdp  5.9 %  2025-07-31  unchanged" in lines, lines
    assert "ledger.xlsx:5  vac  95.5 %  2025-07-31  new" in lines, lines
    assert lines[-1] == "would add 1 entry to 1 target; 1 row already recorded, skipped; 1 figure revised", lines
    assert sorted(path for path in root.rglob("*") if path.is_file()) == files
    assert all(path.read_bytes() == data for path, data in before.items())  # byte-identical


def test_an_import_revision_is_listed_by_report_since_outside_git(make_workspace, cli, tmp_path):
    """Outside git report --since knows the revisions the journal holds: fix's, and now an import's."""
    root = make_workspace(TARGETS)
    rows = tmp_path / "rows.csv"
    rows.write_text("id,date,value,total\ninv,2025-06-30,210,true\n")
    assert "1 figure revised" in cli(root, "import", str(rows)).output
    markdown = cli(root, "report", "--since", "2025-08-01", "--as-of", "2025-08-05", "--format", "markdown").output
    assert "(2025-06-30: 200 → 210)" in markdown and "2025-06-30 200 → 210" in markdown, markdown


def test_the_ledgers_period_is_the_one_status_missing_chases(make_workspace, cli, tmp_path):
    """A workspace reporting quarterly: the ledger collects 2025年第2季度 as of 5 August, the period
    `status --missing` asks for, not July."""
    import openpyxl

    quarterly = TARGETS["p/inv.toml"].replace("2025-06-30", "2025-03-31")  # nothing yet for the second quarter
    root = make_workspace({"kpitrack.toml": 'cadence = "quarterly"\n', "p/inv.toml": quarterly})
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    rows = list(openpyxl.load_workbook(ledger).worksheets[0].iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    missing = json.loads(cli(root, "status", "--missing", "--as-of", "2025-08-05", "--format", "json").output)
    assert missing["missing"][0]["targets"][0]["period"] == "2025-Q2"
    assert row["本期"] == "2025年第2季度" and str(row["截至日期"])[:10] == "2025-06-30", row


def test_a_figure_sent_back_unchanged_with_a_note_is_recorded(make_workspace, cli, tmp_path):
    """A unit whose figure did not change says so in 备注: the row is a report, recorded as of 截至日期,
    and status --missing no longer chases it; without a note the row is as it came, not reported
    (found by a new user: the ledger gave a unit with an unchanged figure no way to report it)."""
    import openpyxl

    root = make_workspace(TARGETS)
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    assert "added 0 entries" in cli(root, "import", str(ledger)).output  # as it came: nothing
    book = openpyxl.load_workbook(ledger)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        if cells["编号"].value == "inv":
            cells["备注"].value = "本月无变化"
    book.save(ledger)
    result = cli(root, "import", str(ledger))
    assert "added 1 entry" in result.output, result.output
    shown = json.loads(cli(root, "show", "inv", "--as-of", "2025-08-05", "--format", "json").output)
    assert shown["entries"][-1] == {**shown["entries"][-1], "date": "2025-07-31", "value": 200, "total": True,
                                    "note": "本月无变化"}
    missing = cli(root, "status", "--missing", "--as-of", "2025-08-05", "--format", "json").output
    assert '"inv"' not in missing, missing
