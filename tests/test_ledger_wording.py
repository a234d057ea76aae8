"""The ledger (台账) keeps a figure's wording through a round trip: 近60 sent out comes back 近60,
a pledge's 超/约/≤ and its decimals are shown, and a milestone's nodes (形象进度) can be reported
(found by a new user's trial: 近60 came back as 60 and the pledge read 提前完成)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PARKS = ('title = "synthetic parks"\nunit = "个"\ntarget = 60\nstart = 2026-01-01\ndue = 2026-12-31\n'
         'owner = "unit a"\n')
SITE = ('title = "synthetic site"\nkind = "milestone"\nstart = 2026-01-01\ndue = 2026-12-31\nowner = "unit a"\n'
        '[[node]]\nname = "开工"\ndue = 2026-03-31\n[[node]]\nname = "主体完工"\ndue = 2026-09-30\n'
        '[[node]]\nname = "竣工验收"\ndue = 2026-12-31\n')


def entry(value: str, qualifier: str | None = None, estimate: bool = False) -> str:
    return (f'[[progress]]\ndate = 2026-10-31\nvalue = {value}\ntotal = true\n'
            + (f'qualifier = "{qualifier}"\n' if qualifier else "") + ("estimate = true\n" if estimate else ""))


def node_done(name: str, day: str = "2026-03-20") -> str:
    return f'[[progress]]\ndate = {day}\ndone = true\nnode = "{name}"\n'


def ledger_of(cli, root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "ledger.xlsx"
    result = cli(root, "report", "--as-of", "2026-12-05", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def row_of(path: Path, target_id: str) -> dict:
    """The target's row as the saved workbook holds it: header → cell."""
    import openpyxl

    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    return next(dict(zip(header, row)) for row in sheet.iter_rows(min_row=2) if row[1].value == target_id)


