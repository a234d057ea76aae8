"""The `kpitrack` command, driven through typer's CliRunner.

Every workspace here is built in tmp_path from tiny TOML texts; all figures are synthetic
(made up for the test), except in the tests of the shipped targets/ folder at the end.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import helpers
from kpitrack import __version__
from kpitrack.cli import app
from kpitrack.report import STATUS_FIELDS

runner = CliRunner()

SHIPPED_TARGETS = Path(__file__).parents[1] / "targets"
COMMANDS = tuple(typer.main.get_command(app).commands)  # every command the app registers, read from it


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """No workspace, colour or width settings leak in from the shell running the tests."""
    for name in ("KPITRACK_DIR", "FORCE_COLOR", "COLUMNS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


# --- helpers: synthetic workspaces ---------------------------------------------------------


def target_toml(title="synthetic: new firms", target=1200, start="2023-01-01", due="2023-12-31",
                unit="firms", extra="") -> str:
    """The text of a synthetic target file; `target=None` leaves the key out (for milestones)."""
    lines = ["# synthetic test data: made-up figures", f'title = "{title}"']
    if unit is not None:
        lines.append(f'unit = "{unit}"')
    if target is not None:
        lines.append(f"target = {target}")
    lines += [f"start = {start}", f"due = {due}"]
    return "\n".join(lines) + "\n" + extra


def progress(when: str, value=None, total: bool = False, done: bool | None = None) -> str:
    """One hand-written [[progress]] block."""
    block = f"\n[[progress]]\ndate = {when}\n"
    if value is not None:
        block += f"value = {value}\n"
    if total:
        block += "total = true\n"
    if done is not None:
        block += f"done = {'true' if done else 'false'}\n"
    return block


def milestone_toml(due="2023-09-30", extra="") -> str:
    return target_toml(title="synthetic: bridge open", target=None, unit=None, due=due,
                       extra='kind = "milestone"\n' + extra)


def write(root: Path, target_id: str, text: str, group: str = "") -> Path:
    path = root / group / f"{target_id}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root (hidden ones too, but not kpitrack's own state in .kpitrack/, such as
    lock notes) and its bytes: to show that nothing changed."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file() and ".kpitrack" not in path.relative_to(root).parts}


def run(root: Path, *args: str):
    return runner.invoke(app, ["--dir", str(root), *args])


def status_rows(root: Path, *args: str) -> dict[str, dict]:
    """`status --format json` as {id: row}, numbers read as exact Decimals."""
    result = run(root, "status", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout, parse_float=Decimal)["targets"]}


def status_ids(root: Path, *args: str) -> list[str]:
    result = run(root, "status", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)["targets"]]


def one_error_line(result) -> str:
    """A refused command: exit 2, nothing on stdout, exactly one line on stderr."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def read_toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


# The example of the issue: 310 in Q1 and 340 in Q2 of a pledge of 1200 for 2023 (synthetic).
FIRMS = target_toml(extra=progress("2023-03-31", 310) + progress("2023-06-30", 340))
# The same pledge a little behind the calendar: 310 + 240 = 550 by 2023-06-30 (synthetic).
SLOW_FIRMS = target_toml(extra=progress("2023-03-31", 310) + progress("2023-06-30", 240))


# --- version and help ----------------------------------------------------------------------


def test_version_prints_the_package_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"kpitrack {__version__}\n"
    assert __version__ == importlib.metadata.version("kpitrack")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_shows_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: kpitrack {command}" in result.stdout
    examples = [line.strip() for line in result.stdout.splitlines() if "Example:" in line]
    assert len(examples) == 1 and examples[0].startswith(f"Example: kpitrack {command}"), result.stdout


def test_top_level_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert sorted(listed) == sorted(COMMANDS) and len(COMMANDS) >= 11


def test_top_level_help_shows_an_example():
    result = runner.invoke(app, ["--help"])
    assert "Example: kpitrack status --as-of 2023-12-31" in result.stdout


# --- init ----------------------------------------------------------------------------------


def test_init_makes_settings_and_an_example_that_validate_accepts(tmp_path):
    folder = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    schemas = [folder / ".schema" / f"{kind}.schema.json" for kind in ("target", "settings", "plan")]
    assert result.stdout == "".join(f"wrote {path}\n" for path in
                                    (*schemas, folder / "kpitrack.toml", folder / "example.toml"))
    assert sorted(snapshot(folder)) == sorted([path.relative_to(folder).as_posix() for path in schemas]
                                              + ["example.toml", "kpitrack.toml"])
    assert read_toml(folder / "kpitrack.toml") == {"yellow": 5, "red": 15, "schedule": "monthly", "cadence": "monthly",
                                                   "stale_grace_days": 45, "close_after_days": 120}
    example = read_toml(folder / "example.toml")
    assert (example["target"], example["start"]) == (1200, date(date.today().year, 1, 1))
    checked = run(folder, "validate")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == f"1 target in {folder}: all valid\n"


def test_init_without_a_folder_makes_targets_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert [name for name in sorted(snapshot(tmp_path)) if "/.schema/" not in name] == [
        "targets/example.toml", "targets/kpitrack.toml"]
    found = runner.invoke(app, ["validate"])  # ./targets is found without --dir
    assert found.exit_code == 0, found.output


def test_init_again_refuses_and_overwrites_nothing(tmp_path):
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    (folder / "example.toml").write_text("# edited by hand\n" + target_toml(), encoding="utf-8")
    before = snapshot(tmp_path)
    line = one_error_line(runner.invoke(app, ["init", str(folder)]))
    assert line == f"kpitrack: {folder} is already a kpitrack workspace (kpitrack.toml exists)"
    assert snapshot(tmp_path) == before


def test_init_keeps_an_existing_example_file(tmp_path):
    folder = tmp_path / "ws"
    write(folder, "example", "# mine, synthetic\n" + target_toml())
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"wrote {folder / 'kpitrack.toml'}"
    assert "example.toml" not in result.stdout
    assert (folder / "example.toml").read_text(encoding="utf-8") == "# mine, synthetic\n" + target_toml()


# --- new -----------------------------------------------------------------------------------

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
    assert (row["target"], row["current"], row["planned"], row["status"]) == (1200, 0, Decimal("49.59"), "no-data")


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
    write(tmp_path, "firms", FIRMS, group="plan")
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
    write(tmp_path, "other", FIRMS)
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


# --- add -----------------------------------------------------------------------------------

HAND_WRITTEN = """\
# synthetic test data, written by hand: comments and layout must survive `add`
title   = "synthetic: new firms"   # odd spacing on purpose
unit = "firms"
target = 1_200
start = 2023-01-01
due = 2023-12-31

[[progress]]   # Q1, from a made-up bulletin
date = 2023-03-31
value = 310
note = "第一季度 (synthetic)"
"""


