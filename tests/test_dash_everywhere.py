"""Found by a new user's trial: where a table for people shows `—`, the formats for scripts give
null (JSON) and an empty cell (CSV), and every format gives the gap against the plan with one sign
(vs_plan = completion − planned, negative behind, as the tables' "vs plan" / 进度差 column); a
milestone not done reads the same in Markdown as in the terminal. Synthetic data: made-up figures."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest

from helpers import milestone_toml, progress, run, target_toml, write_target

pytestmark = pytest.mark.usefixtures("plain_environment")


def workspace(root):
    write_target(root, "later", target_toml(target=100, start="2023-09-01"))  # not started on 30 June
    write_target(root, "behind", target_toml(target=120, extra=progress("2023-12-31", 95)))  # 79.17 of 100
    write_target(root, "bridge", milestone_toml(due="2023-12-31"))  # not done
    return root


def output(root, *arguments):
    result = run(root, *arguments)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_before_its_start_json_and_csv_give_null_where_the_tables_show_a_dash(tmp_path):
    root = workspace(tmp_path)
    rows = {row["id"]: row for row in json.loads(output(root, "status", "--as-of", "2023-06-30", "--format", "json"),
                                                  parse_float=Decimal)["targets"]}
    cells = {row["id"]: row for row in csv.DictReader(io.StringIO(
        output(root, "status", "--as-of", "2023-06-30", "--format", "csv")))}
    table = output(root, "status", "--as-of", "2023-06-30", "--format", "markdown")
    markdown = next(line for line in table.splitlines() if line.startswith("| later "))
    assert markdown.count("| — |") >= 3 and "0.00%" not in markdown  # done, plan and vs plan: —
    for field in ("completion", "planned", "lag", "vs_plan"):
        assert rows["later"][field] is None, (field, rows["later"][field])
        assert cells["later"][field] == "", (field, cells["later"][field])


def test_the_gap_against_the_plan_has_one_sign_in_json_csv_markdown_and_the_page(tmp_path):
    root = workspace(tmp_path)
    day = ("--as-of", "2023-12-31")
    row = next(row for row in json.loads(output(root, "status", *day, "--format", "json"),
                                         parse_float=Decimal)["targets"] if row["id"] == "behind")
    assert (row["completion"], row["planned"], row["vs_plan"]) == (Decimal("79.17"), Decimal("100.00"),
                                                                     Decimal("-20.83"))
    assert row["lag"] == Decimal("20.83")  # the thresholds' lag stays planned − completion, as documented
    cells = next(cells for cells in csv.DictReader(io.StringIO(output(root, "status", *day, "--format", "csv")))
                 if cells["id"] == "behind")
    assert cells["vs_plan"] == "-20.83"
    markdown = next(line for line in output(root, "status", *day, "--format", "markdown").splitlines()
                    if line.startswith("| behind "))
    assert "| -20.83 |" in markdown
    page = tmp_path / "page.html"
    output(root, "report", *day, "--format", "html", "--out", str(page))
    assert re.search(r"<td[^>]*>\s*-20\.83\s*</td>", page.read_text(encoding="utf-8"))


def test_a_milestone_not_done_reads_as_in_the_terminal_not_0_of_1(tmp_path):
    root = workspace(tmp_path)
    for lang, words in (("en", "not done"), ("zh", "尚未完成")):
        table = output(root, "--lang", lang, "status", "--as-of", "2023-12-31", "--format", "markdown")
        line = next(line for line in table.splitlines() if line.startswith("| bridge "))
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[2:4] == [words, "—"], cells  # Current, Target
        assert words in output(root, "--lang", lang, "status", "--as-of", "2023-12-31")


def test_a_slide_shows_no_percentage_before_a_start(tmp_path):
    root = workspace(tmp_path)
    write_target(root, "plan", 'title = "synthetic plan"\n')
    svg = ElementTree.fromstring(output(root, "report", "--as-of", "2023-06-30", "--format", "svg"))
    namespace = "{http://www.w3.org/2000/svg}"
    for group in svg.iter(f"{namespace}g"):
        if group.get("class") == "row" and group.find(f"{namespace}title").text.startswith("later"):
            texts = [text.text for text in group.iter(f"{namespace}text")]
            assert "0.00%" not in texts and "—" in texts, texts
            assert group.find(f"{namespace}rect") is None  # no bar
            break
    else:
        raise AssertionError("no slide row for the target not yet started")
