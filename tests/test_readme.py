"""The README stays true: its commands are run here, and CI runs its test command."""

import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from kpitrack.cli import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def run(line: str):
    arguments = shlex.split(line)
    assert arguments[0] == "kpitrack"
    return CliRunner().invoke(app, arguments[1:])


def test_ci_runs_exactly_the_readme_test_command():
    setup, tests = code_blocks("sh")[:2]
    assert "pytest" in tests
    assert tests.strip() in (ROOT / ".ci" / "run").read_text().splitlines()
    assert setup.strip().endswith("kpitrack status --as-of 2023-12-31")


def test_the_main_job_runs_on_the_shipped_targets(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    result = run("kpitrack status --as-of 2023-12-31")
    assert result.exit_code == 0, result.output
    assert "sz23-affordable-housing" in result.stdout


def test_every_tour_command_works_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    tour = code_blocks("sh")[2].strip().splitlines()
    assert len(tour) >= 6
    outputs = {}
    for line in tour:
        result = run(line)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        outputs[line] = result.stdout
    # The JSON sample in the README is what the tour's JSON command prints for its target.
    sample = json.loads(code_blocks("json")[0], parse_float=Decimal)["targets"][0]
    printed = json.loads(outputs["kpitrack status --as-of 2024-06-30 --format json"], parse_float=Decimal)
    row = next(row for row in printed["targets"] if row["group"] == "luohu-2024")
    assert {key: row[key] for key in sample if sample[key] != "…"} == {
        key: value for key, value in sample.items() if value != "…"}


def test_the_crontab_lines_run_as_written(tmp_path):
    """Each crontab command, with its install and workspace paths pointed at this machine's."""
    import subprocess
    import sys

    from helpers import TARGET_TOML, write

    workspace = tmp_path / "pledges"
    write(workspace / "plan" / "firms.toml", TARGET_TOML + "cadence = 'monthly'\n")  # synthetic, on track in 2023
    entry_point = str(Path(sys.executable).parent / "kpitrack")
    lines = [line for line in code_blocks("crontab")[0].splitlines() if line.startswith("0 ")]
    assert len(lines) == 2
    for line in lines:
        command = line.split(None, 5)[5].replace("/opt/kpitrack/.venv/bin/kpitrack", entry_point)
        command = command.replace("/srv/pledges", str(workspace)).replace("/srv/www", str(tmp_path))
        result = subprocess.run(shlex.split(command) + ["--as-of", "2023-01-15"], capture_output=True, text=True,
                                env={"PATH": "/usr/bin:/bin", "HOME": "", "LANG": ""}, timeout=60)
        assert result.returncode == 0, result.stderr
        if " check " in command:
            assert result.stdout == ""  # nothing to mail when all is well
    assert (tmp_path / "pledges.html").read_text().startswith("<!DOCTYPE html>")


def test_commands_on_the_shipped_targets_work_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    lines = [line for block in code_blocks("sh")[3:] for line in block.strip().splitlines()]
    assert lines
    for line in lines:
        result = run(line)
        assert result.exit_code == 0, f"{line}\n{result.output}"
