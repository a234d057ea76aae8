"""`kpitrack show` of a file that does not load names the file's own problem, with its line."""
import json
from decimal import Decimal

import pytest

import helpers
from helpers import FIRMS, TOTALS, one_error_line, run, write_target
from kpitrack.reports.rows import STATUS_FIELDS

pytestmark = pytest.mark.usefixtures("plain_environment")


def test_show_of_a_broken_file_names_its_problem_and_line(make_workspace, cli):
    root = make_workspace({"firms.toml": """\
        title = "synthetic: new firms"
        target = 1200
        start = 2023-01-01
        due = 2023-12-31

        [[progress]]
        date = 2023-06-31
        value = 5
        """})
    result = cli(root, "show", "firms", "--as-of", "2023-06-30")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "firms.toml:7" in result.stderr and "Traceback" not in result.output


def test_show_of_a_file_with_an_unknown_key_suggests_the_right_one(make_workspace, cli):
    root = make_workspace({"firms.toml": 'titel = "x"\ntarget = 5\nstart = 2023-01-01\ndue = 2023-12-31\n'})
    result = cli(root, "show", "firms")
    assert result.exit_code == 2
    assert "firms.toml:1" in result.stderr and "did you mean 'title'?" in result.stderr


def test_show_table_lists_definition_figures_and_entries(tmp_path):
    write_target(tmp_path, "firms", FIRMS.replace("value = 340\n", 'value = 340\nnote = "synthetic Q2 note"\n'))
    result = run(tmp_path, "show", "firms", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    lines = [line.split() for line in result.stdout.splitlines()]
    for expected in (["ID", "firms"], ["Title", "synthetic:", "new", "firms"], ["Group", "(workspace", "root)"],
                     ["Period", "2023-01-01", "to", "2023-12-31"], ["Target", "1,200", "firms", "from", "baseline", "0"],
                     ["As", "of", "2023-06-30"], ["Current", "650", "/", "1,200", "firms"],
                     ["Completion", "██████████··········", "54.17%"], ["Planned", "49.59%"],
                     ["Projected", "at", "due", "1,310.77", "firms"], ["Required", "per", "month", "90.98", "firms"],
                     ["Status", "ahead", "of", "plan", "(green)"],
                     ["│", "2023-03-31", "│", "310", "│", "│", "│", "│"],
                     ["│", "2023-06-30", "│", "340", "│", "│", "synthetic", "Q2", "note", "│", "│"]):
        assert expected in lines, (expected, result.stdout)


def test_show_json_lists_entries_and_figures(tmp_path):
    write_target(tmp_path, "firms", TOTALS, group="plan")
    result = run(tmp_path, "show", "firms", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    assert list(document) == [*STATUS_FIELDS, "as_of", "owner", "source", "tags", "stretch", "checkpoints",
                              "entries", "chart"]
    assert (document["as_of"], document["group"], document["current"], document["completion"],
            document["planned"], document["status"]) == (
        "2023-06-30", "plan", 650, Decimal("54.17"), Decimal("49.59"), "on-track")
    entry = {"total": False, "done": None, "note": None, "source": None, "qualifier": None, "estimate": False, "node": None}
    assert document["entries"] == [
        {**entry, "date": "2023-02-28", "value": 100}, {**entry, "date": "2023-03-31", "value": 200},
        {**entry, "date": "2023-06-30", "value": 650, "total": True}]  # 2023-08-31's entry is after the as-of day


def test_show_unknown_id_suggests_a_close_one(tmp_path):
    write_target(tmp_path, "firms", FIRMS)
    line = one_error_line(run(tmp_path, "show", "frims"))
    assert line == f"kpitrack: no target 'frims' in {tmp_path}; did you mean 'firms'?"


def test_show_prints_a_unit_that_looks_like_markup(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML.replace('unit = "firms"', 'unit = "[/] [i]个[/i]"')
                  + "[[progress]]\ndate = 2023-06-30\nvalue = 1\n")
    result = run(tmp_path, "show", "m", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "1 / 1,200 [/] [i]个[/i]" in result.stdout


def test_show_lists_the_last_twenty_entries_unless_asked_for_all(tmp_path):
    blocks = "".join(f"\n[[progress]]\ndate = 2023-02-{day:02d}\nvalue = {day}\nnote = \"day {day}\"\n"
                     for day in range(1, 26))
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML + blocks)
    short = run(tmp_path, "show", "m", "--as-of", "2023-06-30").stdout
    assert "and 5 earlier entries: `show --all` lists every one" in short
    assert "day 6 " in short and "day 5 " not in short
    every = run(tmp_path, "show", "m", "--as-of", "2023-06-30", "--all").stdout
    assert "day 1 " in every and "earlier entries" not in every


def test_show_draws_the_chart(three_targets):
    assert "█ actual  · plan  │ 2023-06-30" in run(three_targets, "show", "ahead", "--as-of", "2023-06-30").stdout
