"""A node plan (形象进度, issue 24 item 1) goes out with `export` and back in with `import`: each
entry's `node` is a column of the CSV and a field of the JSON, and import records it, so an
export of a milestone's nodes imports into a fresh copy of its file as the same entries, once."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import run, status_rows, write_target
from test_nodes import NODES

pytestmark = pytest.mark.usefixtures("plain_environment")


def node_plan(root: Path) -> Path:
    write_target(root, "project", NODES)
    for node, day in (("开工", "2024-03-20"), ("主体完工", "2024-09-25")):
        result = run(root, "add", "project", "done", "--node", node, "--date", day)
        assert result.exit_code == 0, result.output
    return root


def test_export_writes_each_entrys_node(tmp_path):
    root = node_plan(tmp_path)
    rows = json.loads(run(root, "export", "--format", "json").stdout)["entries"]
    assert [(row["date"], row["done"], row["node"]) for row in rows] == [("2024-03-20", True, "开工"),
                                                                          ("2024-09-25", True, "主体完工")]
    header, first, *_ = run(root, "export", "--format", "csv").stdout.splitlines()
    assert header.endswith(",estimate,node") and first.endswith(",false,开工")


def test_export_then_import_round_trips_a_node_plan(tmp_path):
    source, copy = node_plan(tmp_path / "source"), tmp_path / "copy"
    write_target(copy, "project", NODES)  # the same file, no entry yet
    exported = tmp_path / "export.csv"
    exported.write_text(run(source, "export", "--format", "csv").stdout, encoding="utf-8")
    result = run(copy, "import", str(exported))
    assert result.exit_code == 0, result.output
    assert run(copy, "export", "--format", "csv").stdout == run(source, "export", "--format", "csv").stdout
    before = status_rows(source, "--as-of", "2024-10-15")
    assert status_rows(copy, "--as-of", "2024-10-15") == before and before["project"]["completion"] == Decimal("66.67")
    again = run(copy, "import", str(exported))
    assert again.exit_code == 0 and run(copy, "export", "--format", "csv").stdout.count("\n") == 3  # nothing twice


def test_an_imported_node_the_plan_does_not_have_is_refused(tmp_path):
    root = tmp_path
    write_target(root, "project", NODES)
    table = root / "in.csv"
    table.write_text("id,date,value,node\nproject,2024-03-20,done,封顶\n", encoding="utf-8")
    result = run(root, "import", str(table))
    assert result.exit_code == 2 and "封顶" in result.output and "Traceback" not in result.output
    assert "[[progress]]" not in (root / "project.toml").read_text(encoding="utf-8")
