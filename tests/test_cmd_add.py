"""`kpitrack add` (synthetic data)."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal

import pytest

import helpers
from helpers import (FIRMS, TARGET_TOML, kpitrack_command, milestone_toml, one_error_line, progress, read_toml, run,
    snapshot, status_rows, target_toml, write, write_target)
from kpitrack.files.workspace import load_target

pytestmark = pytest.mark.usefixtures("plain_environment")


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


LEVEL = target_toml(title="synthetic: charging piles", target=1000, unit="piles", extra='kind = "level"\n')


DECREASE_TOML = ('title = "synthetic: approval days"\nunit = "days"\nbaseline = 20\ntarget = 5\n'
                 'direction = "decrease"\nstart = 2023-01-01\ndue = 2023-12-31\n')


def test_add_appends_an_entry_and_keeps_the_earlier_bytes(tmp_path):
    path = write_target(tmp_path, "firms", HAND_WRITTEN)
    old = path.read_bytes()
    result = run(tmp_path, "add", "firms", "340", "--date", "2023-06-30", "--note", "synthetic note",
                 "--source", "synthetic source")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added to {path}: 340 firms on 2023-06-30\n"  # as understood, in its unit
    new = path.read_bytes()
    assert new.startswith(old) and len(new) > len(old)
    assert read_toml(path)["progress"][-1] == {
        "date": date(2023, 6, 30), "value": 340, "note": "synthetic note", "source": "synthetic source"}
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["firms"]["current"] == 650


def test_add_appends_running_total_entry(tmp_path):
    path = write_target(tmp_path, "firms", HAND_WRITTEN)
    old = path.read_bytes()
    result = run(tmp_path, "add", "firms", "1,000", "--total", "--date", "2023-09-30")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added to {path}: 1,000 firms (running total) on 2023-09-30\n"
    assert path.read_bytes().startswith(old)
    assert read_toml(path)["progress"][-1] == {"date": date(2023, 9, 30), "value": 1000, "total": True}
    assert status_rows(tmp_path, "--as-of", "2023-09-30")["firms"]["current"] == 1000


def test_add_to_a_file_without_final_newline_keeps_it_valid(tmp_path):
    path = write_target(tmp_path, "firms", target_toml().rstrip("\n"))
    old = path.read_bytes()
    result = run(tmp_path, "add", "firms", "7", "--date", "2023-02-01")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(old)
    assert read_toml(path)["progress"] == [{"date": date(2023, 2, 1), "value": 7}]


def test_add_without_date_records_today(tmp_path):
    path = write_target(tmp_path, "firms", target_toml(start="2000-01-01", due="2999-12-31"))
    result = run(tmp_path, "add", "firms", "5")
    assert result.exit_code == 0, result.output
    assert read_toml(path)["progress"][-1]["date"] == date.today()


def test_add_finds_a_target_in_a_sub_folder(tmp_path):
    path = write_target(tmp_path, "firms", FIRMS, group="plan/sub")
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
    path = write_target(tmp_path, "firms", target_toml())
    old = path.read_text(encoding="utf-8")
    result = run(tmp_path, "add", "firms", typed, "--date", "2023-03-31", "--force")  # beyond 5× the target
    assert result.exit_code == 0, result.output
    appended = path.read_text(encoding="utf-8")[len(old):]
    assert appended == f"\n[[progress]]\n{text}date = 2023-03-31\n"  # date last: see entry_block
    assert read_toml(path)["progress"][-1]["value"] == stored


def test_add_sums_decimals_exactly(tmp_path):
    write_target(tmp_path, "firms", target_toml())
    for value, when in (("847.6", "2023-01-31"), ("611.7", "2023-02-28"), ("0.1", "2023-03-31")):
        assert run(tmp_path, "add", "firms", value, "--date", when).exit_code == 0
    current = status_rows(tmp_path, "--as-of", "2023-03-31")["firms"]["current"]
    assert str(current) == "1459.4"


def test_add_done_to_a_milestone(tmp_path):
    path = write_target(tmp_path, "bridge", milestone_toml())
    old = path.read_bytes()
    result = run(tmp_path, "add", "bridge", "done", "--date", "2023-05-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added to {path}: done on 2023-05-01\n"
    assert path.read_bytes() == old + b"\n[[progress]]\ndone = true\ndate = 2023-05-01\n"
    assert status_rows(tmp_path, "--as-of", "2023-06-30")["bridge"]["status"] == "done"


def test_add_undone_reopens_a_milestone(tmp_path):
    path = write_target(tmp_path, "bridge", milestone_toml(extra=progress("2023-05-01", done=True)))
    result = run(tmp_path, "add", "bridge", "undone", "--date", "2023-06-01")
    assert result.exit_code == 0, result.output
    assert read_toml(path)["progress"][-1] == {"date": date(2023, 6, 1), "done": False}
    rows = status_rows(tmp_path, "--as-of", "2023-06-30")
    assert (rows["bridge"]["current"], rows["bridge"]["status"]) == (0, "on-track")


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
        write_target(tmp_path, target_id, text)
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, "add", *arguments))
    assert line.startswith("kpitrack: ")
    for word in words:
        assert word in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("typed", ["12abc", "NaN"])
def test_add_bad_value_message_names_the_argument(tmp_path, typed):
    write_target(tmp_path, "firms", FIRMS)
    line = one_error_line(run(tmp_path, "add", "firms", typed, "--date", "2023-05-01"))
    assert "VALUE" in line


def test_add_refuses_to_append_to_a_broken_file(tmp_path):
    write_target(tmp_path, "firms", target_toml(extra="titel = 'typo'\n"))
    before = snapshot(tmp_path)
    line = one_error_line(run(tmp_path, "add", "firms", "5", "--date", "2023-05-01"))
    assert line == f"kpitrack: {tmp_path / 'firms.toml'}:7: unknown key 'titel'; did you mean 'title'?"
    assert snapshot(tmp_path) == before


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


def test_a_bad_byte_after_a_byte_order_mark_is_named_where_it_is(tmp_path):
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + helpers.TARGET_TOML.encode() + b"# \xff\n")
    line = one_error_line(run(tmp_path, "add", "bom", "3", "--date", "2023-05-01"))
    assert f"bom.toml:{helpers.TARGET_TOML.count(chr(10)) + 1}: not UTF-8 text (byte 0xff)" in line


def test_total_on_a_milestone_names_the_flag(tmp_path):
    helpers.write(tmp_path / "bridge.toml", 'title = "bridge"\nkind = "milestone"\nstart = 2024-01-01\n'
                                            'due = 2024-12-31\n')
    assert "`total` is only for cumulative targets" in one_error_line(
        run(tmp_path, "add", "bridge", "done", "--total"))


def test_unicode_notes_survive_the_cli_round_trip(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    note = 'he said "超额完成" \\ \n """ \'\'\' 🎉 \t end'
    result = subprocess.run(kpitrack_command(tmp_path, "add", "firms", "5", "--date", "2023-05-01", "--note", note),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert load_target(path, tmp_path).entries[0].note == note


def test_undecodable_bytes_from_the_terminal_are_refused(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    before = path.read_bytes()
    result = subprocess.run(kpitrack_command(tmp_path, "add", "firms", "5", "--date", "2023-05-01")
                            + [b"--note", b"caf\xe9"], capture_output=True, timeout=30)
    assert result.returncode == 2
    assert b"--note is not valid UTF-8" in result.stderr
    assert path.read_bytes() == before


def test_add_echoes_the_figure_as_understood_in_the_target_unit(tmp_path):
    """194.7亿元 typed on a 亿元 target is echoed 194.7 亿元 (running total), in both languages (issue 27)."""
    write(tmp_path / "inv.toml", 'title = "synthetic investment"\nstart = 2025-01-01\ndue = 2025-12-31\n'
                                 'target = 5000\nunit = "亿元"\n')
    english = run(tmp_path, "add", "inv", "194.7亿元", "--total", "--date", "2025-07-31")
    assert english.exit_code == 0 and ": 194.7 亿元 (running total) on 2025-07-31" in english.stdout, english.output
    chinese = run(tmp_path, "--lang", "zh", "add", "inv", "1.947万亿元", "--total", "--date", "2025-08-31")
    assert chinese.exit_code == 0 and "19,470 亿元（累计）" in chinese.stdout, chinese.output


@pytest.mark.parametrize("typed, value, qualifier", [("超50", "50", "over"), ("近1.2千", "1200", "nearly"),
                                                     ("约 30", "30", "about"), ("30左右", "30", "about")])
def test_a_figure_typed_with_its_wording_takes_it_as_its_qualifier(tmp_path, typed, value, qualifier):
    """A figure as the report words it (超50, 近1.2万) is the figure and its qualifier, as --qualifier
    gives it (found by a new user: refused as 'not a number'). Synthetic."""
    import tomllib

    from helpers import TARGET_TOML, run, write

    write(tmp_path / "firms.toml", TARGET_TOML)
    result = run(tmp_path, "add", "firms", typed, "--date", "2023-03-31")
    assert result.exit_code == 0, result.output
    entry = tomllib.loads((tmp_path / "firms.toml").read_text(encoding="utf-8"))["progress"][-1]
    assert (str(entry["value"]), entry["qualifier"]) == (value, qualifier)
