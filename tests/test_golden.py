"""Whole outputs pinned: every command and format on the shipped workspace at fixed dates.

A deliberate change is made with `pytest tests/test_golden.py --update-golden`, and the diff of
tests/golden/ is reviewed and explained in its commit.
"""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitrack.cli import app

ROOT = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "golden"
DATES = ("2023-06-30", "2023-12-31", "2024-06-30")

PER_DATE = (
    "status", "status --format json", "status --format csv", "status --format markdown", "status --tree",
    "status --sort lag --status behind",
    "show sz23-affordable-housing", "show sz23-affordable-housing --format json",
    "show lh24-high-tech-firms", "show sz23-major-projects-count --format json",
    "plans", "plans --format json",
    "report", "report --format json", "report --format csv", "report --format html",
    "check", "check --fail-on at-risk,behind,overdue,stale",
)
ONCE = ("validate", "export", "export --format json", "report --format svg --as-of 2024-06-30",
        "--lang zh status --as-of 2024-06-30", "--lang zh status --as-of 2023-12-31",
        "--lang zh report --as-of 2024-06-30", "--lang zh report --as-of 2023-12-31",
        "--lang zh check --as-of 2023-12-31", "--lang zh check --fail-on no-data,滞后,红灯 --as-of 2024-06-30",
        "--lang zh plans --as-of 2024-06-30", "--lang zh show sz23-affordable-housing --as-of 2023-12-31")

CASES = [f"{command} --as-of {day}" for day in DATES for command in PER_DATE] + list(ONCE)


def golden_name(case: str) -> str:
    words = [word.lstrip("-").replace(",", "+") for word in shlex.split(case)]
    return "_".join(words) + ".txt"


def run_case(case: str):
    env = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "KPITRACK_DIR": str(ROOT / "targets"),
           "KPITRACK_LANG": None, "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    return CliRunner().invoke(app, shlex.split(case), env=env)


def charts_as_text(text: str) -> str:
    """Each chart reduced to the words it shows: the drawing itself (coordinates, which depend on
    matplotlib's version and the fonts installed) is checked by the chart and browser tests."""
    def words(match: re.Match) -> str:
        return "<svg>" + " | ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", match.group(0))) + "</svg>"
    return re.sub(r"<svg\b.*?</svg>", words, text, flags=re.S)


def rendered(case: str, result) -> str:
    text = f"$ kpitrack {case}\n{charts_as_text(result.stdout)}"
    if result.stderr:
        text += f"--- stderr\n{result.stderr}"
    return text + f"--- exit {result.exit_code}\n"


# Pages and charts (html, svg) take seconds each: slow; the text, JSON and CSV outputs run in every run.
@pytest.mark.parametrize("case", [pytest.param(case, marks=pytest.mark.slow) if "html" in case or "svg" in case
                                  else case for case in CASES])
def test_output_matches_golden_file(case, request):
    result = run_case(case)
    text = rendered(case, result).replace(str(ROOT), "<repo>")
    path = GOLDEN / golden_name(case)
    if request.config.getoption("--update-golden"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8")