def test_add_appends_an_entry_and_keeps_the_earlier_bytes(tmp_path):
    path = write(tmp_path, "firms", HAND_WRITTEN)
    old = path.read_bytes()
    result = run(tmp_path, "add", "firms", "340", "--date", "2023-06-30", "--note", "synthetic note",
                 "--source", "synthetic source")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added to {path}: 340 on 2023-06-30\n"
    new = path.read_bytes()
    assert new.startswith(old) and len(new) > len(old)
    assert read_toml(path)["progress"][-1] == {
        "date": date(2023, 6, 30), "value": 340, "note": "synthetic note", "source": "synthetic source"}
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]["current"] == 650


def test_add_appends_running_total_entry(tmp_path):
    path = write(tmp_path, "firms", HAND_WRITTEN)
    old = path.read_bytes()
    result = run(tmp_path, "add", "firms", "1,000", "--total", "--date", "2023-09-30")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added to {path}: 1,000 on 2023-09-30 (running total)\n"
    assert path.read_bytes().startswith(old)
    assert read_toml(path)["progress"][-1] == {"date": date(2023, 9, 30), "value": 1000, "total": True}
    assert status_rows(tmp_path, "--as-of", "2023-09-30")["firms"]["current"] == 1000


def test_add_to_a_file_without_final_newline_keeps_it_valid(tmp_path):
    path = write(tmp_path, "firms", target_toml().rstrip("\n"))
    old = path.read_bytes()
    result = run(tmp_path, "add", "firms", "7", "--date", "2023-02-01")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(old)
    assert read_toml(path)["progress"] == [{"date": date(2023, 2, 1), "value": 7}]


def test_add_without_date_records_today(tmp_path):
    path = write(tmp_path, "firms", target_toml(start="2000-01-01", due="2999-12-31"))
    result = run(tmp_path, "add", "firms", "5")
    assert result.exit_code == 0, result.output
    assert read_toml(path)["progress"][-1]["date"] == date.today()


def test_add_finds_a_target_in_a_sub_folder(tmp_path):
    path = write(tmp_path, "firms", FIRMS, group="plan/sub")
    result = run(tmp_path, "add", "firms", "10", "--date", "2023-07-31")
    assert result.exit_code == 0, result.output
    assert read_toml(path)["progress"][-1] == {"date": date(2023, 7, 31), "value": 10}


@pytest.mark.parametrize("typed, stored, text", [
    ("18.5万", Decimal(185000), "value = 185000\n"),
    ("1,200", Decimal(1200), "value = 1200\n"),
    ("2.5亿", Decimal(250000000), "value = 250000000\n"),
    ("847.6", Decimal("847.6"), "value = 847.6\n"),
    ("0.75", Decimal("0.75"), "value = 0.75\n"),
])
def test_add_stores_typed_numbers_exactly(tmp_path, typed, stored, text):
    path = write(tmp_path, "firms", target_toml())
    old = path.read_text(encoding="utf-8")
    result = run(tmp_path, "add", "firms", typed, "--date", "2023-03-31", "--force")  # beyond 5× the target
    assert result.exit_code == 0, result.output
    appended = path.read_text(encoding="utf-8")[len(old):]
    assert appended == f"\n[[progress]]\n{text}date = 2023-03-31\n"  # date last: see entry_block
    assert read_toml(path)["progress"][-1]["value"] == stored


def test_add_sums_decimals_exactly(tmp_path):
    write(tmp_path, "firms", target_toml())
    for value, when in (("847.6", "2023-01-31"), ("611.7", "2023-02-28"), ("0.1", "2023-03-31")):
        assert run(tmp_path, "add", "firms", value, "--date", when).exit_code == 0
    current = status_rows(tmp_path, "--as-of", "2023-03-31")["firms"]["current"]
    assert str(current) == "1459.4"


def test_add_done_to_a_milestone(tmp_path):
    path = write(tmp_path, "bridge", milestone_toml())
    old = path.read_bytes()
    result = run(tmp_path, "add", "bridge", "done", "--date", "2023-05-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added to {path}: done on 2023-05-01\n"
    assert path.read_bytes() == old + b"\n[[progress]]\ndone = true\ndate = 2023-05-01\n"
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["bridge"]["status"] == "done"


def test_add_undone_reopens_a_milestone(tmp_path):
    path = write(tmp_path, "bridge", milestone_toml(extra=progress("2023-05-01", done=True)))
    result = run(tmp_path, "add", "bridge", "undone", "--date", "2023-06-01")
    assert result.exit_code == 0, result.output
    assert read_toml(path)["progress"][-1] == {"date": date(2023, 6, 1), "done": False}
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert (rows["bridge"]["current"], rows["bridge"]["status"]) == (0, "on-track")


LEVEL = target_toml(title="synthetic: charging piles", target=1000, unit="piles", extra='kind = "level"\n')


@pytest.mark.parametrize("files, arguments, words", [
    pytest.param({"bridge": milestone_toml()}, ("bridge", "5", "--date", "2023-05-01"),
                 ("bridge.toml", "milestone"), id="value-on-milestone"),
    pytest.param({"firms": FIRMS}, ("firms", "done", "--date", "2023-05-01"),
                 ("firms.toml", "`done` is only for milestones"), id="done-on-cumulative"),
    pytest.param({"piles": LEVEL}, ("piles", "300", "--total", "--date", "2023-05-01"),
                 ("piles.toml", "`total` is only for cumulative"), id="total-on-level"),
    pytest.param({"firms": FIRMS}, ("firm", "5", "--date", "2023-05-01"),
                 ("no target 'firm'", "did you mean 'firms'?"), id="unknown-id"),
    pytest.param({"firms": FIRMS}, ("Firms", "5", "--date", "2023-05-01"), ("'Firms'", "not a valid id"),
                 id="upper-case-id"),
    pytest.param({"firms": FIRMS}, ("../firms", "5", "--date", "2023-05-01"), ("'../firms'", "not a valid id"),
                 id="path-as-id"),
    pytest.param({"firms": FIRMS}, ("firms", "5", "--date", "2023-02-30"), ("--date", "'2023-02-30'"),
                 id="no-such-day"),
    pytest.param({"firms": FIRMS}, ("firms", "5", "--date", "01/02/2023"), ("--date", "'01/02/2023'"),
                 id="ambiguous-date"),
    pytest.param({"firms": FIRMS}, ("firms", "12abc", "--date", "2023-05-01"), ("'12abc'", "not a number"),
                 id="not-a-number"),
    pytest.param({"firms": FIRMS}, ("firms", "NaN", "--date", "2023-05-01"), ("'NaN'", "not a number"), id="nan"),
    pytest.param({"firms": FIRMS}, ("firms", "inf", "--date", "2023-05-01"), ("'inf'", "not a number"), id="inf"),
    pytest.param({"firms": FIRMS}, ("firms", "", "--date", "2023-05-01"), ("''", "not a number"), id="empty"),
])
def test_add_refuses_bad_input_and_changes_nothing(tmp_path, files, arguments, words):
    for target_id, text in files.items():
        write(tmp_path, target_id, text)
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, "add", *arguments))
    assert line.startswith("kpitrack: ")
    for word in words:
        assert word in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("typed", ["12abc", "NaN"])
