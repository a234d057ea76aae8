"""Many offices, one record: clones of one workspace merged by real git (synthetic data)."""

import json
import subprocess
import sys

import pytest
from test_merge import BASE, git, make_repository

from helpers import TARGET_TOML


def kpitrack(folder, *arguments):
    return subprocess.run([sys.executable, "-m", "kpitrack", "--dir", "targets", *arguments], cwd=folder,
                          capture_output=True, text=True)


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def clone(origin, folder):
    ok(subprocess.run(["git", "clone", "-q", str(origin), str(folder)], capture_output=True, text=True))
    for arguments in (["config", "user.name", f"Synthetic {folder.name}"],
                      ["config", "user.email", f"{folder.name}@example.org"], ["config", "pull.rebase", "false"],
                      ["config", "commit.gpgsign", "false"]):
        ok(git(folder, *arguments))
    ok(kpitrack(folder, "init", "targets", "--git"))  # the workspace exists: sets the driver only


def start_origin(tmp_path):
    seed = tmp_path / "seed"
    make_repository(seed)
    for name in ("city-firms", "futian-firms", "nanshan-firms"):
        (seed / "targets").mkdir(exist_ok=True)
        (seed / "targets" / f"{name}.toml").write_text(TARGET_TOML, encoding="utf-8")
    (seed / "targets" / "kpitrack.toml").write_text("at_risk_band = 10\n", encoding="utf-8")
    ok(kpitrack(seed, "init", "targets", "--git"))
    ok(git(seed, "add", "-A"))
    ok(git(seed, "commit", "-qm", "the plan"))
    origin = tmp_path / "origin.git"
    ok(subprocess.run(["git", "clone", "-q", "--bare", str(seed), str(origin)], capture_output=True, text=True))
    return seed, origin


FUTIAN = [("city-firms", "40", "2023-02-28"), ("futian-firms", "12", "2023-02-28"),
          ("city-firms", "55", "2023-03-31")]
NANSHAN = [("city-firms", "40", "2023-02-28"),  # the same fact, recorded by both offices
           ("city-firms", "70", "2023-03-15"), ("nanshan-firms", "30", "2023-03-31")]


def record(folder, entries, message):
    for target, value, day in entries:
        ok(kpitrack(folder, "add", target, value, "--date", day, "--note", "synthetic"))
    ok(git(folder, "commit", "-qam", message))


@pytest.mark.slow
def test_two_districts_and_a_city_merge_with_no_conflict_and_the_same_status(tmp_path):
    seed, origin = start_origin(tmp_path)
    futian, nanshan, city = tmp_path / "futian", tmp_path / "nanshan", tmp_path / "city"
    for folder in (futian, nanshan, city):
        clone(origin, folder)
    record(futian, FUTIAN, "futian: February and March")
    record(nanshan, NANSHAN, "nanshan: February and March")
    ok(git(futian, "push", "-q", "origin", "main"))
    pulled = git(nanshan, "pull", "-q", "--no-edit", "origin", "main")
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr  # no conflict
    ok(git(nanshan, "push", "-q", "origin", "main"))
    ok(git(city, "pull", "-q", "--no-edit", "origin", "main"))
    assert "<<<<<<<" not in "".join(p.read_text(encoding="utf-8") for p in (city / "targets").glob("*.toml"))

    city_text = (city / "targets" / "city-firms.toml").read_text(encoding="utf-8")
    assert city_text.count("[[progress]]") == 3  # 40 once, 55 and 70
    assert [city_text.index(day) for day in ("2023-02-28", "2023-03-15", "2023-03-31")] == sorted(
        city_text.index(day) for day in ("2023-02-28", "2023-03-15", "2023-03-31"))

    # One person typing them all, in one workspace, gives the same status.
    alone = tmp_path / "alone"
    ok(subprocess.run(["git", "clone", "-q", str(seed), str(alone)], capture_output=True, text=True))
    for target, value, day in dict.fromkeys(FUTIAN + NANSHAN):
        ok(kpitrack(alone, "add", target, value, "--date", day, "--note", "synthetic"))
    for folder in (city, alone):
        ok(kpitrack(folder, "validate"))
    merged = json.loads(ok(kpitrack(city, "status", "--as-of", "2023-06-30", "--format", "json")).stdout)
    typed = json.loads(ok(kpitrack(alone, "status", "--as-of", "2023-06-30", "--format", "json")).stdout)
    assert merged == typed
    exported = ok(kpitrack(city, "export", "--format", "csv")).stdout.splitlines()
    assert len(exported) == 1 + len(set(FUTIAN + NANSHAN))  # every entry once


