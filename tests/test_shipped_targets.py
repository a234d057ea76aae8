"""The shipped targets/ folder (real published data) validates and adds up."""

from __future__ import annotations
from decimal import Decimal
import pytest
from helpers import snapshot, run, status_rows, SHIPPED_TARGETS

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
