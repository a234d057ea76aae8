"""`kpitrack new` (synthetic data)."""

from __future__ import annotations
import json
from datetime import date
from decimal import Decimal
import pytest
from helpers import snapshot, run, status_rows, one_error_line, read_toml, FIRMS, write_target, write

pytestmark = pytest.mark.usefixtures("plain_environment")


PERIOD = ("--start", "2023-01-01", "--due", "2023-12-31")


def test_new_writes_a_target_that_validate_and_show_accept(tmp_path):
    result = run(tmp_path, "new", "firms", "--title", "synthetic: new firms", "--target", "1,200",
                 "--unit", "firms", *PERIOD)
    assert result.exit_code == 0, result.output
    path = tmp_path / "firms.toml"
    assert result.stdout == f"wrote {path}\n"
    document = read_toml(path)
    assert document.get("baseline", 0) == 0
    assert {key: value for key, value in document.items() if key != "baseline"} == {
        "title": "synthetic: new firms", "unit": "firms", "target": 1200,
        "start": date(2023, 1, 1), "due": date(2023, 12, 31), "kind": "cumulative", "direction": "increase"}
    assert "target = 1200\n" in path.read_text(encoding="utf-8")  # an integer stays an integer
    checked = run(tmp_path, "validate")
    assert checked.exit_code == 0, checked.output
    shown = run(tmp_path, "show", "firms", "--as-of", "2023-06-30", "--format", "json")
    assert shown.exit_code == 0, shown.output
    row = json.loads(shown.stdout, parse_float=Decimal)
    assert (row["target"], row["current"], row["planned"], row["status"]) == (1200, None, Decimal("49.59"), "no-data")


def test_new_takes_every_option(tmp_path):
    result = run(tmp_path, "new", "approval-days", "--title", "synthetic: approval time", "--kind", "level",
                 "--direction", "decrease", "--baseline", "20", "--target", "5", "--unit", "days",
                 "--owner", "synthetic bureau", "--source", "synthetic document, 2023-01-05",
                 "--tag", "permits", "--tag", "services", "--stretch", "--group", "plan/sub", *PERIOD)
    assert result.exit_code == 0, result.output
    path = tmp_path / "plan" / "sub" / "approval-days.toml"
    assert result.stdout == f"wrote {path}\n"
    assert read_toml(path) == {
        "title": "synthetic: approval time", "unit": "days", "target": 5, "baseline": 20,
        "start": date(2023, 1, 1), "due": date(2023, 12, 31), "kind": "level", "direction": "decrease",
        "owner": "synthetic bureau", "source": "synthetic document, 2023-01-05",
        "tags": ["permits", "services"], "stretch": True}
    shown = run(tmp_path, "show", "approval-days", "--as-of", "2023-06-30", "--format", "json")
    assert shown.exit_code == 0, shown.output
    row = json.loads(shown.stdout, parse_float=Decimal)
    assert (row["group"], row["kind"], row["direction"], row["baseline"], row["target"]) == (
        "plan/sub", "level", "decrease", 20, 5)
    assert (row["owner"], row["source"], row["tags"], row["stretch"]) == (
        "synthetic bureau", "synthetic document, 2023-01-05", ["permits", "services"], True)


def test_new_milestone_has_no_target_and_takes_done(tmp_path):
    result = run(tmp_path, "new", "bridge", "--title", "synthetic: bridge open", "--kind", "milestone", *PERIOD)
    assert result.exit_code == 0, result.output
    document = read_toml(tmp_path / "bridge.toml")
    assert (document["kind"], "target" in document, "baseline" in document) == ("milestone", False, False)
    added = run(tmp_path, "add", "bridge", "done", "--date", "2023-05-01")
    assert added.exit_code == 0, added.output
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["bridge"]["status"] == "done"


