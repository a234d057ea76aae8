"""Hostile text at the output doors (synthetic targets): formulas stay text in the ledger and the
CSV, control characters are refused where text comes in and escaped where documents go out, and a
dollar in a chart is a dollar."""

import csv
import io
import json
import zipfile

import pytest

HOSTILE = """\
title = "{title}"
unit = "{unit}"
owner = "{owner}"
target = 100
start = 2024-01-01
due = 2024-12-31

[[progress]]
date = 2024-03-31
value = 10
note = "{note}"
"""


def hostile(make_workspace, title="synthetic", unit="套", owner="office", note="n"):
    return make_workspace({"kpitrack.toml": "", "p/t.toml": HOSTILE.format(title=title, unit=unit, owner=owner,
                                                                        note=note)})


def test_ledger_cells_of_user_text_are_text_never_formulas(make_workspace, cli, tmp_path):
    from openpyxl import load_workbook

    root = hostile(make_workspace, title='=HYPERLINK(\\"http://x\\",\\"点此\\")', unit="+1", owner="@SUM(A1)")
    out = tmp_path / "l.xlsx"
    assert cli(root, "report", "--as-of", "2024-06-30", "--format", "xlsx", "--out", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as book:
        assert not any("<f>" in book.read(name).decode() for name in book.namelist() if "worksheets" in name)
    sheet = load_workbook(out)["p"]
    title, owner, unit = sheet["C2"], sheet["D2"], sheet["F2"]
    assert title.value == '=HYPERLINK("http://x","点此")'
    assert [cell.data_type for cell in (title, owner, unit)] == ["s", "s", "s"]
    assert title.quotePrefix and owner.quotePrefix and unit.quotePrefix  # stays text when edited in Excel
    assert sheet["G2"].data_type == "n"  # figures stay numbers


@pytest.mark.parametrize("command", [("report", "--format", "csv"), ("status", "--format", "csv"),
                                     ("export", "--format", "csv")])
def test_csv_neutralises_user_text_not_numbers(make_workspace, cli, command):
    root = make_workspace({"kpitrack.toml": "", "p/t.toml": """\
        title = "\\t=1+2"
        unit = "-x"
        target = -2.5
        baseline = 0
        direction = "decrease"
        start = 2024-01-01
        due = 2024-12-31

        [[progress]]
        date = 2024-03-31
        value = -1.5
        note = "@cmd"
        """})
    result = cli(root, *command, *(("--as-of", "2024-06-30") if command[0] != "export" else ()))
    assert result.exit_code == 0, result.output
    row = next(row for row in csv.DictReader(io.StringIO(result.stdout)) if row["id"] == "t")
    if "title" in row:
        assert not row["title"].startswith(("\t", "=", "+", "-", "@")), row["title"]
        assert row["target"] == "-2.5"  # a number, not text
    assert row["unit"] == "'-x"
    if "note" in row:
        assert (row["note"], row["value"]) == ("'@cmd", "-1.5")


def test_json_keeps_the_raw_text(make_workspace, cli):
    root = hostile(make_workspace, title="=1+2")
    result = cli(root, "status", "--format", "json", "--as-of", "2024-06-30")
    assert json.loads(result.stdout)["targets"][0]["title"] == "=1+2"


@pytest.mark.parametrize("arguments", [
    ("new", "n", "--title", "bell\x07", "--target", "5", "--start", "2024-01-01", "--due", "2024-12-31"),
    ("new", "n", "--title", "t", "--unit", "\x1b[31m", "--target", "5", "--start", "2024-01-01",
     "--due", "2024-12-31"),
    ("new", "n", "--title", "t", "--owner", "o\x01", "--target", "5", "--start", "2024-01-01",
     "--due", "2024-12-31"),
    ("add", "t", "5", "--date", "2024-04-30", "--note", "esc\x1b"),
    ("fix", "t", "11", "--date", "2024-03-31", "--note", "cr\r"),
])
def test_control_characters_are_refused_at_the_door(make_workspace, cli, arguments):
    root = hostile(make_workspace)
    before = {path: path.read_bytes() for path in root.rglob("*.toml")}
    result = cli(root, *arguments)
    assert result.exit_code == 2
    assert "control character" in result.output and "Traceback" not in result.output
    assert {path: path.read_bytes() for path in root.rglob("*.toml")} == before


def test_control_characters_in_an_import_are_named_by_line(make_workspace, cli, tmp_path):
    root = hostile(make_workspace)
    sheet = tmp_path / "in.csv"
    sheet.write_text('id,date,value,note\nt,2024-04-30,3,"a\x07b"\n', encoding="utf-8")
    before = (root / "p/t.toml").read_bytes()
    result = cli(root, "import", str(sheet))
    assert result.exit_code == 2 and "in.csv:2:" in result.output and "control character" in result.output
    assert (root / "p/t.toml").read_bytes() == before


@pytest.mark.parametrize("form", ["xlsx", "docx"])
def test_documents_escape_control_characters_already_in_files(make_workspace, cli, tmp_path, form):
    root = hostile(make_workspace, title="bell\\u0007title", unit="u\\u001b", owner="o\\u0001", note="n\\u0007")
    out = tmp_path / f"r.{form}"
    result = cli(root, "report", "--as-of", "2024-06-30", "--format", form, "--out", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as document:
        text = "".join(document.read(name).decode() for name in document.namelist() if name.endswith(".xml"))
    assert "bell\\x07title" in text and "\x07" not in text


def test_dollars_in_chart_text_are_dollars(make_workspace, cli):
    root = hostile(make_workspace, title="US$5bn to US$8bn", unit="$x^$")
    result = cli(root, "show", "t", "--as-of", "2024-06-30", "--format", "svg")
    assert result.exit_code == 0, result.output
    assert "$x^$" in result.stdout and "US$5bn to US$8bn" in result.stdout  # drawn as typed
