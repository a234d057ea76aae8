"""One rule for a date's running total at every door (issue 23): add (with --again too), import and
validate refuse a second, different running total for one target and date; a decrease target refuses
a running total moving away from its target without --force. Synthetic data."""

import pytest

from helpers import TARGET_TOML, runner, write
from kpitrack.cli import app

RECORDED = TARGET_TOML + "\n[[progress]]\nvalue = 131\ntotal = true\ndate = 2023-09-30\n"


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def test_add_again_refuses_a_second_different_total(tmp_path):
    path = write(tmp_path / "firms.toml", RECORDED)
    result = run(tmp_path, "add", "firms", "123", "--total", "--again", "--date", "2023-09-30")
    assert result.exit_code == 2 and "second, different running total" in result.output, result.output
    assert path.read_text() == RECORDED
    assert run(tmp_path, "add", "firms", "131", "--total", "--again", "--date", "2023-09-30").exit_code == 0


@pytest.mark.parametrize("recorded, rows", [
    (RECORDED, "firms,2023-09-30,123,true\n"),  # against a total in the file (a ledger re-imported)
    (TARGET_TOML, "firms,2023-09-30,123,true\nfirms,2023-09-30,131,true\n"),  # two rows of one file
])
def test_import_refuses_a_second_different_total(tmp_path, recorded, rows):
    path = write(tmp_path / "ws" / "firms.toml", recorded)
    write(tmp_path / "rows.csv", "id,date,value,total\n" + rows)
    result = run(tmp_path / "ws", "import", str(tmp_path / "rows.csv"))
    assert result.exit_code == 2 and "second, different running total" in result.output, result.output
    assert path.read_text() == recorded


def test_validate_reports_two_totals_on_one_date_as_an_error(tmp_path):
    write(tmp_path / "firms.toml", RECORDED + "\n[[progress]]\nvalue = 123\ntotal = true\ndate = 2023-09-30\n")
    result = run(tmp_path, "validate")
    assert result.exit_code == 1, result.output
    assert "firms.toml:13:" in result.output and "second, different running total" in result.output
    assert "all valid" not in result.output


def test_an_actual_figure_may_replace_an_estimate(tmp_path):
    write(tmp_path / "firms.toml", RECORDED.replace("total = true\n", "total = true\nestimate = true\n")
          + "\n[[progress]]\nvalue = 123\ntotal = true\ndate = 2023-09-30\n")
    assert run(tmp_path, "validate").exit_code == 0


def test_a_decrease_target_refuses_a_total_moving_away_without_force(tmp_path):
    text = TARGET_TOML.replace("target = 1200", "target = 10\nbaseline = 20\ndirection = \"decrease\"")
    path = write(tmp_path / "firms.toml", text)
    result = run(tmp_path, "add", "firms", "40", "--total", "--date", "2023-05-01")
    assert result.exit_code == 2 and "must fall" in result.output, result.output
    assert path.read_text() == text
    assert run(tmp_path, "add", "firms", "15", "--total", "--date", "2023-05-01").exit_code == 0
    assert run(tmp_path, "add", "firms", "40", "--total", "--date", "2023-06-01", "--force").exit_code == 0