def test_new_refuses_an_id_already_used_in_another_folder(tmp_path):
    write_target(tmp_path, "firms", FIRMS, group="plan")
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, "new", "firms", "--title", "t", "--target", "5", *PERIOD))
    assert line == f"kpitrack: id 'firms' is already used by {tmp_path / 'plan' / 'firms.toml'}; choose another id"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("arguments, words", [
    pytest.param(("--target", "5", "--start", "2023-12-01", "--due", "2023-01-31"),
                 ("due 2023-01-31 is before start 2023-12-01",), id="due-before-start"),
    pytest.param(("--target", "5", "--kind", "ratio", *PERIOD), ("--kind", "'ratio'"), id="bad-kind"),
    pytest.param(("--target", "5", "--direction", "down", *PERIOD), ("--direction", "'down'"), id="bad-direction"),
    pytest.param(("--target", "5", "--kind", "milestone", *PERIOD), ("--target", "milestone"),
                 id="milestone-with-target"),
    pytest.param(("--kind", "level", *PERIOD), ("--target",), id="figure-without-target"),
    pytest.param(("--target", "12abc", *PERIOD), ("--target", "'12abc'"), id="bad-number"),
    pytest.param(("--target", "5", "--start", "2023-02-30", "--due", "2023-12-31"), ("--start", "'2023-02-30'"),
                 id="bad-date"),
    pytest.param(("--target", "5", "--group", "../outside", *PERIOD), ("--group", "'../outside'"), id="bad-group"),
])
def test_new_refuses_bad_input_and_writes_nothing(tmp_path, arguments, words):
    write_target(tmp_path, "other", FIRMS)
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, "new", "fresh", "--title", "synthetic", *arguments))
    assert line.startswith("kpitrack: ")
    for word in words:
        assert word in line
    assert snapshot(tmp_path) == before
    assert not (tmp_path.parent / "outside").exists()


def test_new_due_before_start_names_the_option_not_an_unwritten_file(tmp_path):
    line = one_error_line(run(tmp_path, "new", "fresh", "--title", "synthetic", "--target", "5",
                              "--start", "2023-12-01", "--due", "2023-01-31"))
    assert "--due" in line and "fresh.toml" not in line


@pytest.mark.parametrize("bad_id", ["Firms", "../x", "a/b", "a b", "_x", "x.y", ""])
def test_new_refuses_an_id_that_is_not_a_plain_file_name(tmp_path, bad_id):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    line = one_error_line(run(workspace, "new", bad_id, "--title", "synthetic", "--target", "5", *PERIOD))
    assert line.startswith(f"kpitrack: {bad_id!r} is not a valid id")
    assert snapshot(tmp_path) == {}  # nothing in the workspace, nor beside it (../x)


@pytest.mark.parametrize("typed, unit, written", [
    ("1500亿", "亿元", "1500"), ("1500亿元", "亿元", "1500"), ("1.8万", "万个", "1.8"), ("3.5万套", "套", "35000"),
    ("１９４．７", "亿元", "194.7"), ("18000个", "万个", "1.8"),
])
@pytest.mark.parametrize("option, others", [("--target", ()), ("--baseline", ("--target", "999999")),
                                            ("--stretch-target", ("--target", "0.001"))])
def test_new_reads_a_typed_figure_as_add_does_in_the_targets_unit(tmp_path, typed, unit, written, option, others):
    """One reader of typed figures at every door (issue 22): `new --target` used to scale 1500亿 on
    a 亿元 target to 150000000000 and refuse 1500亿元, where `add` read both as 1500."""
    result = run(tmp_path, "new", "gdp", "--title", "synthetic", option, typed, *others, "--unit", unit, *PERIOD)
    assert result.exit_code == 0, result.output
    assert read_toml(tmp_path / "gdp.toml")[option[2:].replace("-", "_")] == Decimal(written)
    if option == "--target":
        added = run(tmp_path, "add", "gdp", typed, "--date", "2023-03-31", "--force")
        assert added.exit_code == 0, added.output
        assert read_toml(tmp_path / "gdp.toml")["progress"][0]["value"] == Decimal(written)  # the same reading


@pytest.mark.parametrize("typed", ["10²", "0.5²", "①", "١٢", "2²亿"])
@pytest.mark.parametrize("door", ["new", "add"])
def test_a_footnote_mark_or_another_scripts_digit_is_never_read_as_a_digit(tmp_path, typed, door):
    """NFKC used to make 10² 102, 0.5² 0.52 and ① 1: a mark copied from a report changed the figure."""
    write_target(tmp_path, "firms", FIRMS)
    before = (tmp_path / "firms.toml").read_bytes()
    arguments = (("new", "other", "--title", "synthetic", "--target", typed, "--unit", "个", *PERIOD) if door == "new"
                 else ("add", "firms", typed, "--date", "2023-03-31"))
    result = run(tmp_path, *arguments)
    assert result.exit_code == 2 and "0-9" in result.stderr, result.output
    assert (tmp_path / "firms.toml").read_bytes() == before and not (tmp_path / "other.toml").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "3000-01-01", "3000-01"])