def fill(path: Path, target_id: str, **cells) -> None:
    """As a unit would, with openpyxl: the named cells of the target's row, nothing else."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == target_id:
            for name, value in cells.items():
                row[header.index(name)].value = value
    book.save(path)


def last_entry(cli, root: Path, target_id: str) -> dict:
    shown = json.loads(cli(root, "show", target_id, "--as-of", "2026-12-05", "--format", "json").output)
    return shown["entries"][-1]


@pytest.mark.parametrize("qualifier, estimate, shown", [("nearly", False, "近60"), ("over", False, "超60"),
                                                        (None, True, "60（预计）"), ("about", True, "约60（预计）")])
def test_a_worded_figure_confirmed_with_a_note_keeps_its_wording(make_workspace, cli, tmp_path, qualifier,
                                                                 estimate, shown):
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + entry("60", qualifier, estimate)})
    ledger = ledger_of(cli, root, tmp_path)
    assert row_of(ledger, "parks")["累计完成"].value == shown  # the figure as worded, not a bare 60
    assert "added 0 entries" in cli(root, "import", str(ledger)).output  # sent back as it came: nothing
    fill(ledger, "parks", 备注="本月无变化")
    result = cli(root, "import", str(ledger))
    assert "added 1 entry" in result.output, result.output
    assert last_entry(cli, root, "parks") == {
        "date": "2026-11-30", "value": 60, "total": True, "done": None, "note": "本月无变化", "source": None,
        "qualifier": qualifier, "estimate": estimate, "node": None}


def test_near_60_confirmed_does_not_complete_the_pledge(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + entry("60", "nearly")})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "parks", 备注="本月无变化")
    assert cli(root, "import", str(ledger)).exit_code == 0
    status = json.loads(cli(root, "status", "--as-of", "2026-12-05", "--format", "json").output)["targets"][0]
    assert status["status"] != "done" and status["verdict"] is None, status


@pytest.mark.parametrize("recorded, typed, lands", [
    (entry("60"), "近60", ("nearly", False)),  # a bound where an exact figure stood: a change
    (entry("60", "nearly"), 60, (None, False)),  # the exact figure where a bound stood: a change
    (entry("60", "nearly"), "超60", ("over", False)),
    (entry("60"), "60（预计）", (None, True)),
])
def test_a_change_of_wording_typed_in_is_a_change(make_workspace, cli, tmp_path, recorded, typed, lands):
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + recorded})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "parks", 累计完成=typed)
    result = cli(root, "import", str(ledger))
    assert "added 1 entry" in result.output, result.output
    landed = last_entry(cli, root, "parks")
    assert (landed["date"], landed["value"], landed["qualifier"], landed["estimate"]) == ("2026-11-30", 60, *lands)


def test_the_same_wording_typed_again_is_unchanged(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + entry("60", "nearly")})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "parks", 累计完成="近60")
    assert "added 0 entries" in cli(root, "import", str(ledger)).output


@pytest.mark.parametrize("pledge, value, number_format", [
    ('target = 5000\nqualifier = "over"\n', 5000, '"超"#,##0'),
    ('target = 6.0\nqualifier = "about"\n', 6, '"约"#,##0.0'),
    ('target = 120\nqualifier = "at-least"\n', 120, '"≥"#,##0'),
    ('target = 3.50\nqualifier = "at-most"\ndirection = "decrease"\nbaseline = 9\n', 3.5, '"≤"#,##0.00'),
    ("target = 6.0\n", 6, "#,##0.0"),
    ("target = 1200\n", 1200, "#,##0"),
])
def test_the_target_value_is_a_number_shown_as_worded_with_its_own_decimals(make_workspace, cli, tmp_path, pledge,
                                                                           value, number_format):
    kind = 'kind = "level"\n' if "decrease" in pledge else ""
    root = make_workspace({"kpitrack.toml": "", "p/t.toml": 'title = "synthetic"\nstart = 2026-01-01\n'
                           'due = 2026-12-31\nowner = "unit a"\n' + kind + pledge})
    cell = row_of(ledger_of(cli, root, tmp_path), "t")["目标值"]
    assert (cell.value, cell.number_format) == (value, number_format)
    assert not isinstance(cell.value, str)


def test_a_figure_shows_exactly_its_own_decimals(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + entry("12.50")})
    cell = row_of(ledger_of(cli, root, tmp_path), "parks")["累计完成"]
    assert (cell.value, cell.number_format) == (12.5, "#,##0.00")


def test_a_node_plan_row_names_the_next_node_and_done_records_it(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": SITE})
    ledger = ledger_of(cli, root, tmp_path)
    assert "“开工”" in row_of(ledger, "site")["填报内容"].value  # the node 已完成 stands for
    fill(ledger, "site", 读数="已完成")
    result = cli(root, "import", str(ledger))
    assert "added 1 entry" in result.output, result.output
    landed = last_entry(cli, root, "site")
    assert (landed["date"], landed["done"], landed["node"]) == ("2026-11-30", True, "开工")


def test_done_with_a_node_done_already_is_the_next_node_not_unchanged(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": SITE + node_done("开工")})
    ledger = ledger_of(cli, root, tmp_path)
    assert "“主体完工”" in row_of(ledger, "site")["填报内容"].value
    fill(ledger, "site", 读数="已完成")
    result = cli(root, "import", str(ledger))
    assert "added 1 entry" in result.output, result.output
    assert last_entry(cli, root, "site")["node"] == "主体完工"


@pytest.mark.parametrize("typed", ["已完成：竣工验收", "已完成:竣工验收", "done: 竣工验收"])
def test_a_node_named_in_the_reading_is_the_one_recorded(make_workspace, cli, tmp_path, typed):
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": SITE + node_done("开工")})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "site", 读数=typed)
    result = cli(root, "import", str(ledger))
    assert "added 1 entry" in result.output, result.output
    assert last_entry(cli, root, "site")["node"] == "竣工验收"


def test_an_unknown_node_is_refused_with_advice_the_ledger_can_follow(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": SITE})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "site", 读数="已完成：封顶")
    result = cli(root, "--lang", "zh", "import", str(ledger))
    assert result.exit_code != 0
    assert "封顶" in result.output and "开工，主体完工，竣工验收" in result.output, result.output
    assert "--node" not in result.output and "node =" not in result.output, result.output


def test_done_once_every_node_is_done_is_unchanged_and_a_done_node_again_too(make_workspace, cli, tmp_path):
    every = SITE + node_done("开工") + node_done("主体完工", "2026-09-01") + node_done("竣工验收", "2026-11-01")
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": every})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "site", 读数="已完成")
    assert "added 0 entries" in cli(root, "import", str(ledger)).output
    fill(ledger, "site", 读数="已完成：开工")
    assert "added 0 entries" in cli(root, "import", str(ledger)).output


def test_a_csv_row_of_a_node_plan_without_a_node_is_told_of_the_node_column(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": SITE})
    table = tmp_path / "in.csv"
    table.write_text("id,date,value\nsite,2026-11-30,done\n", encoding="utf-8")
    result = cli(root, "import", str(table))
    assert result.exit_code != 0
    assert "name the one done in a node column" in result.output and "--node" not in result.output, result.output


def test_the_trials_bare_60_typed_again_as_near_60_revises_it(make_workspace, cli, tmp_path):
    """The trial's file: 近60 came back as a bare 60 for 截至日期; typing 近60 there revises that entry
    (one figure for the date, worded), not a second total beside it."""
    recorded = entry("60", "nearly") + entry("60").replace("2026-10-31", "2026-11-30")
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + recorded})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "parks", 累计完成="近60")
    result = cli(root, "import", str(ledger))
    assert result.exit_code == 0 and "60 → 近60" in result.output and "1 figure revised" in result.output, result.output
    shown = json.loads(cli(root, "show", "parks", "--as-of", "2026-12-05", "--format", "json").output)
    assert [(item["date"], item["qualifier"]) for item in shown["entries"]] == [("2026-10-31", "nearly"),
                                                                               ("2026-11-30", "nearly")]


def test_a_figure_in_a_milestones_reading_is_refused_not_skipped(make_workspace, cli, tmp_path):
    root = make_workspace({"kpitrack.toml": "", "p/site.toml": SITE})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "site", 读数=1)
    result = cli(root, "--lang", "zh", "import", str(ledger))
    assert result.exit_code != 0 and "“已完成”" in result.output, result.output


def test_the_english_ledger_words_an_estimate_its_way_and_reads_it_back(make_workspace, cli, tmp_path):
    import openpyxl

    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + entry("60", "nearly", True)})
    out = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2026-12-05", "--format", "xlsx", "--lang", "en", "--out",
               str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("Completed to date") + 1).value == "近60 (est.)"
    sheet.cell(2, header.index("Note") + 1).value = "no change"
    book.save(out)
    assert "added 1 entry" in cli(root, "import", str(out)).output
    landed = last_entry(cli, root, "parks")
    assert (landed["value"], landed["qualifier"], landed["estimate"]) == (60, "nearly", True)


def test_an_estimate_typed_over_the_actual_figure_of_its_date_revises_it(make_workspace, cli, tmp_path):
    """60（预计） for a date whose actual 60 is recorded went in as a second entry beside it (an
    import's revision compared value and wording but not the estimate, its skip all three: found in
    review); it is one figure for the date, worded as typed, as any other change of wording is."""
    recorded = entry("60").replace("2026-10-31", "2026-11-30")
    root = make_workspace({"kpitrack.toml": "", "p/parks.toml": PARKS + recorded})
    ledger = ledger_of(cli, root, tmp_path)
    fill(ledger, "parks", 累计完成="60（预计）")
    result = cli(root, "import", str(ledger))
    assert result.exit_code == 0 and "1 figure revised" in result.output, result.output
    shown = json.loads(cli(root, "show", "parks", "--as-of", "2026-12-05", "--format", "json").output)
    assert [(item["date"], item["value"], item["estimate"]) for item in shown["entries"]] == [("2026-11-30", 60, True)]