def test_add_bad_value_message_names_the_argument(tmp_path, typed):
    write(tmp_path, "firms", FIRMS)
    line = one_error_line(run(tmp_path, "add", "firms", typed, "--date", "2023-05-01"))
    assert "VALUE" in line


def test_add_refuses_to_append_to_a_broken_file(tmp_path):
    write(tmp_path, "firms", target_toml(extra="titel = 'typo'\n"))
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, "add", "firms", "5", "--date", "2023-05-01"))
    assert line == f"kpitrack: {tmp_path / 'firms.toml'}:7: unknown key 'titel'; did you mean 'title'?"
    assert snapshot(tmp_path) == before


# --- status: formats -----------------------------------------------------------------------


def test_status_json_has_exact_figures_for_the_issue_example(tmp_path):
    write(tmp_path, "firms", FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    assert list(document) == ["as_of", "targets"]
    assert document["as_of"] == "2023-06-30"
    [row] = document["targets"]
    assert tuple(row) == STATUS_FIELDS
    assert {key: value for key, value in row.items() if key != "lag"} == {
        "id": "firms", "title": "synthetic: new firms", "group": "", "unit": "firms", "kind": "cumulative",
        "direction": "increase", "baseline": 0, "target": 1200,
        "current": 650,
        "completion": Decimal("54.17"),  # 54.1666… rounded half up
        "planned": Decimal("49.59"),  # 181 / 365
        "lag_days": -17,  # the plan reaches 54.17 % on day 198; 181 - 198
        "projected": Decimal("1310.77"),  # 650 / 181 * 365
        "required_per_month": Decimal("90.98"),  # 550 * 30.4375 / 184
        "status": "on-track", "stale": False, "start": "2023-01-01", "due": "2023-12-31", "last_update": "2023-06-30",
        "schedule": "daily",
        # issue 12: no qualifier reads as at-least; no stretch figure, estimate or verdict yet
        "qualifier": "at-least", "tolerance": None, "stretch_target": None, "stretch_completion": None, "gap": None,
        "change": None, "estimate": False, "verdict": None, "done_on": None, "exceeded_by": None,
        "exceeded_points": None}


def test_status_lag_is_planned_minus_completion_as_shown(tmp_path):
    write(tmp_path, "firms", FIRMS)
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]
    assert row["lag"] == row["planned"] - row["completion"] == Decimal("-4.58")


def test_status_json_figures_are_numbers_and_unknowns_null(tmp_path):
    write(tmp_path, "firms", FIRMS)
    write(tmp_path, "bridge", milestone_toml())
    write(tmp_path, "later", target_toml(start="2023-07-01"))
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    for key in ("baseline", "target", "current", "completion", "planned", "lag", "lag_days", "projected",
                "required_per_month"):
        assert isinstance(rows["firms"][key], (int, Decimal)) and not isinstance(rows["firms"][key], bool), key
    unknown = ("planned", "lag", "lag_days", "projected", "required_per_month", "last_update")
    assert {key: rows["bridge"][key] for key in unknown} == dict.fromkeys(unknown)
    assert (rows["later"]["lag_days"], rows["later"]["projected"], rows["later"]["last_update"]) == (None, None, None)


def test_status_csv_has_the_documented_columns_and_exact_figures(tmp_path):
    write(tmp_path, "firms", SLOW_FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        ",".join(STATUS_FIELDS),
        # 550 / 1200 = 45.83 % (rounded down); planned 49.59; lag 3.76 points, 13 days;
        # projected 550 / 181 * 365 = 1109.12; required 650 * 30.4375 / 184 = 107.52 a month.
        "firms,synthetic: new firms,,firms,cumulative,increase,0,1200,550,45.83,49.59,3.76,13,1109.12,107.52,"
        "at-risk,false,2023-01-01,2023-12-31,2023-06-30,daily,at-least,,,,,,false,,,,",
    ]


def test_status_csv_writes_negative_lag_days_as_a_number(tmp_path):
    write(tmp_path, "firms", FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "csv")
    header, row = result.stdout.splitlines()
    assert dict(zip(header.split(","), row.split(",")))["lag_days"] == "-17"


def test_status_markdown_has_exact_figures(tmp_path):
    write(tmp_path, "firms", SLOW_FIRMS)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Status as of 2023-06-30\n\n"
        "| ID | Title | Current | Target | Unit | Done | Plan | vs plan | Status | Stale | Due | Updated | Verdict |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| firms | synthetic: new firms | 550 | 1200 | firms | 45.83% | 49.59% | -3.76 | at-risk (yellow) |  "
        "| 2023-12-31 | 2023-06-30 | — |\n")


def test_status_table_shows_the_figures_without_colour_codes(tmp_path):
    write(tmp_path, "firms", SLOW_FIRMS)
    write(tmp_path, "bridge", milestone_toml(), group="plan")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "kpitrack status as of 2023-06-30"
    assert all(len(line) <= 100 for line in lines)  # 100 columns when not on a terminal
    firms_row = next(line for line in lines if line.strip().startswith("firms "))
    assert firms_row.split() == ["firms", "synthetic:", "new", "firms", "550", "/", "1,200", "firms", "██····",
                                 "45.83%", "49.59%", "-3.76", "at-risk", "(yellow)"]  # one line, ahead positive
    groups = [line.strip() for line in lines if line.strip() in ("(workspace root)", "plan")]
    assert groups == ["(workspace root)", "plan"]
    assert lines[1] == "2 targets: 0 done, 1 on-track, 1 at-risk, 0 behind, 0 overdue, 0 no-data"
    assert "not done" in result.stdout


COLOUR_CODE = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7])[;m]")  # SGR foreground colours


