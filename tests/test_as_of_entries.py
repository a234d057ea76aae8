"""A view as of a day lists the entries known on it, as its figures count them (found by a new user:
`show` and the site listed an entry dated after --as-of beside a figure that left it out).
Synthetic data."""

from __future__ import annotations

import json

import pytest

from helpers import write


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    write(root / "kpitrack.toml", "")
    write(root / "bridge.toml", 'title = "synthetic: bridge open"\nkind = "milestone"\nstart = 2025-01-01\n'
          'due = 2025-12-31\n\n[[progress]]\ndate = 2025-03-01\ndone = false\nnote = "early"\n\n'
          '[[progress]]\ndate = 2025-09-26\ndone = true\nnote = "opened late"\n')
    return root


def test_show_lists_only_the_entries_up_to_the_as_of_day(cli, workspace):
    table = cli(workspace, "show", "bridge", "--as-of", "2025-08-31")
    assert table.exit_code == 0 and "early" in table.output and "opened late" not in table.output
    assert "1 entry dated after 2025-08-31 is not shown" in table.output
    shown = json.loads(cli(workspace, "show", "bridge", "--as-of", "2025-08-31", "--format", "json").output)
    assert [entry["note"] for entry in shown["entries"]] == ["early"]
    page = cli(workspace, "show", "bridge", "--as-of", "2025-08-31", "--format", "html").output
    assert "early" in page and "opened late" not in page
    later = cli(workspace, "show", "bridge", "--as-of", "2025-09-30")
    assert "opened late" in later.output and "not shown" not in later.output


def test_the_sites_target_page_lists_only_the_entries_up_to_the_as_of_day(cli, workspace, tmp_path):
    assert cli(workspace, "report", "--format", "site", "--as-of", "2025-08-31", "--out",
               str(tmp_path / "site")).exit_code == 0
    page = next((tmp_path / "site").glob("*bridge*.html")).read_text(encoding="utf-8")
    assert "early" in page and "opened late" not in page
