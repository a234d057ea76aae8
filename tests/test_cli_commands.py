"""The table of commands (kpitrack.cli.COMMANDS) that lets a run import and build only the command
it runs: it must name every command the modules register, each with its module, in --help's order."""

import importlib
import pkgutil
import subprocess
import sys

import typer

import kpitrack.cli
from kpitrack.cli import COMMANDS, app
from helpers import modules_after, runner


def registered() -> dict[str, str]:
    """Every command registered by the modules of kpitrack.cli, with the module it is defined in."""
    for module in pkgutil.iter_modules(kpitrack.cli.__path__):
        importlib.import_module(f"kpitrack.cli.{module.name}")
    return {info.name or typer.main.get_command_name(info.callback.__name__): info.callback.__module__.rsplit(".")[-1]
            for info in app.registered_commands}


def test_the_table_names_every_registered_command_and_its_module():
    assert registered() == COMMANDS


def test_help_lists_the_commands_in_the_order_of_the_table_which_keeps_each_modules_order():
    modules = registered()
    for module in set(COMMANDS.values()):
        assert [name for name in COMMANDS if COMMANDS[name] == module] == \
            [name for name in modules if modules[name] == module]
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == list(COMMANDS)


def command_modules(*arguments: str) -> set[str]:
    modules, done = modules_after(*arguments)
    assert "Traceback" not in done.stderr, done.stderr
    return {name for name in modules if name.startswith("kpitrack.cli.")} - {"kpitrack.cli.complete", "kpitrack.cli.speaking"}


def test_a_command_imports_its_own_module_only():
    assert command_modules("undo", "--help") == {"kpitrack.cli.correct", "kpitrack.cli.add"}  # add's helpers
    assert command_modules("status", "--help") == {"kpitrack.cli.view", "kpitrack.cli.reading"}  # its options
    assert command_modules("add", "--help") == {"kpitrack.cli.add"}
    assert command_modules("--version") == set()


def test_a_mistyped_command_still_gets_its_suggestion_and_help_imports_them_all():
    done = subprocess.run([sys.executable, "-m", "kpitrack", "stauts"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Did you mean 'status'?" in done.stderr, done.stderr
    assert command_modules("--help") == {f"kpitrack.cli.{module}" for module in {*COMMANDS.values(), "reading"}}