def test_a_date_past_what_a_file_may_hold_is_refused_at_the_door(tmp_path, day):
    write_target(tmp_path, "firms", FIRMS)
    before = (tmp_path / "firms.toml").read_bytes()
    result = run(tmp_path, "add", "firms", "5", "--date", day)
    assert result.exit_code == 2 and "2999-12-31" in result.stderr, result.output
    assert (tmp_path / "firms.toml").read_bytes() == before


def test_a_decrease_target_is_a_level_target_unless_told_otherwise(tmp_path):
    """Synthetic: a vacancy rate of 100 % to be brought to 90 % or less; 95.5 typed is the reading 95.5."""
    result = run(tmp_path, "new", "vacancy", "--title", "synthetic: vacancy rate", "--direction", "decrease",
                 "--baseline", "100", "--target", "90", "--unit", "%", *PERIOD)
    assert result.exit_code == 0, result.output
    assert read_toml(tmp_path / "vacancy.toml")["kind"] == "level"
    added = run(tmp_path, "add", "vacancy", "95.5", "--date", "2023-03-31")
    assert added.exit_code == 0, added.output
    row = status_rows(tmp_path, "--as-of", "2023-03-31")["vacancy"]
    assert (row["current"], row["completion"]) == (Decimal("95.5"), Decimal("45.00"))
    told = run(tmp_path, "new", "falls", "--title", "synthetic: falls", "--direction", "decrease", "--kind",
               "cumulative", "--target", "-10", *PERIOD)
    assert told.exit_code == 0, told.output
    assert read_toml(tmp_path / "falls.toml")["kind"] == "cumulative"


def test_a_rise_typed_on_a_cumulative_decrease_target_is_not_steered_to_a_total(tmp_path):
    """A running total of 95.5 on a decrease target would record 100 + 95.5 = 195.5, a number
    nobody typed: the refusal says increments are falls, and names the level kind instead."""
    run(tmp_path, "new", "vacancy", "--title", "synthetic: vacancy rate", "--direction", "decrease", "--kind",
        "cumulative", "--baseline", "100", "--target", "90", *PERIOD)
    line = one_error_line(run(tmp_path, "add", "vacancy", "95.5", "--date", "2023-03-31"))
    assert "total" not in line and 'kind = "level"' in line and "-95.5" in line


@pytest.mark.parametrize("typed, unit, kind, target, qualifier", [
    ("超1200", "家", "cumulative", "1200", "over"), ("1200以上", "家", "cumulative", "1200", "at-least"),
    ("6.0%左右", "%", "growth", "6.0", "about"), ("超1.8万", "万个", "cumulative", "1.8", "over"),
])
def test_a_target_typed_with_its_wording_takes_it_as_its_qualifier(tmp_path, typed, unit, kind, target, qualifier):
    """The pledge as the document words it (超1200, 6.0%左右) is its figure and its qualifier, as
    --qualifier gives it; they were refused as 'not a number' (found by a new user). Synthetic."""
    import tomllib

    write(tmp_path / "kpitrack.toml", "")
    result = run(tmp_path, "new", "t", "--title", "synthetic", "--target", typed, "--unit", unit, "--kind", kind,
                 "--start", "2025-01-01", "--due", "2025-12-31")
    assert result.exit_code == 0, result.output
    written = tomllib.loads((tmp_path / "t.toml").read_text(encoding="utf-8"))
    assert (str(written["target"]), written["qualifier"]) == (target, qualifier)


def test_a_wording_and_another_qualifier_are_refused(tmp_path):
    write(tmp_path / "kpitrack.toml", "")
    result = run(tmp_path, "new", "t", "--title", "synthetic", "--target", "超1200", "--unit", "家", "--qualifier",
                 "about", "--start", "2025-01-01", "--due", "2025-12-31")
    assert result.exit_code == 2 and "worded over, but --qualifier says about" in result.output
    assert not (tmp_path / "t.toml").exists()