@pytest.mark.slow
def test_log_names_who_recorded_each_entry(tmp_path):
    seed, origin = start_origin(tmp_path)
    futian = tmp_path / "futian"
    clone(origin, futian)
    record(futian, FUTIAN[:1], "futian: February")
    result = ok(kpitrack(futian, "log", "city-firms"))
    lines = result.stdout.splitlines()
    assert "Synthetic futian" in lines[0] and "futian: February" in lines[0]
    assert lines[1].strip() == "recorded 2023-02-28: 40  (synthetic)"
    assert lines[-1].strip() == "created"  # the first commit made the file
    assert "Synthetic Tester" in result.stdout


def test_log_includes_merge_commits(tmp_path):
    """issue 27, item 7: a merge that brought entries in is in the log, marked as a merge."""
    seed, origin = start_origin(tmp_path)
    futian, nanshan = tmp_path / "futian", tmp_path / "nanshan"
    clone(origin, futian)
    clone(origin, nanshan)
    record(futian, FUTIAN[:1], "futian: February")
    ok(git(futian, "push", "-q", "origin", "HEAD"))
    record(nanshan, NANSHAN[1:2], "nanshan: March")
    ok(git(nanshan, "pull", "-q", "--no-edit", "origin", "HEAD"))  # a real merge, by the kpitrack driver
    lines = ok(kpitrack(nanshan, "log", "city-firms")).stdout.splitlines()
    assert lines[0].endswith("(merge)") and lines[1].strip() == "recorded 2023-02-28: 40  (synthetic)"


@pytest.mark.slow
def test_log_outside_git_is_no_error(tmp_path):
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "firms.toml").write_text(BASE, encoding="utf-8")
    result = kpitrack(tmp_path, "log", "firms")
    assert result.returncode == 0, result.stderr
    assert "no history" in result.stdout


@pytest.mark.slow
def test_init_git_scopes_gitattributes_to_the_workspace(tmp_path):
    make_repository(tmp_path)
    ok(kpitrack(tmp_path, "init", "targets", "--git"))
    assert (tmp_path / "targets" / ".gitattributes").is_file()
    assert not (tmp_path / ".gitattributes").exists()
    (tmp_path / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    checked = ok(git(tmp_path, "check-attr", "merge", "pyproject.toml", "targets/example.toml",
                     "targets/a/b.toml")).stdout
    assert "pyproject.toml: merge: unspecified" in checked
    assert "targets/example.toml: merge: kpitrack" in checked
    assert "targets/a/b.toml: merge: kpitrack" in checked
    # the interpreter's absolute path: a git client without kpitrack on its PATH still finds the driver
    assert ok(git(tmp_path, "config", "merge.kpitrack.driver")).stdout == (
        f'"{sys.executable}" -m kpitrack merge-file %O %A %B %P\n')
    again = ok(kpitrack(tmp_path, "init", "targets", "--git"))  # twice: nothing doubled
    assert "wrote" not in again.stdout
    assert (tmp_path / "targets" / ".gitattributes").read_text().count("merge=kpitrack") == 1


@pytest.mark.slow
def test_init_git_outside_a_repository_says_what_to_run(tmp_path):
    result = ok(kpitrack(tmp_path, "init", "targets", "--git"))
    assert f"git config merge.kpitrack.driver '\"{sys.executable}\" -m kpitrack merge-file %O %A %B %P'" in result.stdout
    assert (tmp_path / "targets" / ".gitattributes").is_file()
    assert (tmp_path / "targets" / "kpitrack.toml").is_file()