def test_status_table_honours_no_color(tmp_path, monkeypatch):
    write(tmp_path, "firms", SLOW_FIRMS)
    monkeypatch.setenv("FORCE_COLOR", "1")  # as if on a terminal
    coloured = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert coloured.exit_code == 0, coloured.output
    assert COLOUR_CODE.search(coloured.stdout)  # yellow for at-risk
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert plain.exit_code == 0, plain.output
    assert not COLOUR_CODE.search(plain.stdout)
    assert "at-risk" in plain.stdout


def test_status_table_prints_titles_literally(tmp_path):
    write(tmp_path, "firms", target_toml(title="[red]synthetic[/red] \\u001b[31m"))
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "[red]synthetic[/red] \\x1b[31m" in result.stdout
    assert "\x1b" not in result.stdout


def test_status_as_of_takes_a_worded_date_and_refuses_an_ambiguous_one(tmp_path):
    write(tmp_path, "firms", FIRMS)
    result = run(tmp_path, "status", "--as-of", "30 June 2023", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2023-06-30"
    line = one_error_line(run(tmp_path, "status", "--as-of", "06/07/2023"))
    assert "--as-of" in line and "'06/07/2023'" in line


def test_status_as_of_defaults_to_today(tmp_path):
    write(tmp_path, "later", target_toml(start="2998-01-01", due="2998-12-31"))
    result = run(tmp_path, "status", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["as_of"], document["targets"][0]["status"]) == (date.today().isoformat(), "not-started")


def test_status_of_an_empty_workspace_is_an_empty_list(tmp_path):
    (tmp_path / "kpitrack.toml").write_text("at_risk_band = 10\n", encoding="utf-8")
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"as_of": "2023-06-30", "targets": []}


# --- status: each status value --------------------------------------------------------------


def status_workspace(root: Path) -> None:
    """Six synthetic targets of 100 for 2023; as of 2023-06-30 the plan stands at 49.59 %."""
    write(root, "waiting", target_toml(target=100, start="2023-07-01"))
    write(root, "finished", target_toml(target=100, extra=progress("2023-05-31", 100)))
    write(root, "ahead", target_toml(target=100, extra=progress("2023-05-31", 60)))  # lag -10.41
    write(root, "slipping", target_toml(target=100, extra=progress("2023-05-31", 45)))  # lag 4.59
    write(root, "lagging", target_toml(target=100, extra=progress("2023-05-31", 30)))  # lag 19.59
    write(root, "late", target_toml(target=100, due="2023-03-31", extra=progress("2023-03-31", 50)))


EXPECTED_STATUS = {"ahead": "on-track", "finished": "done", "lagging": "behind", "late": "overdue",
                   "slipping": "at-risk", "waiting": "not-started"}


def test_status_reaches_every_status_value(tmp_path):
    status_workspace(tmp_path)
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert {target_id: row["status"] for target_id, row in rows.items()} == EXPECTED_STATUS
    assert {target_id: row["lag"] for target_id, row in rows.items() if target_id != "late"} == {
        "ahead": Decimal("-10.41"), "finished": Decimal("-50.41"), "lagging": Decimal("19.59"),
        "slipping": Decimal("4.59"), "waiting": Decimal("0.00")}


@pytest.mark.parametrize("wanted", sorted(set(EXPECTED_STATUS.values())))
def test_status_filter_by_status(tmp_path, wanted):
    status_workspace(tmp_path)
    ids = status_ids(tmp_path, "--as-of", "2023-06-30", "--status", wanted)
    assert ids == [target_id for target_id, value in sorted(EXPECTED_STATUS.items()) if value == wanted]


def test_status_refuses_an_unknown_status_filter(tmp_path):
    status_workspace(tmp_path)
    line = one_error_line(run(tmp_path, "status", "--status", "late"))
    assert "--status" in line and "'late'" in line


@pytest.mark.parametrize("band, slipping, lagging", [
    ("20", "at-risk", "at-risk"),  # 19.59 < 20
    ("4.5", "behind", "behind"),  # 4.59 >= 4.5
    ("10", "at-risk", "behind"),
])
def test_status_at_risk_band_comes_from_kpitrack_toml(tmp_path, band, slipping, lagging):
    status_workspace(tmp_path)
    (tmp_path / "kpitrack.toml").write_text(f"at_risk_band = {band}\n", encoding="utf-8")
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert (rows["slipping"]["status"], rows["lagging"]["status"]) == (slipping, lagging)


def test_status_reports_a_bad_at_risk_band(tmp_path):
    status_workspace(tmp_path)
    (tmp_path / "kpitrack.toml").write_text("at_risk_band = 0\n", encoding="utf-8")
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{tmp_path / 'kpitrack.toml'}:1: at_risk_band")


@pytest.mark.parametrize("as_of, expected", [
    ("2023-06-30", "on-track"),  # no entry, before due
    ("2023-10-01", "overdue"),  # no entry, after due
])
def test_status_of_a_milestone_not_done(tmp_path, as_of, expected):
    write(tmp_path, "bridge", milestone_toml(due="2023-09-30"))
    assert status_rows(tmp_path, "--as-of", as_of)["bridge"]["status"] == expected


def test_status_of_a_milestone_done_after_due_is_done(tmp_path):
    write(tmp_path, "bridge", milestone_toml(due="2023-09-30", extra=progress("2023-10-15", done=True)))
    rows = status_rows(tmp_path, "--as-of", "2023-10-31")
    assert (rows["bridge"]["current"], rows["bridge"]["completion"], rows["bridge"]["status"]) == (
        1, Decimal("100.00"), "done")


# --- status: the arithmetic, through the CLI -------------------------------------------------


def test_status_planned_counts_the_leap_day(tmp_path):
    write(tmp_path, "leap", target_toml(target=100, start="2024-01-01", due="2024-12-31"))
    write(tmp_path, "plain", target_toml(target=100, start="2023-01-01", due="2023-12-31"))
    assert status_rows(tmp_path, "--as-of", "2024-06-30")["leap"]["planned"] == Decimal("49.73")  # 182 / 366
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["plain"]["planned"] == Decimal("49.59")  # 181 / 365


@pytest.mark.parametrize("as_of, planned", [
    ("2022-12-31", "0.00"),  # before start
    ("2023-01-01", "0.27"),  # the end of the first day: 1 / 365
    ("2023-12-31", "100.00"),
    ("2024-03-01", "100.00"),  # clipped after due
])
def test_status_planned_is_clipped_and_inclusive_of_both_ends(tmp_path, as_of, planned):
    write(tmp_path, "plain", target_toml(target=100))
    assert status_rows(tmp_path, "--as-of", as_of)["plain"]["planned"] == Decimal(planned)


CHECKPOINT = "\n[[checkpoint]]\ndate = 2023-06-30\nvalue = 500\n"


