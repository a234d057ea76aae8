"""The layering is enforced, not reviewed: import-linter's contract in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_every_module_imports_only_from_the_layers_below_it():
    # the venv's own, beside its python, whether or not the venv is activated (on PATH)
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint is None:
        pytest.fail("lint-imports is missing: pip install -e '.[test]'")
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_is_over_450_lines_and_the_cli_modules_over_400():
    for path in (ROOT / "src" / "kpitrack").rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= (400 if "cli" in path.parts else 450), f"{path}: {lines} lines"
