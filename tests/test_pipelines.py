"""The forge workflow runs the README's test command; the example pipelines for a shared
workspace (docs/pipelines/) run as written on a copy of the shipped targets/."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
PIPELINES = ROOT / "docs" / "pipelines"


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(line for line in re.findall(r"```sh\n(.*?)```", readme, re.S) if "pytest" in line).strip()


def test_the_workflow_runs_the_readme_test_command_on_three_systems_and_three_pythons():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["test"]
    assert job["strategy"]["matrix"] == {"os": ["ubuntu-latest", "windows-latest", "macos-latest"],
                                         "python": ["3.11", "3.12", "3.13"]}
    run = "\n".join(step.get("run", "") for step in job["steps"])
    command = readme_test_command()
    assert command in run
    assert command.replace("python3", "python").replace(".venv/bin/", ".venv/Scripts/") in run  # Windows


def script_lines(name: str) -> list[str]:
    document = yaml.safe_load((PIPELINES / name).read_text(encoding="utf-8"))
    if name == "gitlab-ci.yml":
        return [line for job in ("check", "pages") for line in document[job]["script"]]
    return [step["run"] for job in document["jobs"].values() for step in job["steps"]
            if step.get("name", "").startswith("kpitrack")]


@pytest.mark.parametrize("name", ["gitlab-ci.yml", "github-actions.yml"])
def test_a_pipeline_runs_validate_check_and_publishes_the_report(name, tmp_path):
    lines = script_lines(name)
    assert any(" validate" in line for line in lines) and any(" check" in line for line in lines)
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("KPITRACK_DIR", None)
    for line in lines:
        result = subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True, text=True,
                                env=environment, timeout=120)
        assert result.returncode == 0, (line, result.stdout + result.stderr)
    assert (tmp_path / "public" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_pipeline_fails_on_a_broken_file(tmp_path):
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    (tmp_path / "targets" / "broken.toml").write_text("title = \n", encoding="utf-8")  # synthetic
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    validate = next(line for line in script_lines("gitlab-ci.yml") if " validate" in line)
    result = subprocess.run(["bash", "-c", validate], cwd=tmp_path, capture_output=True, text=True,
                            env=environment, timeout=120)
    assert result.returncode == 2 and "broken.toml" in result.stderr
