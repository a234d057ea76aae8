"""Node plans of milestones (形象进度, issue 24 item 1): the issue's example (synthetic data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import NODE_PLAN, run, status_rows, write_target

pytestmark = pytest.mark.usefixtures("plain_environment")

NODES = NODE_PLAN


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_target(tmp_path, "project", NODES)
    result = run(tmp_path, "add", "project", "done", "--node", "开工", "--date", "2024-03-20")
    assert result.exit_code == 0, result.output
    return tmp_path


def test_with_the_first_node_done_it_is_on_track_midyear(project):
    row = status_rows(project, "--as-of", "2024-06-30")["project"]
    assert (row["completion"], row["planned"], row["status"]) == (Decimal("33.33"), Decimal("33.33"), "on-track")
    assert row["nodes"][0] == {"name": "开工", "due": "2024-03-31", "done": "2024-03-20", "late": False}


def test_a_node_past_due_makes_it_behind_and_check_names_it(project):
    row = status_rows(project, "--as-of", "2024-10-15")["project"]
    assert row["status"] == "behind" and [node["name"] for node in row["nodes"] if node["late"]] == ["主体完工"]
    result = run(project, "check", "--as-of", "2024-10-15")
    assert result.exit_code == 1 and "主体完工" in result.stdout
    for command in (["status"], ["show", "project"]):
        shown = run(project, "--lang", "zh", *command, "--as-of", "2024-10-15")
        assert "主体完工逾期未完成" in shown.stdout, shown.stdout


def test_nodes_by_number_undone_and_the_last_node_done(project):
    for args in (["done", "--node", "2", "--date", "2024-09-01"], ["undone", "--node", "主体完工", "--date", "2024-09-02"]):
        assert run(project, "add", "project", *args).exit_code == 0
    assert status_rows(project, "--as-of", "2024-10-15")["project"]["status"] == "behind"
    for number, day in (("2", "2024-09-20"), ("3", "2024-11-30")):
        assert run(project, "add", "project", "done", "--node", number, "--date", day).exit_code == 0
    row = status_rows(project, "--as-of", "2024-12-31")["project"]
    assert (row["status"], row["completion"], row["done_on"]) == ("done", Decimal("100.00"), "2024-11-30")
    assert run(project, "undo").exit_code == 0  # the last node taken back with the add that marked it
    assert status_rows(project, "--as-of", "2024-12-15")["project"]["completion"] == Decimal("66.67")


@pytest.mark.parametrize("args, words", [
    (["done", "--node", "4"], "numbers 1 to 3"),
    (["done", "--node", "封顶"], "no node '封顶'"),
    (["done"], "name the one done"),
])
def test_a_node_that_is_not_in_the_plan_is_refused_and_nothing_written(project, args, words):
    before = (project / "project.toml").read_bytes()
    result = run(project, "add", "project", *args, "--date", "2024-04-01")
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    assert (project / "project.toml").read_bytes() == before


@pytest.mark.parametrize("change, words", [
    (NODES.replace('name = "主体完工"', 'name = "开工"'), "named twice"),
    (NODES.replace("due = 2024-09-30", "due = 2024-02-01"), "list the nodes in date order"),
    (NODES.replace('name = "竣工验收"', 'name = "竣工验收"\nowner = "x"'), "remove 'owner'"),
    (NODES.replace('kind = "milestone"', 'target = 3'), 'for a milestone (kind = "milestone")'),
    (NODES.replace("due = 2024-12-31\n\n[[node]]", "due = 2024-12-31\n\n[[node]]", 1).replace(
        "due = 2024-03-31", "due = 2025-03-31"), "outside the period"),
])
def test_a_bad_node_plan_is_one_line_naming_the_file(tmp_path, change, words):
    write_target(tmp_path, "project", change)
    result = run(tmp_path, "validate")
    assert result.exit_code != 0 and words in result.output, result.output
    assert "project.toml" in result.output and "Traceback" not in result.output


def test_csv_gives_the_node_plan_in_one_cell(project):
    result = run(project, "status", "--as-of", "2024-06-30", "--format", "csv")
    assert "开工 2024-03-31 2024-03-20; 主体完工 2024-09-30 —; 竣工验收 2024-12-31 —" in result.stdout


def test_a_node_date_follows_the_rules_of_every_entry_date(project):
    """The date is read as `add --date` reads it (a month is its last day; not a date: refused)."""
    assert run(project, "add", "project", "done", "--node", "2", "--date", "2024-13-01").exit_code == 2
    result = run(project, "add", "project", "done", "--node", "2", "--date", "2025-02")
    assert result.exit_code == 0 and "after the due date" in result.output
    assert status_rows(project, "--as-of", "2025-03-01")["project"]["nodes"][1]["done"] == "2025-02-28"


def test_the_cache_keeps_the_nodes_and_the_node_of_each_entry(project, monkeypatch):
    import kpitrack.files.schema
    from kpitrack.domain.compute import figures
    from kpitrack.files.workspace import load_target

    path, cache = project / "project.toml", project / "cache"
    first = load_target(path, project, cache)
    list(load_target(path, project, cache).entries)  # entries are kept when first read
    monkeypatch.setattr(kpitrack.files.schema, "target_from_document", lambda *args: pytest.fail("parsed again"))
    warm = load_target(path, project, cache)
    assert warm == first and [node.name for node in warm.nodes] == ["开工", "主体完工", "竣工验收"]
    assert [entry.node for entry in warm.entries] == ["开工"]
    assert figures(warm, date(2024, 10, 15)).late_nodes == ("主体完工",)


def test_milestones_with_or_without_nodes_are_parts_counted_when_done(project):
    """建成10个共建花园 made of projects, shortened to three: the parent counts those done."""
    plain = '# synthetic test data\ntitle = "synthetic: 花园"\nkind = "milestone"\nstart = 2024-01-01\ndue = 2024-12-31\n'
    write_target(project, "garden-a", plain + '\n[[progress]]\ndone = true\ndate = 2024-05-01\n')
    write_target(project, "garden-b", plain)
    write_target(project, "gardens", '# synthetic test data\ntitle = "synthetic: 建成3个花园"\nunit = "个"\n'
                 'start = 2024-01-01\ndue = 2024-12-31\nparts = ["garden-a", "garden-b", "project"]\n')
    assert run(project, "validate").exit_code == 0
    rows = status_rows(project, "--as-of", "2024-06-30")
    assert (rows["gardens"]["target"], rows["gardens"]["current"]) == (3, 1)  # the project: one node of three
    for number, day in (("2", "2024-08-01"), ("3", "2024-09-01")):
        assert run(project, "add", "project", "done", "--node", number, "--date", day).exit_code == 0
    assert status_rows(project, "--as-of", "2024-09-30")["gardens"]["current"] == 2
