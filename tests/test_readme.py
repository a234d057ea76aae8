"""The README and the guides in docs/ stay true: every `sh` block in them is run here, and CI runs its test command.

Blocks are told apart by what they hold, not where they stand: the set-up block (pip install
without the test extra) and the test block (pytest) are checked against CI; a block whose first
command is `kpitrack init` runs in an empty folder; every other block runs in a temporary copy of
the shipped workspace, so that commands that write change nothing here. A line ending in
`# exits N` must exit with N; every other line must exit 0. Lines that do not start with
`kpitrack` run in bash, with this environment's kpitrack first on PATH.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import documentation
from kpitrack.cli import app

ROOT = Path(__file__).parents[1]
README = documentation()  # the README and the guides in docs/: every block in them runs
EXITS = re.compile(r"\s+#\s*exits\s+(\d+)\s*$")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def is_setup(block: str) -> bool:
    return "pip install" in block


def runnable_blocks() -> list[str]:
    return [block for block in code_blocks("sh") if not is_setup(block)]


def commands(block: str) -> list[tuple[str, int]]:
    """(command, expected exit code) for each line of a block, comments and blanks left out."""
    found = []
    for line in block.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = EXITS.search(line)
        found.append((EXITS.sub("", line).strip(), int(match.group(1)) if match else 0))
    return found


def run_line(line: str, folder: Path):
    """Run one README line in `folder`: (exit code, stdout, output for messages)."""
    if line.startswith("kpitrack ") and not any(symbol in line for symbol in "|><;&$"):
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            result = CliRunner().invoke(app, shlex.split(line)[1:])
        finally:
            os.chdir(cwd)
        return result.exit_code, result.stdout, result.output
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("KPITRACK_DIR", None)
    result = subprocess.run(["bash", "-c", line], cwd=folder, capture_output=True, text=True,
                            env=environment, timeout=120)
    return result.returncode, result.stdout, result.stdout + result.stderr


def test_ci_runs_exactly_the_readme_test_command():
    setup = [block for block in code_blocks("sh") if is_setup(block)]
    tests = [block for block in setup if "pytest" in block]
    install = [block for block in setup if "pytest" not in block]
    assert len(tests) == 1 and len(install) == 1
    assert tests[0].strip() in (ROOT / ".ci" / "run").read_text().splitlines()
    assert install[0].strip().endswith("kpitrack status --as-of 2023-12-31") or "kpitrack status" in install[0]


def test_every_block_has_commands():
    assert len(runnable_blocks()) >= 2
    for block in runnable_blocks():
        assert commands(block), block


@pytest.mark.parametrize("index", range(len(runnable_blocks())))
def test_every_sh_block_runs_as_written(index, tmp_path, monkeypatch):
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    block = runnable_blocks()[index]
    lines = commands(block)
    if lines[0][0].startswith("kpitrack init"):
        folder = tmp_path
    else:
        folder = tmp_path / "repo"
        shutil.copytree(ROOT / "targets", folder / "targets")
    for line, expected in lines:
        code, _, output = run_line(line, folder)
        assert code == expected, f"{line}\nexit {code}, expected {expected}\n{output}"


def test_the_json_sample_is_what_the_tour_prints(tmp_path, monkeypatch):
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    tour = next(block for block in runnable_blocks() if block.strip().startswith("kpitrack init"))
    outputs = {line: run_line(line, tmp_path)[1] for line, _ in commands(tour)}
    sample = json.loads(code_blocks("json")[0], parse_float=Decimal)["targets"][0]
    printed_line = next(line for line in outputs if "--format json" in line and line.startswith("kpitrack status"))
    printed = json.loads(outputs[printed_line], parse_float=Decimal)
    row = next(row for row in printed["targets"] if row["group"] == sample["group"])
    assert {key: row[key] for key in sample if sample[key] != "…"} == {
        key: value for key, value in sample.items() if value != "…"}


def test_the_first_command_runs_on_the_shipped_targets(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    result = CliRunner().invoke(app, ["status", "--as-of", "2023-12-31"])
    assert result.exit_code == 0, result.output
    assert "sz23-affordable-housing" in result.stdout


def test_the_crontab_lines_run_as_written(tmp_path):
    """Each crontab command, with its install and workspace paths pointed at this machine's."""
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
