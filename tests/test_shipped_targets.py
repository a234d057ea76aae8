"""The shipped targets/ folder (real published data) validates and adds up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import SHIPPED_TARGETS, run, snapshot, status_rows
from kpitrack.domain.compute import current_figure
from kpitrack.files.workspace import load_workspace

pytestmark = pytest.mark.usefixtures("plain_environment")


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


SHIPPED = Path(__file__).parents[1] / "targets"


def test_the_shipped_project_book_adds_up_to_the_published_totals():
    workspace = load_workspace(SHIPPED)
    assert workspace.problems == []
    others = {target.id: target for target in workspace.targets}
    projects, investment = others["sz23-projects-started"], others["sz23-projects-investment"]
    assert len(projects.parts) == len(investment.parts) == 12
    assert (projects.target, investment.target) == (Decimal(266), Decimal("3295.3"))
    as_of = date(2023, 12, 31)
    assert current_figure(projects, as_of, others) == 266
    assert current_figure(investment, as_of, others) == Decimal("3295.3")
    assert str(current_figure(investment, as_of, others)) == "3295.3"


def test_the_shipped_city_line_shows_its_twelve_districts_in_the_tree():
    result = run(SHIPPED, "status", "--group", "shenzhen-2023", "--tree", "--as-of", "2023-12-31")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if line.split()[:1] == ["sz23-projects-investment"])
    assert "3,295.3 / 3,295.3 亿元" in lines[start]  # current / target, on the target's one line
    parts = [line.split()[1].rstrip("…") for line in lines[start:] if line.split()[:1] == ["└"]][:12]
    names = ("baoan", "longgang", "longhua", "nanshan", "futian", "guangming", "luohu", "pingshan", "qianhai",
             "shenshan", "yantian", "dapeng")
    assert len(parts) == 12 and all(len(part) >= 12 for part in parts)
    assert parts == [f"sz23-invest-{name}"[:len(part)] for part, name in zip(parts, names)]  # ids cut to fit


def test_every_shipped_folder_has_a_plan():
    plans = load_workspace(SHIPPED).plans
    assert set(plans) == {"shenzhen-2023", "luohu-2024"}
    assert plans["shenzhen-2023"].date == date(2023, 2, 6)
