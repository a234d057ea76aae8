"""Shell completion of ids (with titles), folders, tags, owners and statuses, asked the way a shell
asks: kpitrack run with typer's completion variables, on the shipped workspace."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def ask(shell: str, line: str, cwd: Path = ROOT) -> str:
    words = line.split(" ")
    environment = {**os.environ, "_KPITRACK_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line,
                   "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    environment.pop("KPITRACK_DIR", None)
    result = subprocess.run([sys.executable, "-m", "kpitrack"], cwd=cwd, env=environment, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_ids_complete_with_their_titles():
    offered = ask("zsh", "kpitrack show lh24-h")
    assert '"lh24-high-tech-firms":"新增120家以上国家高新技术企业' in offered
    assert "sz23" not in offered and "lh24-greenway" not in offered


@pytest.mark.parametrize("command", ["add", "log"])
def test_every_command_taking_an_id_completes_it(command):
    assert ask("bash", f"kpitrack {command} sz23-invest-f").split() == ["sz23-invest-futian"]


@pytest.mark.slow
def test_folders_tags_owners_and_statuses_complete():
    assert ask("bash", "kpitrack status --group sh").split() == ["shenzhen-2023"]
    assert "major-projects" in ask("bash", "kpitrack status --tag ma").split()
    assert ask("bash", "kpitrack new x --owner 福田").split() == ["福田区"]
    assert ask("bash", "kpitrack status --status be").split() == ["behind"]
    assert ask("bash", "kpitrack check --fail-on behind,st").split() == ["behind,stale"]


def test_no_workspace_completes_nothing_and_fails_nothing(tmp_path):
    assert ask("bash", "kpitrack show sz", cwd=tmp_path).split() == []


@pytest.mark.slow
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_asks_kpitrack(shell):
    result = subprocess.run([sys.executable, "-m", "kpitrack", "completion", shell], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_KPITRACK_COMPLETE" in result.stdout
