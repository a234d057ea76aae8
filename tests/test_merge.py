"""The merge driver: three versions of a target file merged block by block (synthetic data)."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kpitrack.cli import app
from kpitrack.git.merge import merge

BASE = """\
# synthetic test target: a comment the merge must keep
title = "synthetic: new firms"
unit = "firms"   # spaced as a person wrote it
target = 1200
start = 2023-01-01
due = 2023-12-31

[[progress]]
date = 2023-01-31
value = 100
"""


def entry(day: str, value: int, extra: str = "") -> str:
    return f"\n[[progress]]\ndate = {day}\nvalue = {value}\n{extra}"


def test_entries_added_on_both_sides_are_all_kept_in_date_order():
    ours = BASE + entry("2023-03-31", 30)
    theirs = BASE + entry("2023-02-28", 20) + entry("2023-04-30", 40)
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == BASE + entry("2023-02-28", 20) + entry("2023-03-31", 30) + entry("2023-04-30", 40)


def test_the_same_entry_added_on_both_sides_is_kept_once_whatever_its_key_order():
    ours = BASE + entry("2023-02-28", 20, 'note = "bulletin"\n')
    theirs = BASE + '\n[[progress]]\nnote = "bulletin"\nvalue = 20\ndate = 2023-02-28\n'
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == ours


def test_the_same_figure_written_two_ways_is_one_entry():
    ours = BASE + entry("2023-02-28", 20)
    theirs = BASE + "\n[[progress]]\ndate = 2023-02-28\nvalue = 20.0\n"
    assert merge(BASE, ours, theirs).text == ours


def test_entries_that_differ_in_any_key_are_both_kept():
    ours = BASE + entry("2023-02-28", 20)
    theirs = BASE + entry("2023-02-28", 20, "again = 2\n")
    result = merge(BASE, ours, theirs)
    assert result.text == ours + entry("2023-02-28", 20, "again = 2\n")


def test_an_entry_removed_on_one_side_is_removed():
    base = BASE + entry("2023-02-28", 20)
    assert merge(base, base + entry("2023-03-31", 30), BASE).text == BASE + entry("2023-03-31", 30)


def test_one_entry_corrected_differently_on_both_sides_is_a_conflict():
    ours = BASE.replace("value = 100", "value = 110")
    theirs = BASE.replace("value = 100", "value = 120")
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 1
    assert ("<<<<<<< ours\n[[progress]]\ndate = 2023-01-31\nvalue = 110\n=======\n[[progress]]\n"
            "date = 2023-01-31\nvalue = 120\n>>>>>>> theirs\n") in result.text
    assert "value = 100" not in result.text


def test_one_entry_corrected_on_one_side_takes_the_correction():
    ours = BASE + entry("2023-02-28", 20)
    theirs = BASE.replace("value = 100", "value = 120")
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == theirs + entry("2023-02-28", 20)


def test_definition_changed_on_one_side_and_entries_on_the_other_merge_clean_and_keep_the_bytes():
    ours = BASE.replace("target = 1200", "target = 1300") + entry("2023-02-28", 20)
    theirs = BASE.replace('due = 2023-12-31', 'due = 2024-06-30') + entry("2023-03-31", 30)
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 0
    assert "target = 1300\n" in result.text and "due = 2024-06-30\n" in result.text
    assert result.text.startswith("# synthetic test target: a comment the merge must keep\n")
    assert 'unit = "firms"   # spaced as a person wrote it\n' in result.text
    assert result.text.endswith(entry("2023-02-28", 20) + entry("2023-03-31", 30))


def test_the_same_field_changed_differently_is_a_conflict_showing_both_values():
    ours = BASE.replace("target = 1200", "target = 1300")
    theirs = BASE.replace("target = 1200", "target = 1500")
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 1
    assert "<<<<<<< ours\ntarget = 1300\n=======\ntarget = 1500\n>>>>>>> theirs\n" in result.text
    assert result.text.count("<<<<<<<") == 1


def test_the_same_field_changed_the_same_way_is_no_conflict():
    ours = theirs = BASE.replace("target = 1200", "target = 1300")
    assert merge(BASE, ours, theirs).text == ours


def run_driver(tmp_path, base, ours, theirs):
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = CliRunner().invoke(app, ["merge-file", *paths, "targets/x.toml"])
    return result, (tmp_path / "ours.toml").read_text(encoding="utf-8")


def test_the_command_writes_the_result_to_ours_and_exits_0(tmp_path):
    result, text = run_driver(tmp_path, BASE, BASE + entry("2023-02-28", 20), BASE + entry("2023-03-31", 30))
    assert result.exit_code == 0, result.output
    assert text == BASE + entry("2023-02-28", 20) + entry("2023-03-31", 30)


def test_the_command_exits_1_on_a_conflict_with_markers_in_ours(tmp_path):
    result, text = run_driver(tmp_path, BASE, BASE.replace("1200", "1300"), BASE.replace("1200", "1500"))
    assert result.exit_code == 1
    assert "<<<<<<< ours (targets/x.toml)\ntarget = 1300\n" in text


@pytest.mark.slow
def test_a_version_that_is_not_toml_is_merged_line_by_line_by_git(tmp_path):
    broken = BASE.replace('title = "synthetic: new firms"', 'title = "synthetic')
    result, text = run_driver(tmp_path, BASE, broken, BASE + entry("2023-03-31", 30))
    assert result.exit_code == 0, result.output
    assert text == broken + entry("2023-03-31", 30)


def git(folder, *arguments):
    result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True)
    return result


def make_repository(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for arguments in (["init", "-q", "-b", "main"], ["config", "user.name", "Synthetic Tester"],
                      ["config", "user.email", "tester@example.org"], ["config", "commit.gpgsign", "false"]):
        assert git(folder, *arguments).returncode == 0


def kpitrack(folder, *arguments):
    return subprocess.run([sys.executable, "-m", "kpitrack", "--dir", "targets", *arguments], cwd=folder,
                          capture_output=True, text=True)


def repository_with_a_target(tmp_path):
    """A git repository whose first commit holds targets/firms.toml and the merge driver (init --git)."""
    repository = tmp_path / "repo"
    make_repository(repository)
    (repository / "targets").mkdir()
    (repository / "targets" / "firms.toml").write_text(BASE, encoding="utf-8")
    assert kpitrack(repository, "init", "targets", "--git").returncode == 0
    assert "merge=kpitrack" in (repository / "targets" / ".gitattributes").read_text()
    git(repository, "add", "-A")
    git(repository, "commit", "-qm", "start")
    return repository


@pytest.mark.slow
def test_git_merge_of_two_branches_appending_to_one_target_is_clean(tmp_path):
    repository = repository_with_a_target(tmp_path)
    git(repository, "checkout", "-qb", "district")
    assert kpitrack(repository, "add", "firms", "20", "--date", "2023-02-28").returncode == 0
    git(repository, "commit", "-qam", "district")
    git(repository, "checkout", "-q", "main")
    assert kpitrack(repository, "add", "firms", "30", "--date", "2023-03-31").returncode == 0
    git(repository, "commit", "-qam", "city")
    merged = git(repository, "merge", "-q", "--no-edit", "district")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repository / "targets" / "firms.toml").read_text(encoding="utf-8")
    assert text.count("[[progress]]") == 3
    assert text.index("2023-02-28") < text.index("2023-03-31")
    assert kpitrack(repository, "validate").returncode == 0


@pytest.mark.slow
def test_git_merge_stops_on_a_definition_conflict_and_git_status_shows_it(tmp_path):
    repository = repository_with_a_target(tmp_path)
    git(repository, "checkout", "-qb", "district")
    (repository / "targets" / "firms.toml").write_text(BASE.replace("1200", "1300"), encoding="utf-8")
    git(repository, "commit", "-qam", "district target")
    git(repository, "checkout", "-q", "main")
    (repository / "targets" / "firms.toml").write_text(BASE.replace("1200", "1500"), encoding="utf-8")
    git(repository, "commit", "-qam", "city target")
    assert git(repository, "merge", "-q", "--no-edit", "district").returncode != 0
    assert "UU targets/firms.toml" in git(repository, "status", "--porcelain").stdout
    validated = kpitrack(repository, "validate")
    assert validated.returncode == 2
    assert "unresolved merge in targets/firms.toml, lines 4–8" in validated.stderr


def test_two_offices_different_totals_for_one_date_are_a_conflict_on_that_entry():
    """The one rule for a date's running total (issue 23): both sides adding a 1–9月 total that differs is
    a conflict with markers on that entry, not two totals kept silently (the later in the file winning)."""
    ours = BASE + entry("2023-09-30", 131, "total = true\n")
    theirs = BASE + entry("2023-08-31", 110) + entry("2023-09-30", 123, "total = true\n")
    result = merge(BASE, ours, theirs)
    assert result.conflicts == 1
    assert "<<<<<<< ours\n[[progress]]\ndate = 2023-09-30\nvalue = 131\ntotal = true\n=======\n" in result.text
    assert "value = 123\ntotal = true\n>>>>>>> theirs\n" in result.text
    assert "date = 2023-08-31\nvalue = 110\n" in result.text  # the rest merged as ever
    same = merge(BASE, ours, BASE + entry("2023-09-30", 131, "total = true\n") + entry("2023-08-31", 110))
    assert same.conflicts == 0


def test_inserting_early_dated_entries_merges_in_linear_time_order():
    """The order found by the merge when one side inserts early entries into many: kept in date order,
    each side's own order kept (a sorted merge, not a scan from the end per entry)."""
    ours = BASE + "".join(entry(f"2023-{month:02d}-{day:02d}", day) for month in (5, 6) for day in (1, 2, 3))
    theirs = BASE + "".join(entry(f"2023-{month:02d}-15", month) for month in (2, 5, 7)) + entry("2023-04-01", 9)
    result = merge(BASE, ours, theirs)
    dates = [line for line in result.text.splitlines() if line.startswith("date")]
    assert dates == sorted(dates) and len(dates) == 1 + 6 + 4
