"""status --by owner and report --by owner / --since (issue 18). Synthetic targets."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

runner = CliRunner()


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def owned(owner: str, extra: str = "") -> str:
    return TARGET_TOML.replace('unit = "firms"', f'unit = "firms"\nowner = "{owner}"') + extra


def workspace(tmp_path):
    write(tmp_path / "kpitrack.toml", 'cadence = "monthly"\nstale_grace_days = 0\n')
    write(tmp_path / "a.toml", owned("区住建局"))  # nothing reported
    write(tmp_path / "b.toml", owned("区住建局", "\n[[progress]]\ndate = 2023-03-31\nvalue = 700\n"))  # stale by July
    write(tmp_path / "c.toml", owned("区发改局", "\n[[progress]]\ndate = 2023-06-30\nvalue = 600\n"))
    return tmp_path


def test_status_by_owner_counts_red_and_names_the_units_to_chase(tmp_path):
    root = workspace(tmp_path)
    result = run(root, "status", "--by", "owner", "--as-of", "2023-07-15", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["owner"]: row for row in json.loads(result.stdout)["owners"]}
    # a has reported nothing: 未报送 (chase the unit), not red
    assert rows["区住建局"] == {"owner": "区住建局", "targets": 2, "red": 0, "unreported": ["a"], "stale": ["b"], "co": []}
    assert rows["区发改局"]["red"] == 0 and rows["区发改局"]["unreported"] == []
    table = run(root, "status", "--by", "owner", "--as-of", "2023-07-15").stdout
    assert "未报送" in table and "区住建局" in table


def test_report_since_lists_what_changed_and_by_owner_adds_its_section(tmp_path):
    root = workspace(tmp_path)
    path = root / "c.toml"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n[[progress]]\ndate = 2023-08-31\nvalue = 600\n")  # done by August
    result = run(root, "report", "--as-of", "2023-09-30", "--since", "2023-07-15", "--by", "owner")
    assert result.exit_code == 0, result.output
    assert "## By owner" in result.stdout
    assert "## Changed since 2023-07-15" in result.stdout
    assert "newly done: **c**" in result.stdout
    assert run(root, "fix", "b", "650", "--date", "2023-03-31", "-q").exit_code == 0
    data = json.loads(run(root, "report", "--as-of", "2023-09-30", "--since", "2000-01-01", "--format", "json").stdout)
    assert {(row["id"], row["change"]) for row in data["since"]} >= {("c", "newly done"), ("b", "revised")}


def test_a_milestone_not_yet_done_is_not_unreported(tmp_path):
    """A milestone without entries is not done, not 未报送 (its status says so, as status --missing
    does); --by owner listed it under 未报送 (found by a new user). Synthetic."""
    write(tmp_path / "kpitrack.toml", "")
    write(tmp_path / "bridge.toml", 'title = "synthetic bridge"\nkind = "milestone"\nstart = 2023-01-01\n'
          'due = 2023-12-31\nowner = "区建工署"\n')
    write(tmp_path / "a.toml", owned("区建工署"))
    rows = json.loads(run(tmp_path, "status", "--by", "owner", "--as-of", "2023-07-15", "--format", "json").stdout)
    assert rows["owners"][0]["unreported"] == ["a"]
