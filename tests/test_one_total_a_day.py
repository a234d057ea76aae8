"""One rule for a date's running total at every door (issue 23): add (with --again too), import and
validate refuse a second, different running total for one target and date; a decrease target refuses
a running total moving away from its target without --force. Synthetic data."""


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


def test_import_refuses_a_second_different_total_in_one_file(tmp_path):
    path = write(tmp_path / "ws" / "firms.toml", TARGET_TOML)
    write(tmp_path / "rows.csv", "id,date,value,total\nfirms,2023-09-30,123,true\nfirms,2023-09-30,131,true\n")
    result = run(tmp_path / "ws", "import", str(tmp_path / "rows.csv"))
    assert result.exit_code == 2 and "two figures for 2023-09-30 in this import" in result.output, result.output
    assert "rows.csv:2" in result.output and "rows.csv:3" in result.output
    assert path.read_text() == TARGET_TOML


def test_import_of_another_total_for_a_recorded_date_revises_it(tmp_path):
    """A ledger re-imported with another figure: a revision of the entry (issue 27), not a second total."""
    path = write(tmp_path / "ws" / "firms.toml", RECORDED)
    write(tmp_path / "rows.csv", "id,date,value,total\nfirms,2023-09-30,123,true\n")
    result = run(tmp_path / "ws", "import", str(tmp_path / "rows.csv"))
    assert result.exit_code == 0 and "revised firms 2023-09-30: 131 → 123" in result.output, result.output
    assert path.read_text() == RECORDED.replace("value = 131", "value = 123")


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