@pytest.mark.parametrize("as_of, planned", [
    ("2023-03-31", "20.72"),  # day 90 of 181 on the way to 500 / 1200 = 41.67 %
    ("2023-06-30", "41.67"),  # the checkpoint itself
    ("2023-09-30", "70.83"),  # halfway (day 92 of 184) from 41.67 % to 100 %
])
def test_status_planned_follows_checkpoints(tmp_path, as_of, planned):
    write(tmp_path, "firms", target_toml(extra=CHECKPOINT))
    assert status_rows(tmp_path, "--as-of", as_of)["firms"]["planned"] == Decimal(planned)


def test_status_lag_follows_checkpoints(tmp_path):
    write(tmp_path, "firms", target_toml(extra=CHECKPOINT + progress("2023-06-30", 450)))
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]
    # 450 / 1200 = 37.5 % against a plan of 41.67 %; the plan reached 37.5 % on day 163 (0.9 * 181).
    assert (row["completion"], row["planned"], row["lag"], row["lag_days"], row["status"]) == (
        Decimal("37.50"), Decimal("41.67"), Decimal("4.17"), 18, "at-risk")


TOTALS = target_toml(extra=progress("2023-02-28", 100) + progress("2023-03-31", 200)
                     + progress("2023-06-30", 650, total=True) + progress("2023-08-31", 50))


@pytest.mark.parametrize("as_of, current", [
    ("2023-03-31", 300),  # increments
    ("2023-06-30", 650),  # the reported running total replaces the sum so far
    ("2023-09-30", 700),  # a later increment adds to the total
])
def test_status_total_entry_replaces_the_sum_so_far(tmp_path, as_of, current):
    write(tmp_path, "firms", TOTALS)
    assert status_rows(tmp_path, "--as-of", as_of)["firms"]["current"] == current


def test_status_total_includes_the_increments_of_its_own_day(tmp_path):
    # 1-6月累计 650 dated 2023-06-30 already holds June's increment, whatever the order in the file.
    write(tmp_path, "firms", target_toml(extra=progress("2023-06-30", 650, total=True) + progress("2023-06-30", 10)))
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]["current"] == 650


def test_status_of_a_decrease_target(tmp_path):
    text = target_toml(title="synthetic: approval days", target=5, unit="days",
                       extra='baseline = 20\nkind = "level"\ndirection = "decrease"\n'
                             + progress("2023-03-31", 15) + progress("2023-06-30", 12))
    write(tmp_path, "approval", text)
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["approval"]
    # (12 - 20) / (5 - 20) = 53.33 % of the way; 20 - 8 / 181 * 365 = 3.87 at due; -7 in 184 days.
    assert {key: row[key] for key in ("baseline", "target", "current", "completion", "planned", "lag", "lag_days",
                                      "projected", "required_per_month", "status")} == {
        "baseline": 20, "target": 5, "current": 12, "completion": Decimal("53.33"), "planned": Decimal("49.59"),
        "lag": Decimal("-3.74"), "lag_days": -14, "projected": Decimal("3.87"),
        "required_per_month": Decimal("-1.16"), "status": "on-track"}


def test_status_of_a_decrease_target_before_any_reading_shows_zero_completion(tmp_path):
    text = target_toml(title="synthetic: approval days", target=5, unit="days",
                       extra='baseline = 20\nkind = "level"\ndirection = "decrease"\n')
    write(tmp_path, "approval", text)
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout, parse_float=Decimal)["targets"][0]
    assert (row["current"], row["completion"], row["status"]) == (20, 0, "behind")


def test_status_of_a_decrease_target_never_shows_negative_zero(tmp_path):
    text = target_toml(title="synthetic: approval days", target=5, unit="days",
                       extra='baseline = 20\nkind = "level"\ndirection = "decrease"\n')
    write(tmp_path, "approval", text)
    for output in ("json", "csv", "markdown", "table"):
        result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", output)
        assert result.exit_code == 0, result.output
        assert "-0.0" not in result.stdout, output


LEVEL_READINGS = target_toml(title="synthetic: charging piles", target=1000, unit="piles",
                             extra='kind = "level"\n' + progress("2023-06-30", 300)
                             + progress("2023-03-31", 400) + progress("2023-09-30", 900))


@pytest.mark.parametrize("as_of, current", [
    ("2023-01-31", 0),  # before the first reading: the baseline
    ("2023-05-31", 400),
    ("2023-06-30", 300),  # the latest reading counts, even when lower (and written first in the file)
    ("2023-12-31", 900),
])
def test_status_of_a_level_target_takes_the_latest_reading(tmp_path, as_of, current):
    write(tmp_path, "piles", LEVEL_READINGS)
    assert status_rows(tmp_path, "--as-of", as_of)["piles"]["current"] == current


def test_status_ignores_entries_after_as_of(tmp_path):
    write(tmp_path, "piles", LEVEL_READINGS)
    row = status_rows(tmp_path, "--as-of", "2023-06-30")["piles"]
    assert (row["current"], row["completion"], row["lag"], row["status"]) == (
        300, Decimal("30.00"), Decimal("19.59"), "behind")


def test_status_last_update_ignores_entries_after_as_of(tmp_path):
    write(tmp_path, "piles", LEVEL_READINGS)
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["piles"]["last_update"] == "2023-06-30"


# --- status: filters and order ---------------------------------------------------------------


def filter_workspace(root: Path) -> None:
    write(root, "solo", target_toml(extra='tags = ["a"]\n'))
    write(root, "one", target_toml(extra='tags = ["a", "b"]\n'), group="plan")
    write(root, "two", target_toml(extra='tags = ["b"]\n'), group="plan/sub")
    write(root, "three", target_toml(), group="planner")


@pytest.mark.parametrize("arguments, expected", [
    ((), ["solo", "one", "two", "three"]),  # grouped by folder: root, plan, plan/sub, planner
    (("--tag", "a"), ["solo", "one"]),
    (("--tag", "b"), ["one", "two"]),
    (("--tag", "c"), []),
    (("--group", "plan"), ["one", "two"]),  # a folder and its sub-folders, not plan*
    (("--group", "plan/"), ["one", "two"]),
    (("--group", "plan/sub"), ["two"]),
    (("--group", "planner"), ["three"]),
    (("--group", "plan", "--tag", "a"), ["one"]),
])
def test_status_filters_by_tag_and_group(tmp_path, arguments, expected):
    filter_workspace(tmp_path)
    assert status_ids(tmp_path, "--as-of", "2023-06-30", *arguments) == expected


