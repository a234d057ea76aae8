"""`kpitrack --version`, `--help` and every command's help (the command list is read from the app)."""

from __future__ import annotations
import importlib.metadata
import pytest
import typer
from kpitrack import __version__
from kpitrack.cli import app
from helpers import runner

pytestmark = pytest.mark.usefixtures("plain_environment")


COMMANDS = tuple(typer.main.get_command(app).commands)  # every command the app registers, read from it


def test_version_prints_the_package_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"kpitrack {__version__}\n"
    assert __version__ == importlib.metadata.version("kpitrack")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_shows_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: kpitrack {command}" in result.stdout
    examples = [line.strip() for line in result.stdout.splitlines() if "Example:" in line]
    assert len(examples) == 1 and examples[0].startswith(f"Example: kpitrack {command}"), result.stdout


def test_top_level_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert sorted(listed) == sorted(COMMANDS) and len(COMMANDS) >= 11


def test_top_level_help_shows_an_example():
    result = runner.invoke(app, ["--help"])
    assert "Example: kpitrack status --as-of 2023-12-31" in result.stdout