def sort_workspace(root: Path) -> None:
    """As of 2023-06-30: lags bravo 49.54, charlie 14.19, alpha -10.41; delta is a milestone (no lag)."""
    write(root, "alpha", target_toml(target=100, due="2023-12-31", extra=progress("2023-06-30", 60)), group="g")
    write(root, "bravo", target_toml(target=100, due="2023-10-31", extra=progress("2023-06-30", 10)), group="g")
    write(root, "charlie", target_toml(target=100, due="2023-11-30", extra=progress("2023-06-30", 40)), group="g")
    write(root, "delta", milestone_toml(due="2023-08-31"), group="g")
    write(root, "early", target_toml(target=100, due="2023-07-31"))  # the root folder comes first


@pytest.mark.parametrize("sort, expected", [
    ("id", ["early", "alpha", "bravo", "charlie", "delta"]),
    ("lag", ["early", "bravo", "charlie", "alpha", "delta"]),  # most behind first, no lag last
    ("due", ["early", "delta", "bravo", "charlie", "alpha"]),
])
def test_status_sort_orders_rows_within_each_folder(tmp_path, sort, expected):
    sort_workspace(tmp_path)
    assert status_ids(tmp_path, "--as-of", "2023-06-30", "--sort", sort) == expected


def test_status_sort_by_lag_uses_these_lags(tmp_path):
    sort_workspace(tmp_path)
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert [rows[name]["lag"] for name in ("bravo", "charlie", "alpha", "delta")] == [
        Decimal("49.54"), Decimal("14.19"), Decimal("-10.41"), None]


# --- status with a broken file ---------------------------------------------------------------


def test_status_prints_good_rows_and_reports_the_broken_file(tmp_path):
    write(tmp_path, "firms", FIRMS)
    write(tmp_path, "zeta", SLOW_FIRMS, group="plan")
    write(tmp_path, "broken", target_toml(target='"abc"'), group="plan")
    result = run(tmp_path, "status", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    assert [(row["id"], row["current"]) for row in document["targets"]] == [("firms", 650), ("zeta", 550)]
    assert result.stderr == f"{tmp_path / 'plan' / 'broken.toml'}:4: target must be a number, not 'abc'\n"


def test_status_table_still_prints_with_a_broken_file(tmp_path):
    write(tmp_path, "firms", FIRMS)
    write(tmp_path, "broken", "title = \n")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 2, result.output
    assert "650 / 1,200" in result.stdout
    assert result.stderr.startswith(f"{tmp_path / 'broken.toml'}:1:")


# --- show ------------------------------------------------------------------------------------


def test_show_table_lists_definition_figures_and_entries(tmp_path):
    write(tmp_path, "firms", FIRMS.replace("value = 340\n", 'value = 340\nnote = "synthetic Q2 note"\n'))
    result = run(tmp_path, "show", "firms", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    lines = [line.split() for line in result.stdout.splitlines()]
    for expected in (["ID", "firms"], ["Title", "synthetic:", "new", "firms"], ["Group", "(root)"],
                     ["Period", "2023-01-01", "to", "2023-12-31"], ["Target", "1,200", "firms", "from", "baseline", "0"],
                     ["As", "of", "2023-06-30"], ["Current", "650", "/", "1,200", "firms"],
                     ["Completion", "██████████··········", "54.17%"], ["Planned", "49.59%"],
                     ["Projected", "at", "due", "1,310.77", "firms"], ["Required", "per", "month", "90.98", "firms"],
                     ["Status", "on-track", "(green)"],
                     ["│", "2023-03-31", "│", "310", "│", "│", "│", "│"],
                     ["│", "2023-06-30", "│", "340", "│", "│", "synthetic", "Q2", "note", "│", "│"]):
        assert expected in lines, (expected, result.stdout)


def test_show_json_lists_entries_and_figures(tmp_path):
    write(tmp_path, "firms", TOTALS, group="plan")
    result = run(tmp_path, "show", "firms", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    assert list(document) == [*STATUS_FIELDS, "as_of", "owner", "source", "tags", "stretch", "checkpoints",
                              "entries"]
    assert (document["as_of"], document["group"], document["current"], document["completion"],
            document["planned"], document["status"]) == (
        "2023-06-30", "plan", 650, Decimal("54.17"), Decimal("49.59"), "on-track")
    entry = {"total": False, "done": None, "note": None, "source": None, "qualifier": None, "estimate": False}
    assert document["entries"] == [
        {**entry, "date": "2023-02-28", "value": 100}, {**entry, "date": "2023-03-31", "value": 200},
        {**entry, "date": "2023-06-30", "value": 650, "total": True}, {**entry, "date": "2023-08-31", "value": 50}]


def test_show_unknown_id_suggests_a_close_one(tmp_path):
    write(tmp_path, "firms", FIRMS)
    line = one_error_line(run(tmp_path, "show", "frims"))
    assert line == f"kpitrack: no target 'frims' in {tmp_path}; did you mean 'firms'?"


# --- validate --------------------------------------------------------------------------------


def test_validate_passes_a_good_workspace(tmp_path):
    write(tmp_path, "firms", FIRMS)
    write(tmp_path, "bridge", milestone_toml(), group="plan/sub")
    result = run(tmp_path, "validate")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (f"2 targets in {tmp_path}: all valid\n", "")


@pytest.mark.parametrize("text, line, words", [
    pytest.param(target_toml(target='"abc"'), "4", ("target must be a number", "'abc'"), id="target-text"),
    pytest.param(target_toml().replace("title", "titel"), "2", ("unknown key 'titel'", "did you mean 'title'?"),
                 id="typo-key"),
    pytest.param(target_toml(start="2023-06-01", due="2023-01-31"), "6",
                 ("due 2023-01-31 is before start 2023-06-01",), id="due-before-start"),
    pytest.param(target_toml(extra='kind = "ratio"\n'), "7", ("kind 'ratio' is not one of",), id="unknown-kind"),
    pytest.param(target_toml(extra='kind = "milestone"\n'), "4", ("milestone has no 'target'",),
                 id="milestone-with-target"),
    pytest.param(target_toml(extra="\n[[progress]]\ndate = 2023-03-31\nvalue = 5\nvalu = 6\n"), "11",
                 ("unknown key 'valu'", "did you mean 'value'?"), id="typo-in-entry"),
    pytest.param(milestone_toml(extra=progress("2023-03-31", 5)), "7", ("milestone entry",),  # its header
                 id="value-on-milestone"),
])
def test_validate_reports_each_problem_as_path_line_message(tmp_path, text, line, words):
    write(tmp_path, "good", FIRMS)
    path = write(tmp_path, "bad", text, group="plan")
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    summary, problem = result.stderr.splitlines()
    assert summary == "1 target valid, 1 with problems:"
    assert problem.startswith(f"{path}:{line}: "), problem
    for word in words:
        assert word in problem


def tomllib_position(text: str) -> str:
    """`line:column` of the error, as tomllib itself reports it."""
    with pytest.raises(tomllib.TOMLDecodeError) as error:
        tomllib.loads(text)
    line, column = re.search(r"at line (\d+), column (\d+)", str(error.value)).groups()
    return f"{line}:{column}"


@pytest.mark.parametrize("text, line", [
    pytest.param('title = "synthetic\nstart = 2023-01-01\n', "1", id="unclosed-string"),
    pytest.param(target_toml() + "this is not toml\n", "7", id="not-a-key-value"),
    pytest.param(target_toml(extra=progress("2023-02-30", 5)), "9", id="no-such-day"),
    pytest.param(target_toml(extra="title = 'twice'\n"), "7", id="duplicate-key"),
])
def test_validate_reports_malformed_toml_with_line_and_column(tmp_path, text, line):
    path = write(tmp_path, "bad", text)
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    summary, problem = result.stderr.splitlines()
    assert summary == "0 targets valid, 1 with problems:"
    position = tomllib_position(text)
    assert position.startswith(f"{line}:")
    assert problem.startswith(f"{path}:{position}: invalid TOML: "), problem


def test_validate_reports_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(target_toml().encode("utf-8") + b'owner = "caf\xe9"\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "0 targets valid, 1 with problems:",
        f"{path}:7: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_validate_reports_duplicate_ids_in_two_folders(tmp_path):
    first = write(tmp_path, "firms", FIRMS, group="a")
    second = write(tmp_path, "firms", FIRMS, group="b")
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    summary, problem = result.stderr.splitlines()
    assert summary == "1 target valid, 1 with problems:"
    assert problem.startswith(f"{second}") and f"id 'firms' is already used by {first}" in problem


def test_validate_duplicate_id_problem_has_a_line(tmp_path):
    write(tmp_path, "firms", FIRMS, group="a")
    second = write(tmp_path, "firms", FIRMS, group="b")
    problem = run(tmp_path, "validate").stderr.splitlines()[1]
    assert problem.startswith(f"{second}:1: ")


def test_validate_reports_every_broken_file(tmp_path):
    first = write(tmp_path, "one", target_toml(target='"abc"'))
    second = write(tmp_path, "two", target_toml(extra='kind = "ratio"\n'))
    result = run(tmp_path, "validate")
    assert result.exit_code == 2, result.output
    assert [line.split(": ")[0] for line in result.stderr.splitlines()] == [
        "0 targets valid, 2 with problems:", f"{first}:4", f"{second}:7"]


# --- finding the workspace -------------------------------------------------------------------


def test_no_workspace_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_error_line(runner.invoke(app, ["status"]))
    assert "`kpitrack init`" in line
    assert snapshot(tmp_path) == {}


def test_a_missing_dir_says_how_to_make_it(tmp_path):
    missing = tmp_path / "nowhere"
    line = one_error_line(runner.invoke(app, ["--dir", str(missing), "validate"]))
    assert line == f"kpitrack: --dir {missing}: no such folder; create it with `kpitrack init {missing}`"
    assert not missing.exists()


def test_kpitrack_dir_is_honoured(tmp_path, monkeypatch):
    write(tmp_path / "env-ws", "from-env", FIRMS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KPITRACK_DIR", str(tmp_path / "env-ws"))
    result = runner.invoke(app, ["status", "--as-of", "2023-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)["targets"]] == ["from-env"]


def test_dir_option_beats_kpitrack_dir(tmp_path, monkeypatch):
    write(tmp_path / "env-ws", "from-env", FIRMS)
    write(tmp_path / "option-ws", "from-option", FIRMS)
    monkeypatch.setenv("KPITRACK_DIR", str(tmp_path / "env-ws"))
    assert status_ids(tmp_path / "option-ws", "--as-of", "2023-06-30") == ["from-option"]


def test_targets_folder_in_the_current_folder_is_found(tmp_path, monkeypatch):
    write(tmp_path / "targets", "local", FIRMS)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status", "--as-of", "2023-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)["targets"]] == ["local"]


# --- the shipped pledges ---------------------------------------------------------------------


def test_shipped_targets_validate():
    result = run(SHIPPED_TARGETS, "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f" targets in {SHIPPED_TARGETS}: all valid\n")
    target_files = [path for path in SHIPPED_TARGETS.rglob("*.toml") if path.name not in ("kpitrack.toml", "plan.toml")]
    assert int(result.stdout.split()[0]) == len(target_files)


def test_shipped_affordable_housing_is_done_at_the_end_of_2023():
    before = snapshot(SHIPPED_TARGETS)
    rows = status_rows(SHIPPED_TARGETS, "--as-of", "2023-12-31")
    housing = rows["sz23-affordable-housing"]
    assert (housing["group"], housing["target"], housing["current"], housing["status"]) == (
        "shenzhen-2023", Decimal("18.5"), Decimal("21.5"), "done")
    assert snapshot(SHIPPED_TARGETS) == before


# --- hostile and mistaken input: one line, exit 2, nothing written (issue 3) ----------------

DECREASE_TOML = ('title = "synthetic: approval days"\nunit = "days"\nbaseline = 20\ntarget = 5\n'
                 'direction = "decrease"\nstart = 2023-01-01\ndue = 2023-12-31\n')


@pytest.mark.parametrize("args, message", [
    (["add", "firms", "-5", "--date", "2023-05-01"], "No such option: -5"),
    (["add", "firms", "--date", "2023-05-01", "--", "-5"], "an increment of -5 runs against this increase target"),
    (["add", "approval", "--date", "2023-05-01", "3"], "an increment of 3 runs against this decrease target"),
    (["add", "firms", "1e999", "--date", "2023-05-01"], "Invalid value for 'VALUE': '1e999' is not a number"),
    (["add", "firms", "1" * 29, "--date", "2023-05-01"], "more than 28 significant digits"),
    (["add", "firms", "", "--date", "2023-05-01"], "is not a number"),
    (["add", "firms", "12abc", "--date", "2023-05-01"], "'12abc' is not a number"),
    (["add", "firms", "5", "--date", "13/13/2023"], "'13/13/2023' is not an unambiguous date"),
    (["add", "firms", "5", "--date", "2023-02-30"], "'2023-02-30' is not a calendar date"),
    (["add", "firms", "5", "--date", "March 2023"], "not a date with a day and a four-digit year"),
    (["add", "../firms", "5"], "is not a valid id"),
    (["add", "/etc/passwd", "5"], "is not a valid id"),
    (["add", "fir\\ms", "5"], "is not a valid id"),
    (["add", "Firms", "5"], "is not a valid id"),
    (["add", "fi rms", "5"], "is not a valid id"),
    (["add", "firms", "done"], "`done` is only for milestones"),
    (["show", "firm"], "did you mean 'firms'?"),
    (["status", "--as-of", "01/02/2023"], "not an unambiguous date"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(tmp_path, args, message):
    helpers.write(tmp_path / "plan" / "firms.toml", helpers.TARGET_TOML)
    helpers.write(tmp_path / "plan" / "approval.toml", DECREASE_TOML)
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, *args))
    assert line.startswith("kpitrack: ") and message in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("when, warning", [("2022-12-31", "before the start 2023-01-01"),
                                           ("2024-03-01", "after the due date 2023-12-31")])
def test_an_entry_dated_outside_the_period_is_recorded_with_a_warning(tmp_path, when, warning):
    path = helpers.write(tmp_path / "firms.toml", helpers.TARGET_TOML)
    result = run(tmp_path, "add", "firms", "5", "--date", when)
    assert result.exit_code == 0, result.output
    assert warning in result.stderr
    assert f"value = 5\ndate = {when}\n" in path.read_text()


def test_error_lines_show_control_characters_escaped(tmp_path):
    helpers.write(tmp_path / "firms.toml", helpers.TARGET_TOML + '"bad\\u001b[2Jkey" = 1\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr


# --- found by trying it as a new user ------------------------------------------------------


def test_show_prints_a_unit_that_looks_like_markup(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML.replace('unit = "firms"', 'unit = "[/] [i]个[/i]"')
                  + "[[progress]]\ndate = 2023-06-30\nvalue = 1\n")
    result = run(tmp_path, "show", "m", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    assert "1 / 1,200 [/] [i]个[/i]" in result.stdout


def test_table_shows_completion_as_computed_so_100_means_done(tmp_path):
    # 99.996% rounds half up to 100.00, but a target not done never shows 100: 99.99%.
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML.replace("1200", "10000")
                  + "[[progress]]\ndate = 2023-06-30\nvalue = 9999.6\n")
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    row = next(line for line in result.stdout.splitlines() if line.startswith(" m "))
    assert "99.99%" in row and "100.0" not in row


def test_a_target_without_entries_shows_no_figure_rather_than_zero(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML)
    result = run(tmp_path, "status", "--as-of", "2023-06-30")
    assert "— / 1,200 firms" in result.stdout


def test_a_scaled_value_in_a_scaled_unit_is_read_in_that_unit(tmp_path):
    """Issue 18 changed this on purpose: nobody typing 1.8万 on a 万个 target means 1.8万 万个."""
    path = helpers.write(tmp_path / "piles.toml", helpers.TARGET_TOML.replace('unit = "firms"', 'unit = "万个"'))
    assert run(tmp_path, "add", "piles", "1.8万", "--date", "2023-06-30").exit_code == 0
    assert path.read_text(encoding="utf-8").endswith("value = 1.8\ndate = 2023-06-30\n")


def test_add_refuses_a_file_with_inline_progress_instead_of_breaking_it(tmp_path):
    path = helpers.write(tmp_path / "inl.toml", helpers.TARGET_TOML + "progress = [{date = 2023-03-01, value = 2}]\n")
    assert run(tmp_path, "validate").exit_code == 0
    line = one_error_line(run(tmp_path, "add", "inl", "3", "--date", "2023-05-01"))
    assert "inl.toml:7: progress is written inline" in line
    assert "progress = [" in path.read_text() and "[[progress]]" not in path.read_text()


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + helpers.TARGET_TOML.encode())
    assert run(tmp_path, "add", "bom", "3", "--date", "2023-05-01").exit_code == 0
    assert status_rows(tmp_path, "--as-of", "2023-05-01")["bom"]["current"] == 3


def test_validate_warns_of_entries_dated_outside_the_period(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML + "[[progress]]\ndate = 2022-07-31\nvalue = 5\n")
    result = run(tmp_path, "validate")
    assert result.exit_code == 0
    assert f"{tmp_path / 'm.toml'}:7: warning: 2022-07-31 is before the start 2023-01-01" in result.stderr


def test_the_workspace_is_found_from_a_plan_folder_inside_it(tmp_path, monkeypatch):
    helpers.write(tmp_path / "ws" / "kpitrack.toml", "")
    helpers.write(tmp_path / "ws" / "plan" / "m.toml", helpers.TARGET_TOML)
    monkeypatch.chdir(tmp_path / "ws" / "plan")
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    result = runner.invoke(app, ["show", "m", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["group"] == "plan"


def test_total_on_a_milestone_names_the_flag(tmp_path):
    helpers.write(tmp_path / "bridge.toml", 'title = "bridge"\nkind = "milestone"\nstart = 2024-01-01\n'
                                            'due = 2024-12-31\n')
    assert "`total` is only for cumulative targets" in one_error_line(
        run(tmp_path, "add", "bridge", "done", "--total"))


def test_filters_that_match_nothing_say_so(tmp_path):
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML)
    result = run(tmp_path, "status", "--tag", "nosuch")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "kpitrack: no targets match\n")


@pytest.mark.slow
def test_output_cut_short_by_the_reader_ends_quietly_like_other_unix_tools(tmp_path):
    import subprocess
    import sys

    long_title = helpers.TARGET_TOML.replace("synthetic: new firms", "synthetic " * 190)  # under the 2,000-character limit
    for number in range(200):  # far more output than a pipe holds: the writer meets the closed pipe
        helpers.write(tmp_path / f"m{number}.toml", long_title)
    shell = f"{sys.executable} -m kpitrack --dir {tmp_path} status --wide --as-of 2023-06-30 | head -1"  # full titles: far more than a pipe holds
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("kpitrack status as of 2023-06-30")
    assert (result.returncode, result.stderr) == (128 + 13, "")  # ended by SIGPIPE, as `cat` would be


def test_show_lists_the_last_twenty_entries_unless_asked_for_all(tmp_path):
    blocks = "".join(f"\n[[progress]]\ndate = 2023-02-{day:02d}\nvalue = {day}\nnote = \"day {day}\"\n"
                     for day in range(1, 26))
    helpers.write(tmp_path / "m.toml", helpers.TARGET_TOML + blocks)
    short = run(tmp_path, "show", "m", "--as-of", "2023-06-30").stdout
    assert "and 5 earlier entries: `show --all` lists every one" in short
    assert "day 6 " in short and "day 5 " not in short
    every = run(tmp_path, "show", "m", "--as-of", "2023-06-30", "--all").stdout
    assert "day 1 " in every and "earlier entries" not in every
